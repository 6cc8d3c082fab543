#include "bench/runner/interrupt_guard.h"

#include <atomic>

#include "harness/process.h"

namespace ptebench::cli {
namespace {

std::atomic<bool> g_raised{false};
extern "C" void on_interrupt(int sig) {
  g_raised.store(true);
  process::signal_children(sig);  // the child runs in a process group of its own
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_raised.store(false);
  previous_int_ = std::signal(SIGINT, on_interrupt);
  previous_term_ = std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, previous_int_);
  std::signal(SIGTERM, previous_term_);
}

bool InterruptGuard::raised() const {
  return g_raised.load();
}

}  // namespace ptebench::cli
