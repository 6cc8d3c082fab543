// Tests for bench/runner/run_args: the arguments a child `ptebench run` is given parse back,
// through run's own flags (cli/run_flags), into the configuration they were made from.
#include "bench/runner/run_args.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "bench/cli/flags.h"
#include "bench/cli/run_flags.h"

namespace {

using ptebench::cli::Codegen;
using ptebench::cli::Engine;
using ptebench::cli::RunConfig;

RunConfig parse_back(const std::vector<std::string>& args) {
  std::vector<std::string> words = {"ptebench"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  RunConfig back;
  ptebench::cli::FlagParser flags("run");
  ptebench::cli::add_run_flags(flags, back);
  CHECK(flags.parse(static_cast<int>(argv.size()), argv.data(), 2).empty());
  return back;
}

void check_same(const RunConfig& a, const RunConfig& b) {
  CHECK(a.suite == b.suite);
  CHECK(a.filters == b.filters);
  CHECK(a.repetitions == b.repetitions);
  CHECK(a.out == b.out);
  CHECK(a.counters == b.counters);
  CHECK(a.slowdowns == b.slowdowns);
  CHECK(a.seed == b.seed);
  CHECK(a.cpu == b.cpu);
  CHECK(a.no_pin == b.no_pin);
  CHECK(a.codegen == b.codegen);
  CHECK(a.no_table == b.no_table);
  CHECK(a.case_budget_ms == b.case_budget_ms);
  CHECK(a.engine == b.engine);
  CHECK(a.processes == b.processes);
  CHECK(a.host == b.host);
}

}  // namespace

TEST_CASE("run_args: every field set by a flag parses back") {
  RunConfig cfg;
  cfg.suite = "nightly";
  cfg.filters = {"zap_range/*", "copy_range/x86_64/plain/dense/4096/kernel"};
  cfg.repetitions = 7;
  cfg.out = "/tmp/x y.csv";
  cfg.counters = {"cycles", "instructions"};
  cfg.slowdowns = {"zap_range/*=5"};
  cfg.seed = 42;
  cfg.cpu = 1;
  cfg.no_pin = true;
  cfg.codegen = Codegen::both;
  cfg.no_table = true;
  cfg.case_budget_ms = 0;
  cfg.engine = Engine::valgrind;
  cfg.processes = 4;
  cfg.host = "ci-runner.x86_64";
  check_same(parse_back(ptebench::cli::run_args(cfg)), cfg);
}

TEST_CASE("run_args: the suite's values are left to the child's defaults") {
  RunConfig cfg;  // repetitions 0, case budget -1, codegen suite, cpu -1: the suite's
  const auto args = ptebench::cli::run_args(cfg);
  for (const char* absent : {"--repetitions", "--case-budget-ms", "--codegen", "--cpu", "--engine",
                             "--no-pin", "--no-table", "--processes", "--host"}) {
    INFO(absent);
    CHECK(std::find(args.begin(), args.end(), std::string(absent)) == args.end());
  }
  check_same(parse_back(args), cfg);
}
