#include "harness/noise_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "harness/invariant.h"
#include "harness/stats.h"

namespace ptebench::noise {

std::vector<RunStats> summarize_runs(std::span<const double> logs,
                                     std::span<const std::uint32_t> run_of) {
  if (logs.size() != run_of.size()) {
    invariant_violated("summarize_runs: " + std::to_string(logs.size()) + " values, " +
                           std::to_string(run_of.size()) + " run ids",
                       "harness/noise_model.h");
  }
  std::vector<std::size_t> order(logs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return run_of[x] != run_of[y] ? run_of[x] < run_of[y] : logs[x] < logs[y];
  });
  std::vector<RunStats> runs;
  std::vector<double> run_values;
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin;
    run_values.clear();
    while (end < order.size() && run_of[order[end]] == run_of[order[begin]]) {
      run_values.push_back(logs[order[end]]);
      ++end;
    }
    RunStats run;
    run.run = run_of[order[begin]];
    run.n = run_values.size();
    run.level = stats::median(run_values);  // sorted already; median copies, n is small
    const double mean =
        std::accumulate(run_values.begin(), run_values.end(), 0.0) / static_cast<double>(run.n);
    for (const double v : run_values) run.sum_sq += (v - mean) * (v - mean);
    runs.push_back(run);
    begin = end;
  }
  return runs;
}

Components estimate_components(std::span<const std::vector<RunStats>> sources) {
  Components out;
  double between_ss = 0;
  double within_ss = 0;
  std::size_t within_df = 0;
  std::size_t values = 0;
  for (const std::vector<RunStats>& runs : sources) {
    out.runs += runs.size();
    for (const RunStats& r : runs) {
      values += r.n;
      if (r.n >= 2) {
        within_ss += r.sum_sq;
        within_df += r.n - 1;
      }
    }
    if (runs.size() < 2) continue;
    double mean = 0;
    for (const RunStats& r : runs) mean += r.level;
    mean /= static_cast<double>(runs.size());
    for (const RunStats& r : runs) between_ss += (r.level - mean) * (r.level - mean);
    out.df += runs.size() - 1;
  }
  if (out.runs > 0) out.n_mean = static_cast<double>(values) / static_cast<double>(out.runs);
  if (within_df > 0) out.within_var = within_ss / static_cast<double>(within_df);
  if (out.df > 0) out.run_var = between_ss / static_cast<double>(out.df);
  if (!std::isnan(out.run_var) && !std::isnan(out.within_var)) {
    // A run level varies at least by its own repetitions' noise (sigma_w^2 / n): with few runs a
    // discrete metric (context_switches) can show identical levels, run_var 0 and an infinite t.
    out.run_var = std::max(out.run_var, out.within_var / out.n_mean);
    out.between_var = out.run_var - out.within_var / out.n_mean;
  }
  return out;
}

RunTest run_test(const Components& components, std::span<const RunStats> base,
                 std::span<const RunStats> current, double confidence) {
  if (base.empty() || current.empty() || components.df == 0) {
    invariant_violated("run_test without runs on a side or without run-level df",
                       "harness/noise_model.h");
  }
  const auto mean_level = [](std::span<const RunStats> runs) {
    double sum = 0;
    for (const RunStats& r : runs) sum += r.level;
    return sum / static_cast<double>(runs.size());
  };
  RunTest out;
  out.df = static_cast<double>(components.df);
  out.change = mean_level(current) - mean_level(base);
  out.se = std::sqrt(components.run_var * (1.0 / static_cast<double>(base.size()) +
                                           1.0 / static_cast<double>(current.size())));
  if (out.se > 0) {
    out.t = out.change / out.se;
    out.p = std::min(1.0, 2 * stats::student_t_cdf(-std::fabs(out.t), out.df));
  } else {
    out.t = out.change == 0 ? 0 : std::copysign(INFINITY, out.change);
    out.p = out.change == 0 ? 1 : 0;
  }
  const double q = stats::student_t_quantile((1 + confidence) / 2, out.df);
  out.low = out.change - q * out.se;
  out.high = out.change + q * out.se;
  return out;
}

double z_of_t(double t, double df) {
  constexpr double kMaxZ = 37;
  if (t == 0) return 0;
  const double tail = stats::student_t_cdf(-std::fabs(t), df);  // the smaller tail
  const double z = tail > 0 ? std::min(kMaxZ, -stats::normal_quantile(tail)) : kMaxZ;
  return std::copysign(z, t);
}

EmpiricalNull empirical_null(std::span<const double> values, std::size_t min_cases) {
  EmpiricalNull out;
  out.cases = values.size();
  if (values.size() <= min_cases) return out;
  out.center = stats::median(values);
  out.scale = stats::mad_sigma(values);
  out.estimated = true;
  return out;
}

}  // namespace ptebench::noise
