#include "harness/night_noise.h"

#include <algorithm>
#include <cmath>

#include "harness/stats.h"

namespace ptebench::nightly {
namespace {

double percent(double log_change) {
  return (std::exp(log_change) - 1) * 100;
}

}  // namespace

std::vector<CaseNoise> case_noise(std::span<const CaseSeries> series, const JudgeOptions& options) {
  std::vector<CaseNoise> out;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const CaseSeries& s = series[i];
    if (s.levels.size() < 3) continue;
    std::vector<double> raw(s.levels.size());
    for (std::size_t k = 0; k < raw.size(); ++k)
      raw[k] = s.levels[k] + (k < s.factors.size() ? s.factors[k] : 0.0);
    CaseNoise n;
    n.series = i;
    n.nights = s.levels.size();
    const double sd = stats::moments(s.levels).sample_sd();
    n.sd_pct = percent(sd);
    n.raw_sd_pct = percent(stats::moments(raw).sample_sd());
    // nightly's two-night split: `reference` nights before it, 2 after (the header).
    const std::size_t after = 2;
    const std::size_t reference = std::min(options.window, s.levels.size() - after);
    const double df = static_cast<double>(reference + after - 2);
    const double splits = static_cast<double>(std::max<std::size_t>(1, options.max_after));
    const double t = stats::student_t_quantile(1 - options.alpha / (2 * splits), df);
    // Nor is a change below threshold_pct a verdict, however steady the case.
    n.suspect_step_pct =
        std::max(options.threshold_pct,
                 percent(t * sd * std::sqrt(1.0 / static_cast<double>(reference) + 1.0 / after)));
    out.push_back(n);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CaseNoise& a, const CaseNoise& b) { return a.sd_pct < b.sd_pct; });
  return out;
}

}  // namespace ptebench::nightly
