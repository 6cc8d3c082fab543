// Tests harness/machine_probe: parsing of /proc and /sys text (on fake trees, so x86_64 and
// arm64 machines, VMs without cpufreq and containers without THP are all covered here).
#include "harness/machine_probe.h"

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

TEST_CASE("the CPU model comes from model name - or from MIDR fields on arm64", "[machine_probe]") {
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

TEST_CASE("sysfs choice files give their selected mode", "[machine_probe]") {
  CHECK(selected_mode("always [madvise] never\n") == "madvise");
  CHECK(selected_mode("[always] defer defer+madvise madvise never") == "always");
  CHECK(selected_mode("never") == "never");
  CHECK(selected_mode("") == "unknown");
}

TEST_CASE("one_line makes any text one printable line", "[machine_probe]") {
  CHECK(one_line("  a\tb\r\nc  ") == "a b c");
  CHECK(one_line("Intel(R)   Xeon(R)") == "Intel(R) Xeon(R)");
  CHECK(one_line("\n") == "");
}

TEST_CASE("probe_machine reads a fake /proc and /sys tree", "[machine_probe]") {
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

TEST_CASE("the real machine probes without error", "[machine_probe]") {
  const Machine m = probe_machine();
  CHECK(m.cpu_model != "");
  CHECK(m.randomize_va_space.find_first_not_of("012") == std::string::npos);
#if defined(__x86_64__)
  CHECK(m.arch == "x86_64");
#elif defined(__aarch64__)
  CHECK(m.arch == "aarch64");
#endif
}

}  // namespace
}  // namespace ptebench::context
