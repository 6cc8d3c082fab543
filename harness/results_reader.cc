#include "harness/results_reader.h"

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>
#include <utility>

#include "harness/input_error.h"
#include "harness/input_file.h"
#include "harness/results_parser.h"

namespace ptebench::results {
namespace {

constexpr std::size_t kColumnCount = kColumns.size();

// Every row of `bytes` into one reused Row (harness/results_parser.h does the reading).
void scan_impl(InputFile& file, std::string name, const RowSink& sink) {
  RowParser parser(file, std::move(name));
  parser.read_header();
  RowFields f;
  Row row;
  while (parser.next(f)) {
    if (!f.same_run_columns) {
      row.schema.assign(f.text[0]);
      row.run_id.assign(f.text[1]);
      row.started_utc.assign(f.text[2]);
      row.host.assign(f.text[3]);
      row.arch.assign(f.text[4]);
      row.cpu_model.assign(f.text[5]);
      row.kernel.assign(f.text[6]);
      row.compiler.assign(f.text[7]);
      row.codegen.assign(f.text[8]);
      row.git_rev.assign(f.text[9]);
      row.suite.assign(f.text[10]);
    }
    row.workload.assign(f.text[11]);
    row.pte_format.assign(f.text[12]);
    row.variant.assign(f.text[13]);
    row.layout.assign(f.text[14]);
    row.ptes = f.ptes;
    row.repetition = f.repetition;
    row.metric.assign(f.text[17]);
    row.value = f.value;
    row.unit.assign(f.text[19]);
    row.coverage = f.coverage;
    sink(row, parser.line());
  }
}

// The one duplicate check of the reader, for whole files and streams alike: remembers each row's
// key (row_key: compact, so millions of rows stay cheap) with its line, and throws at the second
// row of one key.
class DuplicateRows {
 public:
  DuplicateRows(std::string name, std::size_t expected_rows) : name_(std::move(name)) {
    first_line_.reserve(expected_rows);
  }
  void add(const Row& row, std::size_t line) {
    const auto [it, fresh] = first_line_.emplace(row_key(row), line);
    if (!fresh) {
      throw InputError(name_ + ":" + std::to_string(line) + ": duplicate row: same run_id, case, " +
                       "repetition and metric as line " + std::to_string(it->second));
    }
  }

 private:
  std::string name_;
  std::unordered_map<std::string, std::size_t> first_line_;
};

// Collects rows, rejecting duplicates. `expected_rows` only sizes the buffers.
std::vector<Row> collect(const std::string& name, std::size_t expected_rows,
                         const std::function<void(const RowSink&)>& scan) {
  std::vector<Row> rows;
  rows.reserve(expected_rows);
  DuplicateRows duplicates(name, expected_rows);
  scan([&](const Row& row, std::size_t line) {
    duplicates.add(row, line);
    rows.push_back(row);
  });
  return rows;
}

}  // namespace

std::optional<RowProblem> check_row(const Row& row) {
  const std::array<std::string_view, kColumnCount> text = {row.schema,
                                                           row.run_id,
                                                           row.started_utc,
                                                           row.host,
                                                           row.arch,
                                                           row.cpu_model,
                                                           row.kernel,
                                                           row.compiler,
                                                           row.codegen,
                                                           row.git_rev,
                                                           row.suite,
                                                           row.workload,
                                                           row.pte_format,
                                                           row.variant,
                                                           row.layout,
                                                           {},
                                                           {},
                                                           row.metric,
                                                           {},
                                                           row.unit,
                                                           {}};
  return check_fields(text, row.value, row.coverage);
}

void scan_results(const std::filesystem::path& path, const RowSink& sink) {
  InputFile file(path);
  scan_impl(file, path.string(), sink);
}

void scan_results_buffer(std::string_view csv, std::string_view name, const RowSink& sink) {
  InputFile file(csv);
  scan_impl(file, std::string(name), sink);
}

void scan_unique_results(const std::filesystem::path& path, const RowSink& sink) {
  DuplicateRows duplicates(path.string(), 0);
  scan_results(path, [&](const Row& row, std::size_t line) {
    duplicates.add(row, line);
    sink(row, line);
  });
}

std::vector<Row> read_results(const std::filesystem::path& path) {
  // A typical row is 200-300 bytes: a sizing hint, never a limit.
  std::error_code ec;
  const std::uintmax_t bytes = std::filesystem::file_size(path, ec);
  return collect(path.string(), ec ? 0 : static_cast<std::size_t>(bytes / 256),
                 [&](const RowSink& sink) { scan_results(path, sink); });
}

std::vector<Row> parse_results(std::string_view csv, std::string_view name) {
  // Counting lines first costs a fraction of what growing the vector would.
  const auto lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
  return collect(std::string(name), lines,
                 [&](const RowSink& sink) { scan_results_buffer(csv, name, sink); });
}

}  // namespace ptebench::results
