// Ctrl-C (SIGINT) and SIGTERM noted while a parent waits for its child processes: the child,
// in the same process group, gets the signal too and stops as an interrupted run does (exit
// 130, bench/runner/run_suite.cc), and the parent, instead of dying with what it has not yet
// written, asks raised() and ends cleanly. One guard at a time; the handlers it replaced are put
// back when it goes.
#pragma once

#include <csignal>

namespace ptebench::cli {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Whether SIGINT or SIGTERM arrived since the guard was made.
  bool raised() const;
  // Whether a child that exited with `status` (process::run_shell's) was interrupted, or the
  // signal arrived here.
  bool interrupted(int status) const { return status == 130 || raised(); }

 private:
  using Handler = void (*)(int);
  Handler previous_int_;
  Handler previous_term_;
};

}  // namespace ptebench::cli
