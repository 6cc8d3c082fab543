// Tests harness/run_context: parsing of /proc and /sys text (on fake trees, so x86_64 and arm64
// machines, VMs without cpufreq and containers without THP are all covered here), run ids,
// the sidecar's round trip and its reader's errors.
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

// Shortened from a real x86_64 /proc/cpuinfo.
const char* const kX86Cpuinfo =
    "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
    "model name\t: Intel(R) Xeon(R) Gold 6230   CPU @ 2.10GHz\nstepping\t: 7\n\n"
    "processor\t: 1\nvendor_id\t: GenuineIntel\n"
    "model name\t: Intel(R) Xeon(R) Gold 6230   CPU @ 2.10GHz\n\n";

// Shortened from an Ampere Altra (Neoverse-N1) /proc/cpuinfo: arm64 has no "model name".
const char* const kAltraCpuinfo =
    "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm aes pmull sha1\n"
    "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x3\nCPU part\t: 0xd0c\n"
    "CPU revision\t: 1\n\n"
    "processor\t: 1\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\nCPU architecture: 8\n"
    "CPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1\n\n";

TEST_CASE("the CPU model comes from model name - or from MIDR fields on arm64", "[run_context]") {
  CHECK(cpu_model_from_cpuinfo(kX86Cpuinfo) == "Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz");
  CHECK(cpu_model_from_cpuinfo(kAltraCpuinfo) == "ARM Neoverse-N1");
  // big.LITTLE: distinct parts in order of appearance.
  CHECK(cpu_model_from_cpuinfo("CPU implementer : 0x41\nCPU part : 0xd05\n"
                               "CPU implementer : 0x41\nCPU part : 0xd05\n"
                               "CPU implementer : 0x41\nCPU part : 0xd0b\n") ==
        "ARM Cortex-A55 + ARM Cortex-A76");
  CHECK(cpu_model_from_cpuinfo("CPU implementer : 0x41\nCPU part : 0xD99\n") ==
        "implementer 0x41 part 0xd99");
  CHECK(cpu_model_from_cpuinfo("CPU implementer : 0xc0\nCPU part : 0xac3\n") == "Ampere AmpereOne");
  CHECK(cpu_model_from_cpuinfo("") == "unknown");
  CHECK(cpu_model_from_cpuinfo("CPU part : 0xd0c\n") == "unknown");  // no implementer
}

TEST_CASE("sysfs choice files give their selected mode", "[run_context]") {
  CHECK(selected_mode("always [madvise] never\n") == "madvise");
  CHECK(selected_mode("[always] defer defer+madvise madvise never") == "always");
  CHECK(selected_mode("never") == "never");
  CHECK(selected_mode("") == "unknown");
}

TEST_CASE("one_line makes any text one printable line", "[run_context]") {
  CHECK(one_line("  a\tb\r\nc  ") == "a b c");
  CHECK(one_line("Intel(R)   Xeon(R)") == "Intel(R) Xeon(R)");
  CHECK(one_line("\n") == "");
}

TEST_CASE("probe_machine reads a fake /proc and /sys tree", "[run_context]") {
  test::TempDir root;
  SECTION("a bare-metal arm64 host") {
    root.write("proc/cpuinfo", kAltraCpuinfo);
    root.write("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n");
    root.write("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "schedutil\n");
    root.write("sys/devices/system/cpu/cpu12/cpufreq/scaling_governor", "performance\n");
    root.write("sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "ignored\n");
    root.write("sys/devices/system/cpu/cpuidle/current_driver", "psci_idle\n");
    root.write("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
    root.write("sys/kernel/mm/transparent_hugepage/defrag",
               "always defer [defer+madvise] madvise never\n");
    root.write("proc/sys/kernel/randomize_va_space", "2\n");
    const Machine m = probe_machine(root.path());
    CHECK(m.cpu_model == "ARM Neoverse-N1");
    CHECK(m.cpufreq_governor == "performance,schedutil");
    CHECK(m.thp_enabled == "madvise");
    CHECK(m.thp_defrag == "defer+madvise");
    CHECK(m.randomize_va_space == "2");
  }
  SECTION("a VM or container with none of it: unknown, never a failure") {
    const Machine m = probe_machine(root.path());
    CHECK(m.cpu_model == "unknown");
    CHECK(m.cpufreq_governor == "unknown");
    CHECK(m.thp_enabled == "unknown");
    CHECK(m.thp_defrag == "unknown");
    CHECK(m.randomize_va_space == "unknown");
    // From uname(2) and sysconf: always there.
    CHECK_FALSE(m.host.empty());
    CHECK_FALSE(m.arch.empty());
    CHECK(m.kernel_release != "unknown");
    CHECK(std::stoi(m.online_cpus) >= 1);
  }
}

TEST_CASE("the real machine probes without error", "[run_context]") {
  const Machine m = probe_machine();
  CHECK(m.cpu_model != "");
  CHECK(m.randomize_va_space.find_first_not_of("012") == std::string::npos);
#if defined(__x86_64__)
  CHECK(m.arch == "x86_64");
#elif defined(__aarch64__)
  CHECK(m.arch == "aarch64");
#endif
}

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
