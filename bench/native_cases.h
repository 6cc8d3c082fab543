// The native workloads as cases of the matrix: which (op, layout, size) combinations a suite
// has on this machine, and the bridge from a CaseSpec to a native case object.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/cases.h"
#include "bench/suites.h"

namespace ptebench::cli {

// Thrown by NativeRunner::prepare() when the machine cannot give what the case needs; the
// message is the SKIP reason.
class NativeSkipped : public std::runtime_error {
 public:
  explicit NativeSkipped(const std::string& reason) : std::runtime_error(reason) {}
};

// prepare() / run() / finish() of one native case: only run() is timed.
class NativeRunner {
 public:
  virtual ~NativeRunner() = default;
  virtual void prepare() = 0;  // throws NativeSkipped
  virtual void run() = 0;
  virtual void finish() = 0;
};

// The native cases of a suite (pte_format native, variant kernel, codegen native). The suite's
// `mthp` layout stands for every mthp-<size>kB this kernel has; layouts the machine cannot give
// are still listed: running them is a SKIP with the reason.
std::vector<CaseSpec> native_cases(const SuiteSpec& suite);

// The runner of a native case, or nullptr with *skip_reason set when the machine cannot run it.
std::unique_ptr<NativeRunner> make_native_case(const CaseSpec& c, std::string* skip_reason);

}  // namespace ptebench::cli
