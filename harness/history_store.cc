#include "harness/history_store.h"

#include <cmath>
#include <map>
#include <utility>

#include "harness/history_postgres.h"
#include "harness/history_rows.h"
#include "harness/history_sqlite.h"

namespace ptebench::history {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::vector<RunInfo> Store::recent_runs(const std::string& host, const std::string& suite,
                                        std::size_t count) {
  std::vector<RunInfo> out;
  for (RunInfo& run : runs())
    if (run.host == host && run.suite == suite) out.push_back(std::move(run));
  if (out.size() > count) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(count));
  return out;
}

std::vector<RunGroup> Store::run_groups() {
  std::map<std::pair<std::string, std::string>, std::size_t> counts;
  for (const RunInfo& run : runs()) ++counts[{run.host, run.suite}];
  std::vector<RunGroup> out;
  for (const auto& [key, n] : counts) out.push_back(RunGroup{key.first, key.second, n});
  return out;
}

bool is_store_location(std::string_view location) {
  return is_postgres_location(location) || ends_with(location, ".db") ||
         ends_with(location, ".sqlite") || ends_with(location, ".sqlite3");
}

bool is_postgres_location(std::string_view location) {
  return starts_with(location, "postgresql://") || starts_with(location, "postgres://");
}

std::unique_ptr<Store> open_store(const std::string& location) {
  return open_store(location, IntegrityCheck::on_open);
}

std::unique_ptr<Store> open_store(const std::string& location, IntegrityCheck check) {
  if (is_postgres_location(location)) return open_postgres_store(location);
  return open_sqlite_store(location, check);
}

void append_runs(Store& store, const std::vector<results::Row>& rows,
                 const std::map<std::string, context::Entries>& contexts, std::string_view where) {
  if (rows.empty()) return;
  auto batch = store.begin();
  for (const results::Row& row : rows) batch->add(row, where);
  for (const auto& [run_id, entries] : contexts)
    if (!entries.empty()) batch->add_context(run_id, entries);
  batch->commit();
}

void append_run(Store& store, const std::vector<results::Row>& rows,
                const context::Entries& run_context, std::string_view where) {
  if (rows.empty()) return;
  append_runs(store, rows, {{rows.front().run_id, run_context}}, where);
}

RunInfo run_info_of(const results::Row& row) {
  RunInfo run;
  run.run_id = row.run_id;
  run.started_utc = row.started_utc;
  run.host = row.host;
  run.arch = row.arch;
  run.cpu_model = row.cpu_model;
  run.kernel = row.kernel;
  run.compiler = row.compiler;
  run.git_rev = row.git_rev;
  run.suite = row.suite;
  return run;
}

std::optional<std::string> run_mismatch(const RunInfo& run, const results::Row& row) {
  const std::pair<std::string_view, std::pair<const std::string*, const std::string*>> cols[] = {
      {"started_utc", {&run.started_utc, &row.started_utc}},
      {"host", {&run.host, &row.host}},
      {"arch", {&run.arch, &row.arch}},
      {"cpu_model", {&run.cpu_model, &row.cpu_model}},
      {"kernel", {&run.kernel, &row.kernel}},
      {"compiler", {&run.compiler, &row.compiler}},
      {"git_rev", {&run.git_rev, &row.git_rev}},
      {"suite", {&run.suite, &row.suite}},
  };
  for (const auto& [name, values] : cols) {
    if (*values.first != *values.second)
      return std::string(name) + " '" + *values.second + "' (run has '" + *values.first + "')";
  }
  return std::nullopt;
}

void fill_run_columns(const RunInfo& run, results::Row& row) {
  row.schema = std::string(results::kSchema);
  row.run_id = run.run_id;
  row.started_utc = run.started_utc;
  row.host = run.host;
  row.arch = run.arch;
  row.cpu_model = run.cpu_model;
  row.kernel = run.kernel;
  row.compiler = run.compiler;
  row.git_rev = run.git_rev;
  row.suite = run.suite;
}

std::string already_stored_message(std::string_view where, std::string_view run_id,
                                   std::string_view location) {
  return std::string(where) + ": run " + std::string(run_id) + " is already in " +
         std::string(location) + " (a run is stored once)";
}

std::int64_t zero_sign_flags(const results::Row& row) {
  std::int64_t flags = 0;
  if (row.value == 0 && std::signbit(row.value)) flags |= kValueNegativeZero;
  if (row.coverage == 0 && std::signbit(row.coverage)) flags |= kCoverageNegativeZero;
  return flags;
}

void apply_zero_sign_flags(std::int64_t flags, results::Row& row) {
  if (flags & kValueNegativeZero) row.value = -0.0;
  if (flags & kCoverageNegativeZero) row.coverage = -0.0;
}

}  // namespace ptebench::history
