#include "bench/runner/run_args.h"

#include <cstdlib>
#include <filesystem>

#include "harness/process.h"

namespace ptebench::cli {

std::vector<std::string> run_args(const RunConfig& cfg) {
  std::vector<std::string> a = {
      "run", "--suite", cfg.suite, "--out", cfg.out, "--seed", std::to_string(cfg.seed)};
  if (cfg.engine == Engine::valgrind) a.insert(a.end(), {"--engine", "valgrind"});
  if (cfg.repetitions > 0) a.insert(a.end(), {"--repetitions", std::to_string(cfg.repetitions)});
  for (const std::string& f : cfg.filters) a.insert(a.end(), {"--filter", f});
  for (const std::string& s : cfg.slowdowns) a.insert(a.end(), {"--inject-slowdown", s});
  for (const std::string& c : cfg.counters) a.insert(a.end(), {"--counters", c});
  switch (cfg.codegen) {
    case Codegen::suite:
      break;
    case Codegen::kernel:
      a.insert(a.end(), {"--codegen", "kernel"});
      break;
    case Codegen::user:
      a.insert(a.end(), {"--codegen", "user"});
      break;
    case Codegen::both:
      a.insert(a.end(), {"--codegen", "both"});
      break;
  }
  if (cfg.case_budget_ms >= 0)
    a.insert(a.end(), {"--case-budget-ms", std::to_string(cfg.case_budget_ms)});
  if (cfg.cpu >= 0) a.insert(a.end(), {"--cpu", std::to_string(cfg.cpu)});
  if (cfg.no_pin) a.push_back("--no-pin");
  if (cfg.no_table) a.push_back("--no-table");
  if (!cfg.host.empty()) a.insert(a.end(), {"--host", cfg.host});
  if (cfg.processes > 1) a.insert(a.end(), {"--processes", std::to_string(cfg.processes)});
  return a;
}

std::string self_command() {
  const char* exe = std::getenv("PTEBENCH_EXE");
  return "exec " +
         (exe != nullptr && *exe != '\0'
              ? std::string(exe)
              : process::shell_quote(std::filesystem::read_symlink("/proc/self/exe").string()));
}

}  // namespace ptebench::cli
