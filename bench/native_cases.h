// The native workloads as cases of the matrix: which (op, layout, size) combinations a suite
// has on this machine, and the bridge from a CaseSpec to a native case object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench/cases.h"
#include "bench/suites.h"

namespace ptebench::cli {

// prepare() / run() / finish() of one native case: only run() is timed.
class NativeRunner {
 public:
  virtual ~NativeRunner() = default;
  virtual void prepare() = 0;
  virtual void run() = 0;
  virtual void finish() = 0;
};

// The native cases of a suite (pte_format native, variant kernel, codegen native). Layouts the
// machine cannot give are still listed: running them is a SKIP with the reason.
std::vector<CaseSpec> native_cases(const SuiteSpec& suite);

// The runner of a native case, or nullptr with *skip_reason set when the machine cannot run it.
std::unique_ptr<NativeRunner> make_native_case(const CaseSpec& c, std::string* skip_reason);

}  // namespace ptebench::cli
