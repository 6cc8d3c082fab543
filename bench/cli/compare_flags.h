// The comparison flags shared by `compare`, `ab` and `nightly`: --metric, --threshold,
// --threshold-on, --alpha, --format, --drift, --unit, --shift-limit, --all, --exact-threshold
// (harness/exact_verdict.h).
#pragma once

#include <optional>
#include <string>

#include "bench/cli/flags.h"
#include "harness/compare.h"

namespace ptebench::cli {

struct CompareFlags {
  compare::CompareOptions options;
  std::string format = "table";
  std::string drift;  // empty: the command's default (compare.h, CompareOptions::drift)
  std::string unit;   // empty: the command's default (compare_options.h, CompareOptions::unit)
  std::string threshold_on;  // empty: the command's default (compare_options.h, ThresholdOn)
  bool all = false;          // table and md list unchanged rows too
};

void add_compare_flags(FlagParser& flags, CompareFlags& cfg);

// After parsing: --drift, --unit and --threshold-on into options (InputError for an unknown
// name), each command's fallback when the flag was not given; then options.validate().
void resolve_compare_flags(
    CompareFlags& cfg, std::optional<compare::Drift> fallback = std::nullopt,
    std::optional<compare::Unit> fallback_unit = std::nullopt,
    std::optional<compare::ThresholdOn> fallback_threshold_on = std::nullopt);

}  // namespace ptebench::cli
