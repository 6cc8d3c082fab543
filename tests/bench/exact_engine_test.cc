// Tests for bench/runner/exact_engine that need no Valgrind: the --engine flag, and the SKIP of the
// exact engine where it cannot run (under an emulator, no valgrind on PATH): one logged line, an
// empty results file, the reason per case in the sidecar, exit status 0. The bracketing itself
// is checked under Valgrind by exact:bracketing (tests/bench/exact_engine_check.cc).
#include "bench/runner/exact_engine.h"

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/runner/run_suite.h"
#include "cli_driver.h"
#include "harness/results_reader.h"
#include "harness/run_context.h"

namespace {

namespace fs = std::filesystem;

using ptebench::test::run_cli;

fs::path scratch(const std::string& name) {
  return ptebench::test::scratch_path("exact_engine_test", name);
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_.empty())
      ::unsetenv(name_);
    else
      ::setenv(name_, old_.c_str(), 1);
  }

 private:
  const char* name_;
  std::string old_;
};

std::string entry(const fs::path& out, const std::string& key) {
  const auto entries = ptebench::context::read_context(ptebench::context::context_path(out));
  return ptebench::context::find_entry(entries, key).value_or("(absent)");
}

constexpr const char* kCase = "copy_range/x86_64/plain/dense/4096/kernel";

}  // namespace

TEST_CASE("the engine flag: unknown names and --counters with valgrind are bad input") {
  const auto out = scratch("never.csv");
  CHECK(run_cli({"run", "--engine", "qemu", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--engine", "valgrind", "--counters", "cycles", "--out", out.string()}) ==
        2);
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("the exact engine under an emulator is a SKIP with the reason, not a failure") {
  ScopedEnv emulator("PTEBENCH_EMULATOR", "qemu-user");
  const auto out = scratch("emulated.csv");
  CHECK(run_cli({"run", "--engine", "valgrind", "--filter", kCase, "--out", out.string()}) == 0);
  CHECK(ptebench::results::read_results(out).empty());  // no rows, never a fake zero
  CHECK(entry(out, "engine") == "valgrind");
  CHECK(entry(out, std::string("skip:") + kCase) ==
        "exact engine: running under the emulator qemu-user: Valgrind cannot run the walkers "
        "under a user-mode emulator");
}

TEST_CASE("the exact engine without valgrind on PATH is a SKIP with the reason") {
  ScopedEnv path("PATH", "/nonexistent-ptebench-test");
  ScopedEnv no_emulator("PTEBENCH_EMULATOR", "");
  const auto out = scratch("no_valgrind.csv");
  CHECK(run_cli({"run", "--engine", "valgrind", "--filter", kCase, "--out", out.string()}) == 0);
  CHECK(ptebench::results::read_results(out).empty());
  const std::string reason = entry(out, std::string("skip:") + kCase);
  // A build without valgrind/callgrind.h or with AddressSanitizer names that first; either way
  // it is a SKIP with its reason.
  CHECK((reason.find("no valgrind on PATH") != std::string::npos ||
         reason.find("built without valgrind/callgrind.h") != std::string::npos ||
         reason.find("built with AddressSanitizer") != std::string::npos));
}

TEST_CASE("the timer engine names its engine in the sidecar and is not the exact child") {
  ptebench::context::Entries entries;
  ptebench::cli::exact::add_context(nullptr, entries);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0] == std::pair<std::string, std::string>("engine", "timer"));
  ptebench::cli::exact::add_context(nullptr, entries);  // replaces, never duplicates
  CHECK(entries.size() == 1);
  CHECK_FALSE(ptebench::cli::exact::in_child());
}

TEST_CASE("the exact engine's sidecar keys: geometry as the dumps state it, injections") {
  ptebench::cli::exact::Session session;
  session.valgrind_version = "valgrind-3.19.0";
  session.cache_desc = {"I1 cache: 32768 B, 64 B, 8-way associative",
                        "D1 cache: 32768 B, 64 B, 8-way associative",
                        "LL cache: 8388608 B, 64 B, 16-way associative"};
  session.injected[kCase] = 284;
  ptebench::context::Entries entries = {{"engine", "timer"}};
  ptebench::cli::exact::add_context(&session, entries);
  const auto find = [&](const std::string& key) {
    return ptebench::context::find_entry(entries, key).value_or("(absent)");
  };
  CHECK(find("engine") == "valgrind");
  CHECK(find("valgrind_version") == "valgrind-3.19.0");
  CHECK(find("sim_ll_cache") == "8388608 B, 64 B, 16-way associative");
  CHECK(find("exact_walks_per_repetition") == "1");
  CHECK(find(std::string("exact_injected:") + kCase) == "284");
}
