// Machine drift, estimated across cases and removed before a comparison (harness/compare.h).
//
// On a shared or virtual machine every case of a run moves together. Measured on the
// development VM with `ptebench compare` (quick suite, ns_per_pte, 12 pairs of runs): one
// repetition's common factor reached 4.1%, two runs of one build differed as a whole by up to
// 3.3%, and in three same-build pairs removing the repetition factors narrowed the median 95%
// interval of a case's change from 4.6-6.3% to 2.9-3.2%. Left in, that common movement either
// hides a real 5% change of one case or flags many cases that did not change (8 in one
// same-build pair). Two estimates, both on log values, both robust
// (medians across cases, so a few cases that really changed do not move them) and both
// leave-one-out (the estimate applied to a case never uses that case's own values, so a case's
// own noise or change is never removed from it):
//  - repetition factors: the runner does repetition r of every case inside one time window
//    (bench/run_suite.cc; `ab` runs one repetition per process), so the machine's state in that
//    window is common to the cases of block r. A case's deviation in block r is its log value
//    minus the median of its log values over all blocks; the factor of block r for case c is the
//    median deviation of the other cases in block r.
//  - the common shift: the median, over the other cases, of log(median new / median base). It is
//    the whole run's move, machine drift or a change that touches every case alike; the caller
//    decides whether to remove it and how large a common shift is itself a verdict.
// Neither is estimated from fewer than kMinCases other cases: below that a median of cases is
// not a machine property any more, and the values are left as measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ptebench::drift {

inline constexpr std::size_t kMinCases = 20;
// A case contributes to the repetition factors once it has this many positive values (a
// median over fewer is not a reference for its deviations).
inline constexpr std::size_t kMinValuesPerCase = 3;

// The median of `sorted` (ascending) without its element at index `skip`. Precondition:
// sorted.size() >= 2, skip < sorted.size().
double median_without(std::span<const double> sorted, std::size_t skip);

// One case's values and, for each, the block (a repetition of one run) it was measured in.
// values.size() == blocks.size(). A case has at most one value per block (a results file has
// one row per case, repetition and metric); values <= 0 have no log and take no part.
struct CaseSamples {
  std::span<const double> values;
  std::span<const std::uint32_t> blocks;
};

struct RepetitionFactors {
  // [case][i]: the log factor to subtract from log(values[i]); 0 where none was estimated: a
  // value <= 0, a case with fewer than kMinValuesPerCase positive values (it does not
  // contribute), or a block with fewer than kMinCases other contributing cases.
  std::vector<std::vector<double>> log_factor;
  std::size_t blocks = 0;            // blocks with a contributing case's value
  std::size_t blocks_corrected = 0;  // blocks whose factors were estimated
  double max_abs_log_factor = 0;     // the largest |factor| estimated
};

RepetitionFactors repetition_factors(std::span<const CaseSamples> cases);

struct CommonShift {
  // [case]: the common log shift to remove from that case (the median over the other cases);
  // 0 for every case when fewer than kMinCases + 1 cases contribute.
  std::vector<double> log_shift;
  double log_median = 0;   // over all contributing cases; 0 when there are none
  std::size_t cases = 0;   // contributing cases
  bool estimated = false;  // cases > kMinCases
};

// `case_log_changes[c]` = log(median new / median base) of case c, NaN when c does not
// contribute (a side with too few values, a value <= 0). A case that does not contribute is
// given the median of all contributing cases.
CommonShift common_shift(std::span<const double> case_log_changes);

}  // namespace ptebench::drift
