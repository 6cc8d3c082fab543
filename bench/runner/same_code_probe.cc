#include "bench/runner/same_code_probe.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "harness/log.h"
#include "harness/process.h"

namespace ptebench::cli {

std::optional<codegen::SameCodeMap> probe_same_code() {
  const std::string what = "variant table: same-code marks unavailable";
  // The path, not /proc/self/exe: in objdump's process that names objdump.
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) {
    log_line(what + ": cannot read /proc/self/exe");
    return std::nullopt;
  }
  const std::string exe(buf, static_cast<std::size_t>(n));
  // binutils' objdump reads the host's binaries; an aarch64 build run under emulation needs the
  // target's (as `ptebench codegen`).
  std::string text;
  bool read = false;
  for (const char* tool : {"objdump", "aarch64-linux-gnu-objdump"}) {
    text.clear();
    if (process::capture_shell(std::string(tool) + " -d -C --no-show-raw-insn " +
                                   process::shell_quote(exe) + " 2>/dev/null",
                               {}, &text) == 0 &&
        !text.empty()) {
      read = true;
      break;
    }
  }
  if (!read) {
    log_line(what + ": no objdump could disassemble " + exe +
             " (install binutils, or binutils-aarch64-linux-gnu for an aarch64 build)");
    return std::nullopt;
  }
  codegen::SameCodeMap marks = codegen::same_code_pairs(text);
  if (marks.empty()) {
    log_line(what + ": no walker functions found in the disassembly of " + exe +
             " (a stripped binary?)");
    return std::nullopt;
  }
  return marks;
}

}  // namespace ptebench::cli
