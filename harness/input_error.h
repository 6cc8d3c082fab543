// Bad input (a malformed CSV, an unknown flag, a missing file): the third error tier.
// Thrown with one line that names what and where ("file:line:column: what"); the CLI prints
// it and exits 2 without writing anything.
#pragma once

#include <stdexcept>
#include <string>

namespace ptebench {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& one_line) : std::runtime_error(one_line) {}
};

}  // namespace ptebench
