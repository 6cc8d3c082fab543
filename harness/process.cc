#include "harness/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "harness/input_error.h"

extern char** environ;

namespace ptebench::process {
namespace {

// The live children started under a ChildGroups, by pid (each leads its own process group, whose
// id is its pid): what signal_children reaches. Fixed slots of lock-free atomics, not a
// container, because a signal handler reads them; at most two children run at once (ab --duet).
constexpr std::size_t kGroupSlots = 16;
std::atomic<pid_t> g_groups[kGroupSlots];
std::atomic<bool> g_own_groups{false};

void register_group(pid_t pid) {
  for (std::atomic<pid_t>& slot : g_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void unregister_group(pid_t pid) {
  for (std::atomic<pid_t>& slot : g_groups) {
    pid_t mine = pid;
    if (slot.compare_exchange_strong(mine, 0)) return;
  }
}

// SIGINT and SIGTERM held back while a child is started and registered, so that one arriving
// then is passed on once the child is in g_groups (the child starts with `old`, the mask as it
// was).
class HeldInterrupts {
 public:
  HeldInterrupts() {
    sigset_t held;
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &held, &old);
  }
  ~HeldInterrupts() { pthread_sigmask(SIG_SETMASK, &old, nullptr); }
  HeldInterrupts(const HeldInterrupts&) = delete;
  HeldInterrupts& operator=(const HeldInterrupts&) = delete;
  sigset_t old;
};

// Splits what a child writes into lines for a sink: each complete line as it arrives, and a
// last unterminated one at the end.
class LineSplitter {
 public:
  explicit LineSplitter(const LineSink* sink) : sink_(sink) {}
  void feed(const char* data, std::size_t size) {
    pending_.append(data, size);
    std::size_t start = 0;
    for (std::size_t eol = pending_.find('\n'); eol != std::string::npos;
         eol = pending_.find('\n', start)) {
      (*sink_)(std::string_view(pending_).substr(start, eol - start));
      start = eol + 1;
    }
    pending_.erase(0, start);
  }
  void finish() {
    if (!pending_.empty()) (*sink_)(pending_);
    pending_.clear();
  }

 private:
  const LineSink* sink_;
  std::string pending_;
};

// One read from `fd` into `lines`; false at the end of the stream (or a read error).
bool read_some(int fd, LineSplitter& lines) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    lines.feed(buffer, static_cast<std::size_t>(n));
    return true;
  }
}

// A started child: its pid and, when its output goes to a sink, the read end of its pipe.
struct Child {
  pid_t pid = -1;
  int read_fd = -1;
};

// Starts `/bin/sh -c "<command> <quoted args...>"`; with `piped`, the child's `fd` (its standard
// output or error) is a pipe whose read end is returned.
// The environment of a child: ours, with `extra` (NAME=value) replacing or adding entries.
std::vector<char*> child_environment(const std::vector<std::string>& extra) {
  std::vector<char*> env;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const std::string_view name = entry.substr(0, entry.find('='));
    const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& x) {
      return std::string_view(x).substr(0, x.find('=')) == name;
    });
    if (!replaced) env.push_back(*e);
  }
  for (const std::string& x : extra) env.push_back(const_cast<char*>(x.c_str()));
  env.push_back(nullptr);
  return env;
}

Child spawn_shell(const std::string& command, const std::vector<std::string>& args, int fd,
                  bool piped, const std::vector<std::string>& extra_environment = {}) {
  std::string line = command;
  for (const std::string& a : args) line += " " + shell_quote(a);
  char sh[] = "/bin/sh";
  char dash_c[] = "-c";
  char* argv[] = {sh, dash_c, line.data(), nullptr};
  int pipe_fds[2] = {-1, -1};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (piped) {
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      posix_spawn_file_actions_destroy(&actions);
      throw InputError("ptebench: cannot create a pipe for '" + command +
                       "': " + std::strerror(errno));
    }
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], fd);
  }
  Child child;
  std::vector<char*> env = child_environment(extra_environment);
  const bool own_group = g_own_groups.load();
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  int err = 0;
  {
    const HeldInterrupts held;
    // The child starts with the mask as it was before the hold, whatever the group.
    posix_spawnattr_setsigmask(&attr, &held.old);
    posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETSIGMASK |
                                                       (own_group ? POSIX_SPAWN_SETPGROUP : 0)));
    if (own_group) posix_spawnattr_setpgroup(&attr, 0);  // a group of its own, led by the child
    err = posix_spawn(&child.pid, "/bin/sh", &actions, &attr, argv, env.data());
    if (err == 0 && own_group) register_group(child.pid);
  }
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (piped) ::close(pipe_fds[1]);
  if (err != 0) {
    if (piped) ::close(pipe_fds[0]);
    throw InputError("ptebench: cannot start /bin/sh for '" + command + "': " + std::strerror(err));
  }
  child.read_fd = pipe_fds[0];
  return child;
}

// Waits for the child and returns its exit status (128 + N when killed by signal N). It leaves
// g_groups once it has ended and before it is reaped (waitid, WNOWAIT): until then its pid, and
// so its group's id, cannot be another process's while signal_children may send to it.
int wait_child(pid_t pid, const std::string& command) {
  siginfo_t ended;
  while (waitid(P_PID, static_cast<id_t>(pid), &ended, WEXITED | WNOWAIT) < 0) {
    if (errno != EINTR)
      throw InputError("ptebench: waiting for '" + command + "' failed: " + std::strerror(errno));
  }
  unregister_group(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw InputError("ptebench: waiting for '" + command + "' failed: " + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

// Runs the command and waits; with `sink`, the child's `fd` is read line by line into it.
int spawn_and_wait(const std::string& command, const std::vector<std::string>& args, int fd,
                   const LineSink& sink) {
  const Child child = spawn_shell(command, args, fd, static_cast<bool>(sink));
  if (child.read_fd >= 0) {
    LineSplitter lines(&sink);
    while (read_some(child.read_fd, lines)) {
    }
    lines.finish();
    ::close(child.read_fd);
  }
  return wait_child(child.pid, command);
}

}  // namespace

ChildGroups::ChildGroups() {
  g_own_groups.store(true);
}

ChildGroups::~ChildGroups() {
  g_own_groups.store(false);
}

void signal_children(int sig) noexcept {
  for (const std::atomic<pid_t>& slot : g_groups) {
    const pid_t pid = slot.load();
    if (pid > 0) ::kill(-pid, sig);
  }
}

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

std::vector<int> run_shells_together(const std::vector<ShellJob>& jobs) {
  std::vector<Child> children;
  children.reserve(jobs.size());
  std::string failure;
  for (const ShellJob& job : jobs) {
    try {
      children.push_back(spawn_shell(job.command, job.args, STDERR_FILENO,
                                     static_cast<bool>(job.on_stderr_line), job.environment));
    } catch (const InputError& e) {
      failure = e.what();
      break;
    }
  }
  // Every started child's standard error, read as it arrives from whichever pipe has data, so
  // that neither child blocks on a full pipe while the other is being read.
  std::vector<LineSplitter> lines;
  std::vector<pollfd> open;
  std::vector<std::size_t> owner;  // open[k] belongs to children[owner[k]]
  for (std::size_t c = 0; c < children.size(); ++c) {
    lines.emplace_back(&jobs[c].on_stderr_line);
    if (children[c].read_fd >= 0) {
      open.push_back({children[c].read_fd, POLLIN, 0});
      owner.push_back(c);
    }
  }
  while (!open.empty()) {
    if (::poll(open.data(), open.size(), -1) < 0) {
      if (errno == EINTR) continue;
      failure =
          std::string("ptebench: poll over the children's output failed: ") + std::strerror(errno);
      for (const pollfd& p : open) ::close(p.fd);
      break;
    }
    for (std::size_t k = open.size(); k-- > 0;) {
      if (open[k].revents == 0) continue;
      if (read_some(open[k].fd, lines[owner[k]])) continue;
      lines[owner[k]].finish();
      ::close(open[k].fd);
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
      owner.erase(owner.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
  std::vector<int> statuses;
  for (std::size_t c = 0; c < children.size(); ++c)
    statuses.push_back(wait_child(children[c].pid, jobs[c].command));
  if (!failure.empty()) throw InputError(failure);
  return statuses;
}

}  // namespace ptebench::process
