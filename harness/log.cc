#include "harness/log.h"

#include <cstdio>
#include <string>

namespace ptebench {

void log_line(std::string_view line) {
  std::string out = "ptebench: ";
  out.append(line);
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stderr);
}

void log_skip(std::string_view what, std::string_view reason) {
  std::string line = "SKIP ";
  line.append(what);
  line.append(": ");
  line.append(reason);
  log_line(line);
}

}  // namespace ptebench
