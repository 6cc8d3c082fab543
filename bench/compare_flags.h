// The comparison flags shared by `compare`, `ab` and `nightly`: --metric, --threshold,
// --alpha, --format.
#pragma once

#include <string>

#include "bench/flags.h"
#include "harness/compare.h"

namespace ptebench::cli {

struct CompareFlags {
  compare::CompareOptions options;
  std::string format = "table";
};

void add_compare_flags(FlagParser& flags, CompareFlags& cfg);

}  // namespace ptebench::cli
