// Tests harness/run_context: run ids, the rows it fills, the sidecar's round trip and its
// reader's errors (the machine probe: machine_probe_test).
#include "harness/run_context.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "harness/input_error.h"
#include "harness/results_reader.h"
#include "test_files.h"

namespace ptebench::context {
namespace {

namespace fs = std::filesystem;
using test::error_of;

TEST_CASE("run stamps: UTC time - host and pid", "[run_context]") {
  // 2026-11-24T16:30:00Z is 1795537800 s after the epoch.
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1795537800));
  const RunStamp s = make_run_stamp(t, "ci", 1234);
  CHECK(s.run_id == "20261124T163000Z-ci-1234");
  CHECK(s.started_utc == "2026-11-24T16:30:00Z");
  CHECK(make_run_stamp(t, "my host/x", 7).run_id == "20261124T163000Z-my_host_x-7");
  CHECK(make_run_stamp(t, "", 7).run_id == "20261124T163000Z-unknown-7");
}

TEST_CASE("collect_run_context fills rows the writer accepts", "[run_context]") {
  RunInputs in;
  in.compiler = "GNU 12.2.0";
  in.compiler_flags = "-O2 -fno-strict-aliasing\n-mno-sse";
  in.counter_scope = "user";
  in.seed = 42;
  in.git_rev = "abc1234";
  in.suite = "quick";
  in.extra = {{"benchmark_version", "1.7.1"}};
  const RunContext c = collect_run_context(in);
  CHECK(c.stamp.run_id.find("-" + c.machine.host + "-" + std::to_string(::getpid())) !=
        std::string::npos);

  results::Row row;
  fill_run_columns(c, row);
  row.codegen = "kernel";
  row.workload = "zap_range";
  row.pte_format = "x86_64";
  row.variant = "plain";
  row.layout = "dense";
  row.metric = "ns_per_pte";
  CHECK_FALSE(results::check_row(row).has_value());
  CHECK(row.kernel == c.machine.kernel_release);
  CHECK(row.suite == "quick");

  const Entries e = context_entries(c);
  REQUIRE(e.size() == 20);
  CHECK(e.front() == std::pair<std::string, std::string>{"schema", "ptebench-context/1"});
  CHECK(find_entry(e, "compiler_flags") == "-O2 -fno-strict-aliasing -mno-sse");
  CHECK(find_entry(e, "seed") == "42");
  CHECK(find_entry(e, "benchmark_version") == "1.7.1");
  CHECK(find_entry(e, "no_such_key") == std::nullopt);
  RunInputs empty;
  CHECK(find_entry(context_entries(RunContext{c.stamp, c.machine, empty}), "counter_scope") ==
        "unknown");
}

TEST_CASE("a given host name stands for uname's in the rows, run_id and sidecar (which keeps it)",
          "[run_context]") {
  RunInputs in;
  in.suite = "quick";
  const RunContext probed = collect_run_context(in);
  in.host = "ci-runner-3";
  const RunContext named = collect_run_context(in);
  CHECK(named.machine.host == "ci-runner-3");
  CHECK(named.stamp.run_id.find("-ci-runner-3-" + std::to_string(::getpid())) != std::string::npos);
  results::Row row;
  fill_run_columns(named, row);
  CHECK(row.host == "ci-runner-3");
  const Entries e = context_entries(named);
  CHECK(find_entry(e, "host") == "ci-runner-3");
  CHECK(find_entry(e, "uname_nodename") == probed.machine.host);
  CHECK(find_entry(context_entries(probed), "uname_nodename") == std::nullopt);

  CHECK(valid_host_name("ci-runner-3"));
  CHECK(valid_host_name("build.example.org"));
  CHECK(valid_host_name(std::string(64, 'a')));
  CHECK_FALSE(valid_host_name(""));
  CHECK_FALSE(valid_host_name(std::string(65, 'a')));
  CHECK_FALSE(valid_host_name("my host"));
  CHECK_FALSE(valid_host_name("a,b"));
  CHECK_FALSE(valid_host_name("x/y"));
}

TEST_CASE("the sidecar sits next to the results file", "[run_context]") {
  CHECK(context_path("out.csv") == "out.context.csv");
  CHECK(context_path("/r/nightly-2026.11.24.csv") == "/r/nightly-2026.11.24.context.csv");
  CHECK(context_path("results/run") == "results/run.context.csv");
}

TEST_CASE("the sidecar is written atomically and reads back", "[run_context]") {
  test::TempDir dir;
  const fs::path file = context_path(dir / "out.csv");
  const Entries entries = {{"schema", "ptebench-context/1"},
                           {"compiler_flags", "-O2, \"quoted\""},
                           {"cpufreq_governor", "performance,schedutil"}};
  write_context(file, entries);
  CHECK(test::slurp(file) ==
        "key,value\nschema,ptebench-context/1\ncompiler_flags,\"-O2, \"\"quoted\"\"\"\n"
        "cpufreq_governor,\"performance,schedutil\"\n");
  CHECK(read_context(file) == entries);
}

TEST_CASE("the sidecar reader names file - line and column", "[run_context]") {
  test::TempDir dir;
  using Case = std::pair<std::string, std::string>;  // contents, message after the path
  const auto [contents, message] = GENERATE(values<Case>({
      {"", ":1: empty file; expected key,value"},
      {"k,value\n", ":1:1: header must be key,value"},
      {"key,value\nschema,ptebench-context/1\nseed,1\nseed,2\n",
       ":4:1: key \"seed\" appears twice"},
      {"key,value\nschema,ptebench-context/1\nseed\n", ":3:2: row has 1 field; expected key,value"},
      {"key,value\nschema,ptebench-context/1\na,b,c\n",
       ":3:3: row has more than 2 fields; expected key,value"},
      {"key,value\nschema,ptebench-context/1\n,x\n", ":3:1: empty key"},
      {"key,value\nseed,1\n", ": schema is missing; expected ptebench-context/1"},
      {"key,value\nschema,ptebench-context/9\n",
       ": schema is \"ptebench-context/9\"; expected ptebench-context/1"},
  }));
  const fs::path file = dir.write("x.context.csv", contents);
  CHECK(error_of([&] { read_context(file); }) == file.string() + message);
  const fs::path missing = dir / "missing.context.csv";
  CHECK(error_of([&] { read_context(missing); }) ==
        missing.string() + ": cannot open: No such file or directory");
}

}  // namespace
}  // namespace ptebench::context
