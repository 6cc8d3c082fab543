// The same-code marks of the variant table (harness/same_code.h) for the running executable:
// disassembles it once with binutils' objdump (harness/process.h). Environment problems (no
// objdump, a binary objdump cannot read, a stripped binary) are one logged line and no marks.
#pragma once

#include <optional>

#include "harness/same_code.h"

namespace ptebench::cli {

// nullopt (after one log line saying why) when the marks are unavailable.
std::optional<codegen::SameCodeMap> probe_same_code();

}  // namespace ptebench::cli
