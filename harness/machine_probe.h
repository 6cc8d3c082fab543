// The machine a run runs on, probed from /proc, /sys and uname(2): CPU model (arm64 MIDR parts
// named from the kernel's cputype.h), online CPUs, kernel, cpufreq governor, THP modes, ASLR.
// What run_context records in the sidecar and the results' run-wide columns.
//
// Probing never fails: a file that cannot be read (no cpufreq in a VM, no THP, a container
// without /sys) gives the value "unknown".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ptebench::context {

inline constexpr std::string_view kUnknown = "unknown";

// Facts about the machine and kernel, read from /proc, /sys and uname(2).
struct Machine {
  std::string host;                // uname nodename
  std::string arch;                // uname machine: x86_64 | aarch64
  std::string cpu_model;           // /proc/cpuinfo, see cpu_model_from_cpuinfo()
  std::string online_cpus;         // sysconf(_SC_NPROCESSORS_ONLN)
  std::string kernel_release;      // uname -r
  std::string kernel_version;      // uname -v
  std::string cpufreq_governor;    // distinct scaling_governor values of all CPUs, sorted, ","
  std::string thp_enabled;         // selected mode of transparent_hugepage/enabled: "madvise"
  std::string thp_defrag;          // selected mode of transparent_hugepage/defrag
  std::string randomize_va_space;  // ASLR: 0 off, 1 stack/mmap/vdso, 2 and brk
};

// Probes the running machine. `root` replaces "/" for the files read (tests pass a fake tree);
// host, arch and kernel come from uname(2) and ignore it.
Machine probe_machine(const std::filesystem::path& root = "/");

// The CPU model from the text of /proc/cpuinfo: x86 "model name"; arm64 has none, so the
// distinct "CPU implementer"/"CPU part" pairs are named ("ARM Neoverse-N1", several joined by
// " + " on big.LITTLE, or "implementer 0x41 part 0xd99" when the part is not in the table);
// "unknown" when neither is there.
std::string cpu_model_from_cpuinfo(std::string_view cpuinfo);

// The selected mode of a sysfs choice file: "always [madvise] never" -> "madvise".
std::string selected_mode(std::string_view sysfs_text);

// Replaces control characters (line breaks, tabs) by spaces and trims: one printable line.
std::string one_line(std::string_view text);

}  // namespace ptebench::context
