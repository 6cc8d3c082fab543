#include "harness/results_writer.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>
#include <system_error>
#include <utility>

#include "harness/atomic_file.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/results_reader.h"

namespace ptebench::results {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void contract_violation(const Row& row, const std::string& what) {
  invariant_violated("results row " + case_name(case_key(row)) + " metric " + row.metric +
                         " repetition " + std::to_string(row.repetition) + ": " + what,
                     "harness/results_writer.h");
}

void check_contract(const Row& row) {
  if (auto problem = check_row(row)) contract_violation(row, problem->what);
}

// Aborts when two rows share a key; `index` maps row_key_hash to indices into `rows`.
void check_unique(const std::vector<Row>& rows, std::size_t i,
                  std::unordered_multimap<std::size_t, std::size_t>& index) {
  const std::size_t hash = row_key_hash(rows[i]);
  const auto [first, last] = index.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    if (same_row_key(rows[it->second], rows[i])) {
      contract_violation(rows[i], "same run_id, case, repetition and metric as an earlier row");
    }
  }
  index.emplace(hash, i);
}

std::string rows_to_lines(const std::vector<Row>& rows) {
  std::unordered_multimap<std::size_t, std::size_t> index;
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_contract(rows[i]);
    check_unique(rows, i, index);
    append_csv_row(out, rows[i]);
  }
  return out;
}

template <class T>
void append_number(std::string& out, T value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

}  // namespace

std::string header_line() {
  std::string line;
  for (const std::string_view column : kColumns) {
    if (!line.empty()) line += ',';
    line += column;
  }
  return line;
}

void append_csv_field(std::string& out, std::string_view field) {
  const bool plain = std::none_of(field.begin(), field.end(), [](char c) {
    return c == ',' || c == '"' || c == '\r' || c == '\n';
  });
  if (plain) {
    out += field;
    return;
  }
  out += '"';
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string format_double(double value) {
  std::string out;
  append_number(out, value);
  return out;
}

void append_csv_row(std::string& out, const Row& row) {
  for (const std::string* text :
       {&row.schema, &row.run_id, &row.started_utc, &row.host, &row.arch, &row.cpu_model,
        &row.kernel, &row.compiler, &row.codegen, &row.git_rev, &row.suite, &row.workload,
        &row.pte_format, &row.variant, &row.layout}) {
    append_csv_field(out, *text);
    out += ',';
  }
  append_number(out, row.ptes);
  out += ',';
  append_number(out, row.repetition);
  out += ',';
  append_csv_field(out, row.metric);
  out += ',';
  append_number(out, row.value);
  out += ',';
  append_csv_field(out, row.unit);
  out += ',';
  append_number(out, row.coverage);
  out += '\n';
}

std::string to_csv(const std::vector<Row>& rows) {
  return header_line() + '\n' + rows_to_lines(rows);
}

void write_results(const fs::path& path, const std::vector<Row>& rows) {
  write_file_atomically(path, to_csv(rows));
}

void append_results(const fs::path& path, const std::vector<Row>& rows) {
  const std::string lines = rows_to_lines(rows);
  std::set<std::string, std::less<>> new_runs;
  for (const Row& row : rows) new_runs.insert(row.run_id);

  append_file_atomically(path, header_line(), lines, [&](std::string_view existing) {
    if (existing.empty()) return;
    // Validates the whole history (a damaged one is refused, not extended) and collects its
    // runs. Streaming: a long history is never held as rows.
    std::set<std::string, std::less<>> old_runs;
    std::string_view last_run;
    scan_results_buffer(existing, path.string(), [&](const Row& row, std::size_t) {
      if (row.run_id != last_run) last_run = *old_runs.insert(row.run_id).first;
    });
    for (const std::string& run : new_runs) {
      if (old_runs.count(run) != 0) {
        throw InputError(path.string() + ": run " + run +
                         " is already in this history; not appending it twice");
      }
    }
  });
}

ResultsWriter::ResultsWriter(fs::path path) : path_(std::move(path)), csv_(header_line() + '\n') {
  std::error_code ec;
  if (fs::is_directory(path_, ec)) {
    throw InputError(path_.string() + ": cannot write: is a directory");
  }
  const fs::path dir = path_.parent_path().empty() ? fs::path(".") : path_.parent_path();
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw InputError(path_.string() + ": cannot write: directory " + dir.string() + ": " +
                     std::strerror(errno));
  }
}

void ResultsWriter::add(Row row) {
  check_contract(row);
  rows_.push_back(std::move(row));
  check_unique(rows_, rows_.size() - 1, keys_);
  append_csv_row(csv_, rows_.back());
}

void ResultsWriter::commit() {
  write_file_atomically(path_, csv_);
}

}  // namespace ptebench::results
