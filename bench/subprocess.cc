#include "bench/subprocess.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>

#include "harness/input_error.h"

extern char** environ;

namespace ptebench::cli {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += "'";
  return out;
}

int run_shell(const std::string& command, const std::vector<std::string>& args) {
  std::string line = command;
  for (const std::string& a : args) line += " " + shell_quote(a);
  char sh[] = "/bin/sh";
  char dash_c[] = "-c";
  char* argv[] = {sh, dash_c, line.data(), nullptr};
  pid_t pid = 0;
  if (const int err = posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv, environ); err != 0)
    throw InputError("ptebench: cannot start /bin/sh for '" + command + "': " + std::strerror(err));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw InputError("ptebench: waiting for '" + command + "' failed: " + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace ptebench::cli
