// ptebench codegen: for each walker x format x codegen profile (a walker's code with the
// out-of-line helpers it calls with its policy: harness/codegen_diff.h), whether plain, read_once
// and arch compile to the same machine code, how many instructions differ, and with --diff the
// differing instructions. Reads ptebench's own walker objects (the two compilations of
// workloads/walkers/instantiate.cc) with binutils' objdump (aarch64-linux-gnu-objdump for a
// cross build's objects); the analysis is harness/codegen_diff.h.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/cli/commands.h"
#include "bench/cli/flags.h"
#include "harness/codegen_diff.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/process.h"

namespace ptebench::cli {
namespace {

// The build directory: ptebench is <build>/bench/ptebench.
std::string default_build_dir() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string exe(buf, static_cast<std::size_t>(n));
  for (int up = 0; up < 2; ++up) {
    const std::size_t slash = exe.rfind('/');
    if (slash == std::string::npos) return ".";
    exe.resize(slash);
  }
  return exe.empty() ? "/" : exe;
}

}  // namespace

int cmd_codegen(int argc, char** argv) {
  bool show_diff = false;
  std::string walker_filter, profile_filter = "both", objdump, build_dir = default_build_dir();
  FlagParser flags("codegen");
  flags.add_bool("diff", &show_diff, "print the differing instructions of each pair");
  flags.add_string("walker", &walker_filter, "only this walker (default: all)");
  flags.add_string("codegen", &profile_filter, "kernel | user | both (default both)");
  flags.add_string("objdump", &objdump,
                   "objdump to use (default: objdump, else aarch64-linux-gnu-objdump)");
  flags.add_string("build-dir", &build_dir, "the build directory (default: ptebench's)");
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::printf("usage: ptebench codegen [flags]\n%s", flags.usage().c_str());
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench codegen: unexpected argument '" + positional[0] + "'");
  if (profile_filter != "kernel" && profile_filter != "user" && profile_filter != "both")
    throw InputError("ptebench codegen: --codegen must be kernel, user or both, got '" +
                     profile_filter + "'");
  const std::vector<std::string> walkers = {"copy_range", "zap_range", "reclaim_walk",
                                            "reclaim_rmap", "none_scan"};
  if (!walker_filter.empty() &&
      std::find(walkers.begin(), walkers.end(), walker_filter) == walkers.end())
    throw InputError("ptebench codegen: --walker '" + walker_filter +
                     "' is not one of copy_range, zap_range, reclaim_walk, reclaim_rmap, "
                     "none_scan (munmap is zap_range's code)");

  const auto object_of = [&](const std::string& profile) {
    return build_dir + "/workloads/CMakeFiles/ptebench_walkers_" + profile +
           ".dir/walkers/instantiate.cc.o";
  };
  for (const std::string profile : {"kernel", "user"}) {
    if (profile_filter != "both" && profile_filter != profile) continue;
    if (::access(object_of(profile).c_str(), R_OK) != 0)
      throw InputError("ptebench codegen: " + object_of(profile) +
                       ": no walker object (build the project, or give --build-dir)");
  }
  std::printf("%-7s %-13s %-7s %-26s %s\n", "codegen", "walker", "format", "read_once vs plain",
              "arch vs plain");
  for (const std::string profile : {"kernel", "user"}) {
    if (profile_filter != "both" && profile_filter != profile) continue;
    const std::string object = object_of(profile);
    // binutils' objdump reads the host's objects; a cross build's need the target's.
    std::vector<std::string> tools = {objdump};
    if (objdump.empty()) tools = {"objdump", "aarch64-linux-gnu-objdump"};
    std::string text, used;
    for (const std::string& tool : tools) {
      text.clear();
      if (process::capture_shell(process::shell_quote(tool) + " -d -r -C --no-show-raw-insn " +
                                     process::shell_quote(object) + " 2>/dev/null",
                                 {}, &text) == 0 &&
          !text.empty()) {
        used = tool;
        break;
      }
    }
    if (used.empty()) {
      log_skip("ptebench codegen " + profile,
               "no objdump could disassemble " + object + " (install binutils, or " +
                   "binutils-aarch64-linux-gnu for a cross build's objects)");
      continue;
    }
    const std::vector<codegen::Function> fns = codegen::parse_objdump(text);
    // A function of plain or read_once that no walker's code holds would be left out of the
    // comparison (a helper missing from codegen::out_of_line_helpers()): say so, by name.
    for (const std::string& name : codegen::unattributed(fns, walkers))
      std::printf("%-7s unattributed (in no walker's code): %s\n", profile.c_str(), name.c_str());
    for (const std::string& walker : walkers) {
      if (!walker_filter.empty() && walker != walker_filter) continue;
      for (const auto& [format, type] : {std::pair<const char*, const char*>{"x86_64", "X86_64"},
                                         std::pair<const char*, const char*>{"arm64", "Arm64"}}) {
        bool inlined_p = false, inlined_r = false, inlined_a = false;
        const auto plain =
            codegen::unit_or_run(fns, walker, type, codegen::Policy::plain, &inlined_p);
        const auto read_once =
            codegen::unit_or_run(fns, walker, type, codegen::Policy::read_once, &inlined_r);
        const auto arch =
            codegen::unit_or_run(fns, walker, type, codegen::Policy::arch, &inlined_a);
        if (plain.empty()) {
          std::printf("%-7s %-13s %-7s no code found\n", profile.c_str(), walker.c_str(), format);
          continue;
        }
        const codegen::Diff dr = codegen::diff(plain, read_once);
        const codegen::Diff da = codegen::diff(plain, arch);
        auto verdict = [&](const codegen::Diff& d) {
          if (d.same()) return "same (" + std::to_string(plain.size()) + " insns)";
          return std::to_string(d.only_a + d.only_b) + " differ (-" + std::to_string(d.only_a) +
                 " +" + std::to_string(d.only_b) + ")";
        };
        const std::string where = inlined_p ? "  [inlined: WalkImpl::run(), all walkers]" : "";
        std::printf("%-7s %-13s %-7s %-26s %s%s\n", profile.c_str(), walker.c_str(), format,
                    verdict(dr).c_str(), verdict(da).c_str(), where.c_str());
        if (!show_diff) continue;
        for (const auto& [label, d] :
             {std::pair<const char*, const codegen::Diff*>{"read_once", &dr},
              std::pair<const char*, const codegen::Diff*>{"arch", &da}}) {
          if (d->same()) continue;
          std::printf("--- %s/%s/%s plain\n+++ %s/%s/%s %s\n", walker.c_str(), format,
                      profile.c_str(), walker.c_str(), format, profile.c_str(), label);
          for (const codegen::DiffLine& l : d->lines)
            if (l.op != ' ') std::printf("%c %s\n", l.op, l.text.c_str());
        }
      }
    }
  }
  return 0;
}

}  // namespace ptebench::cli
