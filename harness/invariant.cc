#include "harness/invariant.h"

#include <cstdlib>
#include <string>

#include "harness/log.h"

namespace ptebench {

void invariant_violated(std::string_view what, std::string_view contract) {
  log_line("invariant violated: " + std::string(what) + " (" + std::string(contract) +
           " states the contract)");
  std::abort();
}

}  // namespace ptebench
