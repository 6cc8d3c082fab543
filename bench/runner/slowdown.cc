#include "bench/runner/slowdown.h"

#include <fnmatch.h>

#include <charconv>
#include <chrono>

#include "harness/input_error.h"

namespace ptebench::cli {

Slowdown parse_slowdown(const std::string& text) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("ptebench run: --inject-slowdown wants GLOB=PCT, got '" + text + "'");
  Slowdown s;
  s.glob = text.substr(0, eq);
  const std::string pct = text.substr(eq + 1);
  const auto [end, ec] = std::from_chars(pct.data(), pct.data() + pct.size(), s.percent);
  if (ec != std::errc() || end != pct.data() + pct.size() || !(s.percent > 0) || s.percent > 1000)
    throw InputError("ptebench run: --inject-slowdown percent must be in (0, 1000], got '" + pct +
                     "'");
  return s;
}

double slowdown_percent(const std::vector<Slowdown>& rules, const std::string& case_name) {
  double pct = 0;
  for (const Slowdown& r : rules)
    if (fnmatch(r.glob.c_str(), case_name.c_str(), 0) == 0) pct = r.percent;
  return pct;
}

std::int64_t spin_share(std::chrono::steady_clock::time_point walk_start, double percent) {
  if (percent <= 0) return 0;
  const auto walk_end = std::chrono::steady_clock::now();
  const std::chrono::duration<double, std::nano> walk = walk_end - walk_start;
  const auto share = std::chrono::duration_cast<std::chrono::nanoseconds>(walk * (percent / 100.0));
  const auto until = walk_end + share;
  auto now = walk_end;
  while (now < until) now = std::chrono::steady_clock::now();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now - walk_end).count();
}

}  // namespace ptebench::cli
