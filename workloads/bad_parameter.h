// A parameter the workloads API cannot honour (zero entries, more than the model's limit, a
// layout unknown to a format): thrown with one line saying which and why, never a crash.
#pragma once

#include <stdexcept>
#include <string>

namespace ptebench {

class BadParameter : public std::invalid_argument {
 public:
  explicit BadParameter(const std::string& one_line) : std::invalid_argument(one_line) {}
};

}  // namespace ptebench
