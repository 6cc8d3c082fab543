// The error tier of the native workloads: what a native case cannot do and will not SKIP — a size
// that is not a whole number of pages or that the machine cannot map, a layout name it does not
// know, a system call that fails in a step. One line naming the op, the size and the errno text;
// the bench layer reports it. (A missing environment is not an error: see NativeStatus.)
#pragma once

#include <stdexcept>
#include <string>

namespace ptebench::native {

class NativeError : public std::runtime_error {
 public:
  explicit NativeError(const std::string& one_line) : std::runtime_error(one_line) {}
};

// The strerror text of errno value `err`, e.g. "Cannot allocate memory". Thread-safe.
std::string errno_text(int err);

}  // namespace ptebench::native
