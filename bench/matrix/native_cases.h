// The native workloads as cases of the matrix: which (op, layout, size) combinations a suite
// has on this machine. Running one is the runner's (runner/case_body.cc).
#pragma once

#include <vector>

#include "bench/matrix/case_spec.h"
#include "bench/matrix/suites.h"

namespace ptebench::cli {

// The native cases of a suite (pte_format native, variant kernel, codegen native). The suite's
// `mthp` layout stands for every mthp-<size>kB this kernel has; layouts the machine cannot give
// are still listed: running them is a SKIP with the reason.
std::vector<CaseSpec> native_cases(const SuiteSpec& suite);

}  // namespace ptebench::cli
