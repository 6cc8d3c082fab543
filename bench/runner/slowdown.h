// --inject-slowdown GLOB=PCT: calibrated busy work inside the timed region of every matching
// case, worth PCT percent of that case's own measured walk time, so the regression detector
// can be tested end to end on a known change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ptebench::cli {

struct Slowdown {
  std::string glob;
  double percent = 0;
};

// Parses "GLOB=PCT" (PCT in (0, 1000]); throws InputError naming the flag value.
Slowdown parse_slowdown(const std::string& text);

// The percentage that applies to a case name (the last matching rule wins; 0 if none).
double slowdown_percent(const std::vector<Slowdown>& rules, const std::string& case_name);

// Busy-waits for `ns` nanoseconds on the monotonic clock: work the CPU must do, which the
// compiler cannot remove, independent of the walk's memory traffic. Returns the time spun (at
// least `ns`); 0 at once, without reading the clock, for `ns` <= 0.
std::int64_t spin_ns(std::int64_t ns);

}  // namespace ptebench::cli
