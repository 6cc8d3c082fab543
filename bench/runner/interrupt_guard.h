// Ctrl-C (SIGINT) and SIGTERM noted while a parent waits for its child processes, and passed on
// to them: while the guard lives each child runs in a process group of its own
// (process::ChildGroups), which the handler sends the signal to, so the child stops as an
// interrupted run does (exit 130, bench/runner/run_suite.cc) whether the signal came from a
// terminal's Ctrl-C or was sent to this process alone (`kill PID`, a supervisor that stops the
// main process only; before, a SIGTERM to the parent alone left the child running to its end). The
// parent, instead of dying with what it has not yet written, asks raised() and ends cleanly. One
// guard at a time; the handlers it replaced are put back when it goes.
#pragma once

#include <csignal>

#include "harness/process.h"

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
  process::ChildGroups child_groups_;  // made before the handlers are set, gone after
  Handler previous_int_;
  Handler previous_term_;
};

}  // namespace ptebench::cli
