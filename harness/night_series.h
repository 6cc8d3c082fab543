// The nightly series nightly judges (harness/nightly_judge.h): per (case, metric), the level of
// each night (the median log value of its repetitions, robust to a stray one), with each
// night's common factor removed.
//
// The common factor of night i for case c: the median, over the other cases of the metric that
// night, of their deviation from their own mean level over the window — leave-one-out, so that a
// real change of case c never moves its own correction, and one case's change moves the others'
// only as one value among many in a median (shared data: whole runs moved by -10% to +12%). Not
// removed when fewer than drift::kMinCases other cases are there to estimate it (harness/drift.h).
// Cases respond differently to one machine state (shared data: none_scan +25..+110% where the run
// moved +9%; this VM, 2026-12-02: copy_range/x86_64/plain/dense/262144's raw levels within
// +-1.1% on 10 of 12 clean nights, yet a 5% step in it had z 2.0-3.1 with the whole factor
// removed), so each case removes the factor times its own loading: the
// least-squares slope of its level on the factor over its reference nights (the nights before
// the last `tested`, which may hold the change under test) whose factor is not far outside the
// window's (stats::kOutlierSigmas: one cold night must not set it), clamped to [0, kMaxLoading];
// the whole factor (1) with fewer than kMinLoadingNights such nights. A case the machine does not
// move keeps its raw levels instead of taking on the others' noise; what a case's response leaves
// over stays in its own night-to-night variance, which its t test estimates. Then the further
// factors: the groups of cases that still move together (harness/factor_model.h).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "harness/factor_model.h"
#include "harness/results_row.h"

namespace ptebench::nightly {

struct CaseSeries {
  results::CaseKey key;
  std::string metric;
  std::string unit;
  std::vector<std::size_t> nights;  // indices of the nights the case has a level in, ascending
  std::vector<double> levels;       // log levels, common factor removed, one per nights[i]
  std::vector<double> factors;      // what was removed from each level (log): loading x the factor,
                                    // plus the further factors' part
  double loading = 1;               // the case's loading on the night's common factor
  // Of factors[i], what the further factors took (harness/factor_model.h); 0 where none.
  std::vector<double> further;
  double tonight_median = 0;  // tonight's median value as measured
};

inline constexpr std::size_t kMinLoadingNights = 5;
inline constexpr double kMaxLoading = 2;

// `nights`: each night's rows, oldest first, tonight last. One series per (case, metric) of
// tonight with `metric` in `metrics` and every value of tonight > 0; a night whose values of
// the case are not all > 0 has no level. Series ordered by case key, then metric. `tested`: the
// last nights, which may hold a change under test, left out of the loadings and the further
// factors. `further`: how many factors to remove after the first (harness/factor_model.h).
std::vector<CaseSeries> build_series(std::span<const std::vector<results::Row>* const> nights,
                                     const std::vector<std::string>& metrics,
                                     std::size_t tested = 3, std::size_t further = kFurtherFactors);

// The whole run's level each night, for `metric`, from the series build_series made over
// `nights` nights: the median, over the cases with a level on every night, of their raw level's
// deviation from their own mean over the nights (the night's common factor before any loading,
// not leave-one-out). It is what the cases' series have had removed as the machine's state; a
// change of every case (a compiler flag, a slower timer, every walker at once) lies in it too,
// and only here (nightly_report.h judges it). Empty with drift::kMinCases such cases or fewer.
std::vector<double> whole_run_levels(const std::vector<CaseSeries>& series,
                                     const std::string& metric, std::size_t nights);

// A level from values (median log value); NaN when a value is <= 0 or there is none.
double level_of(std::span<const double> values);

}  // namespace ptebench::nightly
