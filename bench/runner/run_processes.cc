#include "bench/runner/run_processes.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/runner/interrupt_guard.h"
#include "bench/runner/results_sink.h"
#include "bench/runner/run_args.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/process.h"
#include "harness/results_reader.h"
#include "harness/run_context.h"

namespace ptebench::cli {
namespace {

// The merged sidecar: the first process's entries, processes=K after engine=, and a walks: entry
// holding every process's value where they differ.
context::Entries merge_contexts(const std::vector<context::Entries>& contexts,
                                std::size_t processes) {
  context::Entries out;
  for (const auto& [key, value] : contexts.front()) {
    std::string merged = value;
    if (key.starts_with("walks:")) {
      std::vector<std::string> values;
      for (const context::Entries& c : contexts)
        values.push_back(context::find_entry(c, key).value_or("?"));
      if (std::any_of(values.begin(), values.end(), [&](const auto& v) { return v != value; })) {
        merged.clear();
        for (const std::string& v : values) merged += (merged.empty() ? "" : " ") + v;
      }
    }
    out.emplace_back(key, merged);
    if (key == "engine") out.emplace_back("processes", std::to_string(processes));
  }
  return out;
}

}  // namespace

std::vector<int> repetitions_per_process(int repetitions, int processes) {
  const int k = std::max(1, std::min(repetitions, processes));
  std::vector<int> out(static_cast<std::size_t>(k), repetitions / k);
  for (int i = 0; i < repetitions % k; ++i) ++out[static_cast<std::size_t>(i)];
  return out;
}

std::vector<results::Row> merge_process_rows(const std::vector<std::vector<results::Row>>& runs) {
  std::vector<results::Row> out;
  const results::Row* first = nullptr;
  std::uint32_t offset = 0;
  for (const std::vector<results::Row>& rows : runs) {
    if (rows.empty()) continue;
    if (first == nullptr) first = &rows.front();
    std::uint32_t count = 0;
    for (const results::Row& r : rows) {
      results::Row merged = r;
      merged.run_id = first->run_id;
      merged.started_utc = first->started_utc;
      merged.repetition = r.repetition + offset;
      count = std::max(count, r.repetition + 1);
      out.push_back(std::move(merged));
    }
    offset += count;
  }
  return out;
}

RunOutcome run_in_processes(const RunConfig& cfg, int repetitions) {
  const std::vector<int> shares =
      repetitions_per_process(repetitions, static_cast<int>(cfg.processes));
  ResultsSink sink(cfg.out);  // checks OUT can be written before anything runs
  const std::string self = self_command();
  std::optional<InterruptGuard> guard(std::in_place);  // until the processes are done
  std::vector<std::vector<results::Row>> runs;
  std::vector<context::Entries> contexts;
  std::vector<std::string> written;
  RunOutcome outcome;
  std::string failure;
  for (std::size_t k = 0; k < shares.size(); ++k) {
    RunConfig child = cfg;
    child.processes = 1;
    child.repetitions = shares[k];
    child.no_table = true;
    child.out = std::filesystem::path(cfg.out)
                    .replace_extension(".process" + std::to_string(k + 1) + ".csv")
                    .string();
    log_line("process " + std::to_string(k + 1) + " of " + std::to_string(shares.size()) + ": " +
             std::to_string(shares[k]) + (shares[k] == 1 ? " repetition" : " repetitions"));
    const int status = process::run_shell(self, run_args(child));
    written.push_back(child.out);
    const bool interrupted = guard->interrupted(status);
    if (status != 0 && !interrupted) {
      failure = "ptebench run: process " + std::to_string(k + 1) + " of " +
                std::to_string(shares.size()) + " exited " + std::to_string(status);
      break;
    }
    // An interrupted process keeps the repetitions it finished (run_suite), maybe none.
    if (std::filesystem::exists(child.out)) {
      runs.push_back(results::read_results(child.out));
      contexts.push_back(context::read_context(context::context_path(child.out)));
    }
    if (interrupted) {
      outcome.interrupted = true;
      break;
    }
  }
  guard.reset();
  const auto remove_parts = [&] {
    for (const std::string& path : written) {
      std::filesystem::remove(path);
      std::filesystem::remove(context::context_path(path));
    }
  };
  if (!failure.empty()) {
    remove_parts();
    throw InputError(failure + "; " + cfg.out + " not written");
  }
  outcome.rows = merge_process_rows(runs);
  // The merge numbered the repetitions 0 .. finished - 1 across the processes.
  for (const results::Row& r : outcome.rows)
    outcome.repetitions_finished =
        std::max(outcome.repetitions_finished, static_cast<int>(r.repetition) + 1);
  if (!outcome.rows.empty()) {
    RunIdentity identity;
    identity.context = merge_contexts(contexts, runs.size());
    sink.commit(outcome.rows, identity);
    log_line(std::to_string(outcome.repetitions_finished) + " repetitions in " +
             std::to_string(runs.size()) + " processes -> " + sink.path() + " (+ " +
             sink.context_path() + ")");
  }
  remove_parts();
  return outcome;
}

}  // namespace ptebench::cli
