#include "harness/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness/input_error.h"

extern char** environ;

namespace ptebench::process {
namespace {

// Reads `fd` to its end, passing each complete line (and a last unterminated one) to `sink`.
void forward_lines(int fd, const LineSink& sink) {
  std::string pending;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t eol = pending.find('\n'); eol != std::string::npos;
         eol = pending.find('\n', start)) {
      sink(std::string_view(pending).substr(start, eol - start));
      start = eol + 1;
    }
    pending.erase(0, start);
  }
  if (!pending.empty()) sink(pending);
}

}  // namespace

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

namespace {

// Runs `/bin/sh -c "<command> <quoted args...>"` and waits; with `sink`, the child's `fd` (its
// standard output or error) is a pipe read line by line into it.
int spawn_and_wait(const std::string& command, const std::vector<std::string>& args, int fd,
                   const LineSink& sink) {
  std::string line = command;
  for (const std::string& a : args) line += " " + shell_quote(a);
  char sh[] = "/bin/sh";
  char dash_c[] = "-c";
  char* argv[] = {sh, dash_c, line.data(), nullptr};
  int pipe_fds[2] = {-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (sink) {
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
      throw InputError("ptebench: cannot create a pipe for '" + command +
                       "': " + std::strerror(errno));
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], fd);
  }
  pid_t pid = 0;
  const int err = posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (sink) ::close(pipe_fds[1]);
  if (err != 0) {
    if (sink) ::close(pipe_fds[0]);
    throw InputError("ptebench: cannot start /bin/sh for '" + command + "': " + std::strerror(err));
  }
  if (sink) {
    forward_lines(pipe_fds[0], sink);
    ::close(pipe_fds[0]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw InputError("ptebench: waiting for '" + command + "' failed: " + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

int run_shell(const std::string& command, const std::vector<std::string>& args,
              const LineSink& on_stderr_line) {
  return spawn_and_wait(command, args, STDERR_FILENO, on_stderr_line);
}

int capture_shell(const std::string& command, const std::vector<std::string>& args,
                  std::string* stdout_text) {
  return spawn_and_wait(command, args, STDOUT_FILENO, [stdout_text](std::string_view line) {
    stdout_text->append(line);
    stdout_text->push_back('\n');
  });
}

}  // namespace ptebench::process
