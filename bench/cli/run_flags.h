// The flags of `ptebench run`, shared by `nightly` (which runs a suite too): declared here, on
// the command side, into the runner's RunConfig.
#pragma once

#include "bench/cli/flags.h"
#include "bench/runner/run_suite.h"

namespace ptebench::cli {

// Declares the run flags on `flags` (`with_suite` = false for nightly, which declares its own).
void add_run_flags(FlagParser& flags, RunConfig& cfg, bool with_suite);

}  // namespace ptebench::cli
