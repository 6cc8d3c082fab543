// The two-level noise model of a comparison across runs (harness/compare.h): repetitions within
// a run, and runs. Pure functions on per-case aggregates (a case's runs, a table's statistics);
// nothing here sees a row.
//
// Why two levels: the repetitions of one run share that run's machine state (placement, host
// contention, frequency), so they agree with each other more than two runs do. Kalibera & Jones
// ("Rigorous benchmarking in reasonable time", ISMM 2013) model each level as a random effect:
// for a case, the log value of repetition j of run i is
//     y_ij = mu + b_i + e_ij,   b_i ~ (0, sigma_b^2) between runs,  e_ij ~ (0, sigma_w^2) within,
// so a run's level varies between runs with variance sigma_b^2 + sigma_w^2 / n, and a test of
// two builds must use the run as its unit: with one run a side sigma_b^2 cannot be estimated at
// all, whatever n is. On the shared development VM (2026-12-01, quick suite, 4 runs of one
// build) the repetitions of a run agree to ~1-3% while one case's level moved between runs by
// 0.9% (copy_range, sd of the run levels after the common factor) up to 45% (native_dontneed):
// sigma_b differs fifty-fold between cases, so it must be estimated per case.
//
// Assumptions: log values (timings are multiplicative); the machine's common factor of each run
// and each repetition is removed before this (harness/drift.h) so the components here are each
// case's own; run levels are roughly normal (a t test on them), runs are independent and
// exchangeable within a source (a history file's runs are the machine's usual runs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace ptebench::noise {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One run of one case, from its log values.
struct RunStats {
  std::uint32_t run = 0;  // the run's id
  double level = 0;       // the median of the run's log values (robust to a stray repetition)
  double sum_sq = 0;      // sum of squared deviations of the log values from their mean
  std::size_t n = 0;      // values
};

// The runs of one case's values: `logs[i]` belongs to run `run_of[i]` (any ids). Runs in
// ascending id order. `logs` and `run_of` have the same size.
std::vector<RunStats> summarize_runs(std::span<const double> logs,
                                     std::span<const std::uint32_t> run_of);

// The variance components of one case, from its runs grouped by source (the base side, the new
// side, a history): each source is centred on its own mean, so a difference between sources (the
// change being judged) never counts as noise. One-way random-effects ANOVA per source, pooled.
struct Components {
  std::size_t runs = 0;  // runs over all sources
  std::size_t df = 0;    // sum over sources of (runs - 1): the run-level degrees of freedom
  // Variance of a run's level between runs (pooled); NaN when df = 0. Never below
  // within_var / n_mean (what the repetitions alone give a run's level): with few runs identical
  // levels of a discrete metric would otherwise give a variance of 0 and an infinite t.
  double run_var = kNaN;
  double within_var = kNaN;   // sigma_w^2, pooled over runs with >= 2 values; NaN when none
  double between_var = kNaN;  // sigma_b^2 = max(0, run_var - within_var / n_mean); NaN when
                              // either is
  double n_mean = 0;          // mean values per run
};
Components estimate_components(std::span<const std::vector<RunStats>> sources);

// The change of the new side's run levels against the base side's, with the run as the unit:
// change = mean(new levels) - mean(base levels), se = sqrt(run_var (1/k_base + 1/k_new)),
// t = change / se with df = components.df (Welch is not needed: one pooled run variance).
// se = 0: t = 0 for no change, +-infinity otherwise. p two-sided; low/high the `confidence`
// interval of change (t quantile). Precondition: both sides have runs and components.df > 0.
struct RunTest {
  double change = 0, se = 0, t = 0, p = 1, low = 0, high = 0;
  double df = 0;
};
RunTest run_test(const Components& components, std::span<const RunStats> base,
                 std::span<const RunStats> current, double confidence = 0.95);

// A t statistic on the standard normal scale with the same one-sided tail: z with
// Phi(z) = T_df(t), computed on the smaller tail so that far tails keep their sign and size
// (clamped to +-37, where the normal tail leaves double range).
double z_of_t(double t, double df);

// Efron's empirical null (Efron, "Large-scale simultaneous hypothesis testing: the choice of a
// null hypothesis", JASA 2004; Large-Scale Inference, 2010, ch. 6): with many cases tested at
// once, the bulk of their z-values shows the null distribution that actually holds. When a whole
// table is spread wider than N(0, 1) (a run-to-run effect the per-case model misses), every
// case's null is widened by that spread. center = median, scale = 1.4826 * MAD of the values
// (robust: the few real changes in the tails do not move them). Estimated only from more than
// min_cases values; otherwise center 0, scale 1, estimated false.
struct EmpiricalNull {
  double center = 0;
  double scale = 1;
  std::size_t cases = 0;
  bool estimated = false;
};
EmpiricalNull empirical_null(std::span<const double> values, std::size_t min_cases);

}  // namespace ptebench::noise
