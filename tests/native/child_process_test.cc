// Reaping (workloads/native/child_process.h): a child is reaped by its owner on every path, and
// has_unreaped_children() sees one without reaping it.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "workloads/native/child_process.h"

namespace {

using namespace ptebench::native;

pid_t spawn_exiting(int status) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(status);
  REQUIRE(pid > 0);
  return pid;
}

TEST_CASE("no children to begin with", "[native][child]") {
  CHECK_FALSE(has_unreaped_children());
}

TEST_CASE("reap() waits and returns the status - the destructor reaps", "[native][child]") {
  {
    ReapableChild child(spawn_exiting(3));
    CHECK(has_unreaped_children());
    CHECK(has_unreaped_children());  // looking did not reap it
    const int status = child.reap();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
    CHECK(child.pid() == -1);
    CHECK(child.reap() == 0);  // idempotent
  }
  CHECK_FALSE(has_unreaped_children());
  {
    ReapableChild child(spawn_exiting(0));
    ReapableChild moved = std::move(child);
    CHECK(child.pid() == -1);
    CHECK(moved.pid() > 0);
  }
  CHECK_FALSE(has_unreaped_children());
}

TEST_CASE("a child someone else reaped counts as reaped", "[native][child]") {
  const pid_t pid = spawn_exiting(0);
  ReapableChild child(pid);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(child.reap() == 0);  // ECHILD
  CHECK_FALSE(has_unreaped_children());
}

}  // namespace
