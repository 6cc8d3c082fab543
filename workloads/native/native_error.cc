#include "workloads/native/native_error.h"

#include <cstring>

namespace ptebench::native {

std::string errno_text(int err) {
  char buf[128];
  // The GNU strerror_r (C++ compilers always define _GNU_SOURCE): returns the text, which may or
  // may not be in buf.
  return strerror_r(err, buf, sizeof buf);
}

}  // namespace ptebench::native
