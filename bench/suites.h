// Suites are data: which cases a `ptebench run --suite NAME` runs, how many repetitions, and
// how much work one repetition of a case does.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ptebench::cli {

struct SuiteSpec {
  std::string_view name;
  std::string_view summary;
  std::vector<std::string_view> walkers;  // synthetic workloads
  std::vector<std::string_view> formats;
  std::vector<std::string_view> variants;
  std::vector<std::string_view> layouts;  // contpte is run for arm64 only
  std::vector<std::uint64_t> ptes;
  std::vector<std::string_view>
      profiles;  // kernel, user, or default (the build's PTEBENCH_CODEGEN)
  std::vector<std::string_view> native_ops;
  std::vector<std::string_view> native_layouts;
  std::vector<std::uint64_t> native_size_mib;
  int repetitions;
  // Entries one repetition of a synthetic case walks in total: iterations = this / ptes
  // (at least 1), so that every case does comparable work whatever its size.
  std::uint64_t entries_per_repetition;
};

const std::vector<SuiteSpec>& suites();
const SuiteSpec* find_suite(std::string_view name);

}  // namespace ptebench::cli
