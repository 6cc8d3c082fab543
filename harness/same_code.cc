#include "harness/same_code.h"

#include <array>
#include <vector>

#include "harness/codegen_diff.h"

namespace ptebench::codegen {
namespace {

constexpr std::array<std::string_view, 5> kWalkers = {"copy_range", "zap_range", "reclaim_walk",
                                                      "reclaim_rmap", "none_scan"};

}  // namespace

SameCodeMap same_code_pairs(std::string_view objdump_text) {
  const std::vector<Function> all = parse_objdump(objdump_text);
  SameCodeMap same;
  for (const std::string_view profile : {"kernel", "user"}) {
    // One profile's functions: its walkers live in namespace ptebench::cg_<profile>
    // (workloads/CMakeLists.txt), and walker_code() does not tell the profiles apart.
    const std::string ns = "ptebench::cg_" + std::string(profile) + "::";
    std::vector<Function> fns;
    for (const Function& f : all)
      if (f.name.find(ns) != std::string::npos) fns.push_back(f);
    for (const std::string_view walker : kWalkers) {
      for (const auto& [format, type] :
           {std::pair<std::string_view, std::string_view>{"x86_64", "X86_64"},
            std::pair<std::string_view, std::string_view>{"arm64", "Arm64"}}) {
        // When the walker was inlined into WalkImpl::run() (unit_or_run), the stream holds every
        // walker of that format and policy: equal then means equal for each walker, unequal
        // may hide an equal walker (no mark: never a mark that is not true).
        bool inlined = false;
        const std::vector<std::string> plain =
            unit_or_run(fns, walker, type, Policy::plain, &inlined);
        if (plain.empty()) continue;
        for (const Policy policy : {Policy::read_once, Policy::arch}) {
          const std::vector<std::string> code = unit_or_run(fns, walker, type, policy, &inlined);
          if (code.empty()) continue;
          same[SameCodeKey{std::string(walker), std::string(format), std::string(profile),
                           std::string(policy_name(policy))}] = code == plain;
        }
      }
    }
  }
  return same;
}

std::string walker_of_workload(std::string_view workload) {
  if (workload == "munmap") return "zap_range";
  for (const std::string_view walker : kWalkers)
    if (walker == workload) return std::string(walker);
  return "";
}

}  // namespace ptebench::codegen
