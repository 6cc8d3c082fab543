#include "bench/runner/progress.h"

#include <unistd.h>

#include <cstdio>

namespace ptebench::cli {

Progress::Progress(std::size_t total_steps)
    : total_(total_steps),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
  if (enabled_ && done_ > 0) std::fputs("\n", stderr);
}

void Progress::step(const std::string& what) {
  ++done_;
  if (!enabled_) return;
  const double elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double eta_s =
      done_ < total_ ? elapsed_s / static_cast<double>(done_) * static_cast<double>(total_ - done_)
                     : 0.0;
  std::fprintf(stderr, "\r\033[Kcase %zu of %zu, %.0f s elapsed, ETA %.0f s  %s", done_, total_,
               elapsed_s, eta_s, what.c_str());
  std::fflush(stderr);
}

}  // namespace ptebench::cli
