// Running another program: ptebench's one process-spawning helper (posix_spawn, no fork of a
// large process). `ptebench ab` runs each side's command line through /bin/sh: a shell command
// given by the user, with arguments of ours appended, each quoted for /bin/sh.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::process {

// `text` quoted for /bin/sh: 'it'\''s' style.
std::string shell_quote(const std::string& text);

// Called with each line the child writes to its standard error, without the line break.
using LineSink = std::function<void(std::string_view line)>;

// Runs `/bin/sh -c "<command> <quoted args...>"`, waits, and returns its exit status (128 + N
// when killed by signal N). The child's standard error is ours, or, when `on_stderr_line` is
// given, read line by line through a pipe and passed to it as the lines arrive. Throws
// InputError when the shell cannot be started.
int run_shell(const std::string& command, const std::vector<std::string>& args,
              const LineSink& on_stderr_line = {});

// Runs `/bin/sh -c "<command> <quoted args...>"` as run_shell does, with its standard output read
// into *stdout_text (appended, line by line, each ending in '\n'); returns its exit status.
int capture_shell(const std::string& command, const std::vector<std::string>& args,
                  std::string* stdout_text);

// One command of run_shells_together.
struct ShellJob {
  std::string command;
  std::vector<std::string> args;
  LineSink on_stderr_line;  // as run_shell's: empty, the child's standard error is ours
  std::vector<std::string> environment;  // NAME=value entries added to (or replacing) ours
};

// Starts every job at once (each as run_shell does), passes each job's standard error lines to
// its sink as they arrive (one poll over all the pipes, on the calling thread, so that neither
// child stalls on a full pipe), waits for all and returns their exit statuses in the jobs'
// order. For `ab --duet`, whose two sides must run at the same moment. When a job cannot be
// started, those already started are read and waited for, then InputError is thrown.
std::vector<int> run_shells_together(const std::vector<ShellJob>& jobs);

// Children that a signal can reach, and only they. While a ChildGroups lives (one at a time:
// bench/runner/interrupt_guard.h, whose parent catches Ctrl-C and SIGTERM), every child the
// functions above start leads a process group of its own (posix_spawn, POSIX_SPAWN_SETPGROUP) and
// signal_children(sig) sends sig to each live child's group: the /bin/sh and the command it runs
// (dash does not exec the command of `sh -c`, so a signal to the shell alone leaves the command
// running), and nothing else: not this process, not the script that started it. Without it a
// child shares our process group, so a terminal's Ctrl-C reaches it directly, but a SIGTERM sent to
// this process alone (`kill PID`, a supervisor that stops the main process only) does not: the
// parent waited for the child to finish, or, killed, left it running beside the next job.
class ChildGroups {
 public:
  ChildGroups();
  ~ChildGroups();
  ChildGroups(const ChildGroups&) = delete;
  ChildGroups& operator=(const ChildGroups&) = delete;
};

// Sends `sig` to the process group of every live child started under a ChildGroups (none
// otherwise). Async-signal-safe: for a signal handler.
void signal_children(int sig) noexcept;

}  // namespace ptebench::process
