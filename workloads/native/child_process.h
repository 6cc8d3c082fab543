// RAII for the child of native_fork: whoever forks owns the child until it is reaped, so that no
// zombie outlives a case, on every path.
#pragma once

#include <sys/types.h>

namespace ptebench::native {

class ReapableChild {
 public:
  ReapableChild() = default;
  explicit ReapableChild(pid_t pid) noexcept : pid_(pid) {}
  ReapableChild(ReapableChild&& other) noexcept;
  ReapableChild& operator=(ReapableChild&& other) noexcept;
  ReapableChild(const ReapableChild&) = delete;
  ReapableChild& operator=(const ReapableChild&) = delete;
  ~ReapableChild() { reap(); }

  pid_t pid() const { return pid_; }

  // Waits for the child (a native_fork child exits at once) and returns its wait status; 0 when
  // there is no child. ECHILD — already reaped, e.g. SIGCHLD is ignored — counts as reaped.
  int reap() noexcept;

 private:
  pid_t pid_ = -1;
};

// True while this process has a child that nobody reaped (running or zombie). Does not reap it:
// waitid(P_ALL, WEXITED | WNOHANG | WNOWAIT) fails with ECHILD only when there is none.
bool has_unreaped_children();

}  // namespace ptebench::native
