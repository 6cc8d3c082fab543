// The flags of `ptebench run`, shared by `nightly` (which runs a suite too): declared here, on
// the command side, into the runner's RunConfig.
#pragma once

#include "bench/cli/flags.h"
#include "bench/runner/run_suite.h"

namespace ptebench::cli {

// Declares the run flags on `flags`; the defaults shown are cfg's values (nightly sets its suite
// and output before declaring).
void add_run_flags(FlagParser& flags, RunConfig& cfg);

// --suite: one of the suites' names (matrix/suites.h), the "known:" list from that table.
void add_suite_flag(FlagParser& flags, std::string& suite);

}  // namespace ptebench::cli
