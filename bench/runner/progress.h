// The progress line of `ptebench run`: "case i of N, elapsed, ETA" on stderr, redrawn in place,
// only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace ptebench::cli {

class Progress {
 public:
  explicit Progress(std::size_t total_steps);
  ~Progress();
  void step(const std::string& what);  // one case of one repetition finished

 private:
  std::size_t total_, done_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ptebench::cli
