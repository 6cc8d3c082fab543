// The benchmark matrix: a suite expanded into cases (workload x PTE format x variant x layout x
// size x codegen profile), named workload/pte_format/variant/layout/ptes/codegen, filtered by
// globs. Native workloads join with pte_format `native`, variant `kernel`, codegen `native`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/matrix/case_spec.h"
#include "bench/matrix/suites.h"

namespace ptebench::cli {

// Every case of `suite` whose name matches one of `globs` (fnmatch; all cases when empty), in
// registration order: the variants of one group adjacent. Throws InputError when the globs
// match nothing.
std::vector<CaseSpec> expand_suite(const SuiteSpec& suite, const std::vector<std::string>& globs);

// The cases of one repetition in run order: groups in suite order, and within each group the
// variants rotated by the repetition index so that no variant always runs first.
std::vector<const CaseSpec*> interleaved_order(const std::vector<CaseSpec>& cases, int repetition);

}  // namespace ptebench::cli
