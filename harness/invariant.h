// The first error tier (ARCHITECTURE.md, Errors) inside the harness: a broken contract is a bug
// in the caller. It is logged as one line, "invariant violated: <what> (<contract> states the
// contract)", and the process aborts (also in Release).
#pragma once

#include <string_view>

namespace ptebench {

// `contract` names the header that states the broken contract, e.g. "harness/stats.h".
[[noreturn]] void invariant_violated(std::string_view what, std::string_view contract);

}  // namespace ptebench
