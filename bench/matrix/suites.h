// Suites are data: which cases a `ptebench run --suite NAME` runs, how many repetitions, and
// how much work one repetition of a case does. The axes are typed (the workloads' enums), so a
// misspelt walker, variant, profile or native op in a row does not compile.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "workloads/native/native_op.h"
#include "workloads/walk.h"

namespace ptebench::cli {

// A suite's codegen profile: one of the two, or the build's default (PTEBENCH_CODEGEN).
enum class SuiteProfile { build_default, kernel, user };

struct SuiteSpec {
  std::string_view name;
  std::string_view summary;
  std::vector<WalkerKind> walkers;  // synthetic workloads
  std::vector<std::string_view> formats;
  std::vector<VariantKind> variants;
  std::vector<std::string_view> layouts;  // contpte is run for arm64 only
  std::vector<std::uint64_t> ptes;
  std::vector<SuiteProfile> profiles;
  std::vector<native::NativeOp> native_ops;
  std::vector<std::string_view> native_layouts;  // 4k, thp, or mthp: every mthp size there is
  std::vector<std::uint64_t> native_size_mib;
  int repetitions;
  // Entries one repetition of a synthetic case walks in total: iterations = this / ptes
  // (at least 1), so that every case does comparable work whatever its size.
  std::uint64_t entries_per_repetition;
  // Wall time one repetition of a synthetic case may take (its walks and their untimed resets):
  // the walks are calibrated to it once per run, at most the fixed count above, so that the
  // suite's time holds on a slower machine. 0: always the fixed count.
  std::int64_t case_budget_ms = 0;
  // Timed operations per repetition of a native case, at most (fewer for large mappings: see
  // matrix/native_cases.cc). Each one needs its mapping populated again, untimed, which costs
  // more than the operation: in the quick suite the native cases were 29 of its 52 s at 4.
  std::uint64_t native_ops_max = 4;
};

const std::vector<SuiteSpec>& suites();
const SuiteSpec* find_suite(std::string_view name);

}  // namespace ptebench::cli
