#include "bench/runner/nightly_reruns.h"

#include <cstdlib>
#include <filesystem>

#include "bench/runner/interrupt_guard.h"
#include "bench/runner/run_args.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/process.h"
#include "harness/results_reader.h"

namespace ptebench::cli {

std::vector<std::string> rerun_args(const RunConfig& night,
                                    const std::vector<std::string>& case_names,
                                    const std::string& out) {
  RunConfig cfg = night;
  cfg.filters = case_names;
  cfg.out = out;
  cfg.no_table = true;
  cfg.processes = 1;  // each re-run is one fresh process
  return run_args(cfg);
}

Reruns rerun_cases(const RunConfig& night, const std::vector<std::string>& case_names,
                   std::size_t processes) {
  Reruns out;
  if (case_names.empty()) return out;
  const std::string self = self_command();
  const InterruptGuard guard;
  for (std::size_t k = 1; k <= processes; ++k) {
    const std::string path = std::filesystem::path(night.out)
                                 .replace_extension(".rerun" + std::to_string(k) + ".csv")
                                 .string();
    const int status = process::run_shell(self, rerun_args(night, case_names, path));
    if (guard.interrupted(status)) {
      log_line("re-run " + std::to_string(k) + " of the suspects interrupted: no further re-run");
      out.interrupted = true;
      break;
    }
    if (status != 0) {
      log_line("re-run " + std::to_string(k) + " of the suspects failed (exit " +
               std::to_string(status) + "): left out");
      continue;
    }
    try {
      out.runs.push_back(results::read_results(path));
    } catch (const InputError& e) {
      log_line(std::string("re-run ") + std::to_string(k) + " left out: " + e.what());
    }
  }
  return out;
}

}  // namespace ptebench::cli
