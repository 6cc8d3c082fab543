#include "workloads/native/child_process.h"

#include <sys/wait.h>

#include <cerrno>
#include <utility>

#include "workloads/check.h"

namespace ptebench::native {

ReapableChild::ReapableChild(ReapableChild&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)) {}

ReapableChild& ReapableChild::operator=(ReapableChild&& other) noexcept {
  if (this != &other) {
    reap();
    pid_ = std::exchange(other.pid_, -1);
  }
  return *this;
}

int ReapableChild::reap() noexcept {
  if (pid_ <= 0) return 0;
  int status = 0;
  pid_t rc;
  do {
    rc = ::waitpid(pid_, &status, 0);
  } while (rc < 0 && errno == EINTR);
  PTEBENCH_CHECK(rc == pid_ || errno == ECHILD, "waitpid on our own child");
  pid_ = -1;
  return rc < 0 ? 0 : status;
}

bool has_unreaped_children() {
  siginfo_t info{};
  int rc;
  do {
    rc = ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  return !(rc < 0 && errno == ECHILD);
}

}  // namespace ptebench::native
