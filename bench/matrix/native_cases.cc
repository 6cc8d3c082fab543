#include "bench/matrix/native_cases.h"

#include <algorithm>

#include "workloads/native/native_layout.h"
#include "workloads/native/native_op.h"

namespace ptebench::cli {
namespace {

// Timed operations per repetition: a 64 MiB case is short enough to repeat 4 times; from
// 256 MiB on, one operation is already tens of milliseconds.
std::uint64_t native_iterations(std::uint64_t size_bytes) {
  constexpr std::uint64_t kTarget = std::uint64_t{256} << 20;
  return std::clamp<std::uint64_t>(kTarget / size_bytes, 1, 4);
}

}  // namespace

std::vector<CaseSpec> native_cases(const SuiteSpec& suite) {
  std::vector<std::string> layouts;
  for (std::string_view l : suite.native_layouts) {
    if (l != "mthp") {
      layouts.emplace_back(l);
      continue;
    }
    for (const native::LayoutAvailability& a : native::list_layouts())
      if (a.layout.rfind("mthp-", 0) == 0) layouts.push_back(a.layout);
  }
  std::vector<CaseSpec> cases;
  for (const native::NativeOp op : suite.native_ops) {
    const native::NativeOpInfo& info = native::op_info(op);
    for (const std::string& layout : layouts)
      for (std::uint64_t mib : suite.native_size_mib) {
        CaseSpec c;
        c.native = true;
        c.workload = std::string(info.name);
        c.pte_format = "native";
        c.variant = "kernel";
        c.layout = layout;
        c.codegen = "native";
        c.size_bytes = mib << 20;
        c.ptes = c.size_bytes / 4096;
        c.iterations = std::min(native_iterations(c.size_bytes), suite.native_ops_max);
        c.summary = std::string(info.summary) + " [" + std::string(info.kernel_walk) + "]";
        cases.push_back(std::move(c));
      }
  }
  return cases;
}

}  // namespace ptebench::cli
