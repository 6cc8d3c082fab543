// The native operations: each is one system call of the running kernel whose cost is dominated
// by a page-table walk over the case's mapping. The registry is data — name, one-line summary
// and the kernel functions it exercises — for `ptebench list` and the report.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace ptebench::native {

enum class NativeOp { fork, munmap, dontneed, cold, pageout, clear_refs, mremap };

struct NativeOpInfo {
  NativeOp op;
  std::string_view name;         // "native_fork": the workload column of the results
  std::string_view summary;      // what is timed
  std::string_view kernel_walk;  // the kernel functions that walk the PTEs
};

// Every op, in the order the suites list them.
std::span<const NativeOpInfo> native_ops();

const NativeOpInfo& op_info(NativeOp op);

// The op named `name` ("native_fork", ...), or nullopt.
std::optional<NativeOp> parse_native_op(std::string_view name);

}  // namespace ptebench::native
