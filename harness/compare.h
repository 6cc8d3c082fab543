// Baseline against current: one verdict per (case, metric) (DESIGN.md, Comparison and
// regression flags). The engine behind `ptebench compare`, `ab` and `nightly`; it reads no files
// and prints nothing (harness/report.h renders a Comparison). Options: harness/compare_options.h.
//
// Inputs: a base side and a new side, each one or more runs (a run = one run_id of one input;
// the same run_id in two inputs is two runs), and optionally a history: past runs of the same
// machine, used only as the noise reference (Collector::add_history). Per (case, metric):
//  - drift (harness/drift.h), removed first per metric unless options say none: per-repetition
//    common factors within each side and within the history (`repetition`; with several runs a
//    side these include each run's common factor), and then the common shift of the new side
//    against the base (`run`, the default for two inputs). Values are divided by the factors;
//    medians are reported as measured, the change and p-value are of the corrected values;
//  - the unit of replication (compare_options.h, Unit) decides the test:
//
// Unit::repetition (`ab`, whose repetitions are separate alternating processes, and --between,
// whose sides share every repetition's state): the repetitions are independent replicates.
//  change = Hodges–Lehmann shift of log values as a ratio new/base with its distribution-free
//  95% interval (stats::hodges_lehmann_ratio); when a value is <= 0 the shift of raw values d
//  relative to the base median (basis raw_shift), or no ratio (basis none) when that median is
//  not positive either; p = two-sided Mann–Whitney U.
//
// Unit::run (two separate runs or sets of runs; the default for two inputs): the two-level
// model of harness/noise_model.h (Kalibera & Jones, ISMM 2013: random effects per level). Each
// run of a case is summarised by its level (median log value); the case's run-to-run variance
// is estimated from every source that holds two runs or more (several runs on a side, the
// history), each centred on its own mean, pooled with df = sum(runs - 1). Then:
//  - df > 0: change = mean new level - mean base level (log ratio), t = change / se with
//    se^2 = run variance * (1/k_base + 1/k_new), df as above. Efron's empirical null (Efron,
//    JASA 2004) across the metric's cases: the t's are mapped to z and, when their robust spread
//    exceeds 1 (a whole table moving more than the per-case model allows), every case's z and
//    interval are widened by it (never narrowed). p = 2 Phi(-|z| / spread); the 95% interval
//    is change +- t_df quantile * se * spread.
//  - df = 0 (one run a side and no history holding the case): the case's run-to-run noise
//    cannot be estimated. Its change is tested against the repetitions (as Unit::repetition);
//    a change the repetitions explain is unchanged (run-to-run noise only adds to it); a change
//    within the spread of the other cases' changes (Efron's empirical null of the metric's log
//    changes: median, 1.4826 MAD, z two-sided, BH across the metric's cases) is unchanged: that
//    spread is what run-to-run noise does to a typical case of this table; anything beyond both
//    is `inconclusive` (InconclusiveReason), never a regression. Why not flag on the table's
//    spread: on the development VM one case's run-to-run sd is 0.9% and another's 45%
//    (noise_model.h), so a single scale for all cases either flags the noisy cases of every
//    same-build pair or hides everything; only a case's own runs tell (Laaber, Scheuner &
//    Leitner, EMSE 2019: on cloud instances separately run benchmarks do not find 10% changes,
//    test and control interleaved on one instance do; here `ab`).
//  Rows with a value <= 0 have no log level; with Unit::run they are tested as with df = 0 and a
//  flag becomes inconclusive (values_not_positive).
//  Machine state beyond one common factor: nothing more is removed. Cases respond differently to
//  the same state (shared data, runs 1 -> 3: the run +9%, none_scan +25..+110%, reclaim at
//  262144 entries +30..+50%, the native cases +75..+120%; grouping cases by workload and size
//  left +-45% per case), so that response is treated as the case's own run-to-run variance,
//  estimated per case (it widens that case's null and leaves a real change in another case
//  intact) rather than removed. Removing more factors would need them estimated leave-one-out
//  from a history of many runs; not done.
//
// For every row with a p: Benjamini–Hochberg across every row of the table that has one (all
// metrics together). Verdict: regression / improvement when p_adjusted < alpha and the whole
// 95% interval of the ratio lies at least threshold_pct beyond 1 (ratio_low - 1 >= threshold
// for a regression, 1 - ratio_high >= threshold for an improvement; for every metric of ours
// larger is worse); with basis none the sign of d decides, no threshold applies; otherwise
// unchanged. Fewer than kMinRepetitions samples on a side with Unit::repetition, or with
// Unit::run and df = 0: insufficient. Present on one side only: missing.
//
// The whole run: the common shift removed (drift run) of at least shift_limit_pct is a verdict
// of the whole run (DriftNote), counted by has_regression(), with Unit::repetition; with
// Unit::run it is judged like a case, the unit being the run: against the spread of the common
// factors of the history's runs (t, df = runs - 1; significant at alpha and the whole 95%
// interval beyond the limit), and `inconclusive` without a history of two runs or more. One run
// a side on the development VM moved by -10% to +12% as a whole against another of the same
// build; runs of one side are not used for this, being usually taken back to back (they share
// the state of those minutes: runs 1-2 and 3-4 of the shared data differ by 0.4-4% as a whole,
// the two pairs by 9-12%).
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/compare_options.h"
#include "harness/noise_model.h"
#include "harness/results_row.h"
#include "harness/results_table.h"

namespace ptebench::compare {

inline constexpr std::size_t kMinRepetitions = 5;

enum class Verdict { regression, improvement, inconclusive, unchanged, insufficient, missing };
inline constexpr std::array<Verdict, 6> kVerdicts = {Verdict::regression,   Verdict::improvement,
                                                     Verdict::inconclusive, Verdict::unchanged,
                                                     Verdict::insufficient, Verdict::missing};
std::string_view verdict_name(Verdict verdict);  // "regression", ...

// Why a row is inconclusive (Unit::run, see the top of this file).
enum class InconclusiveReason {
  none,
  // One run a side and no history run of the case: the change exceeds the repetitions' noise
  // and the spread of the table's other cases, but this case's own run-to-run noise is unknown.
  run_noise_unknown,
  // A value <= 0: no log level, so no run-level model.
  values_not_positive,
};
std::string_view inconclusive_reason_name(
    InconclusiveReason reason);  // "", "run_noise_unknown", ...

// How the change was estimated (see the top of this file).
enum class ChangeBasis { log_ratio, raw_shift, none };
std::string_view change_basis_name(ChangeBasis basis);  // "log_ratio", "raw_shift", "none"

struct ComparisonRow {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  results::CaseKey key;  // with --between, the split column holds "*"
  std::string metric;
  std::string unit;
  std::size_t n_base = 0;
  std::size_t n_new = 0;
  double median_base = kNaN;  // NaN on the side with no samples
  double median_new = kNaN;
  // new / base: estimate and 95% interval; NaN with basis none or a missing side.
  double ratio = kNaN;
  double ratio_low = kNaN;
  double ratio_high = kNaN;
  ChangeBasis basis = ChangeBasis::none;
  double p_value = kNaN;     // raw two-sided Mann–Whitney p; NaN when insufficient or missing
  double p_adjusted = kNaN;  // Benjamini–Hochberg across the table; NaN likewise
  double common_shift_removed = kNaN;  // the common ratio divided out of new; NaN when none
  // The noise model (Unit::run; noise_model.h), on log values: runs per side, the run-level
  // degrees of freedom, and the standard deviations of a run's level between runs and of one
  // repetition within a run (sqrt of Components::run_var, within_var); NaN where not estimated.
  // within_sd is NaN with one run a side and no history (not needed for the verdict; computing
  // it per row slowed compare). null_scale: the empirical null's widening applied (1 when none).
  std::size_t runs_base = 0, runs_new = 0, run_df = 0;
  double run_sd = kNaN;
  double within_sd = kNaN;
  double null_scale = 1;
  bool exact = false;  // decided without statistics (harness/exact_verdict.h)
  Verdict verdict = Verdict::missing;
  InconclusiveReason reason = InconclusiveReason::none;
};

// The change of a row as a shift of raw values (new - base, its 95% interval) relative to the
// base median: basis raw_shift; basis none (no ratio, the sign decides) when that median is not
// positive or the shift and interval are not finite and ordered. For compare's rows with a value
// <= 0 and for ab --duet's paired rows (harness/paired.h).
void set_raw_shift(ComparisonRow& row, double shift, double low, double high);

struct Summary {
  std::array<std::size_t, kVerdicts.size()> counts{};  // indexed by Verdict
  std::size_t count(Verdict verdict) const { return counts[static_cast<std::size_t>(verdict)]; }
};

// The drift removed from one metric's values (harness/drift.h).
struct DriftNote {
  std::string metric;
  Drift drift = Drift::none;
  // Repetition factors, per side: blocks (repetitions of a run) seen and corrected, and the
  // largest factor removed as a percentage (|exp(log factor) - 1|).
  std::size_t base_blocks = 0, base_blocks_corrected = 0;
  std::size_t new_blocks = 0, new_blocks_corrected = 0;
  double max_factor_pct = 0;
  // The common shift new/base of the whole run (the median over cases), estimated whatever the
  // drift mode; NaN when no case contributes. Removed only with Drift::run and more than
  // drift::kMinCases contributing cases.
  double common_ratio = ComparisonRow::kNaN;
  std::size_t common_cases = 0;
  bool common_removed = false;
  // regression / improvement when removed and |common_ratio - 1| >= shift_limit_pct (and, with
  // Unit::run, beyond the runs' common factors' spread); inconclusive with Unit::run when no
  // source holds two runs; otherwise unchanged.
  Verdict common_verdict = Verdict::unchanged;
  // Unit::run: the sd of a run's common factor (log) and its df; NaN / 0 without a reference.
  double common_run_sd = ComparisonRow::kNaN;
  std::size_t common_run_df = 0;
};

// The noise model of one metric (Unit::run), for the report.
struct NoiseNote {
  std::string metric;
  std::size_t cases = 0;              // rows with a log level on both sides
  std::size_t cases_with_run_sd = 0;  // of which df > 0
  std::size_t history_runs = 0;       // the most history runs of any case
  std::size_t most_runs_base = 0, most_runs_new = 0;
  noise::EmpiricalNull z_null;       // of the df > 0 rows' z (widening = max(1, scale))
  noise::EmpiricalNull change_null;  // of all cases' log changes (clears df = 0 rows)
};

struct Comparison {
  CompareOptions options;
  // What the two sides are called in reports: "base" / "new", or the --between values. The
  // CLI may overwrite them (e.g. with file names).
  std::string base_label = "base";
  std::string new_label = "new";
  std::vector<ComparisonRow> rows;  // ordered by case key, then metric
  std::vector<DriftNote> drift;     // one per metric compared, by metric; empty with Drift::none
  std::vector<NoiseNote> noise;     // one per metric compared with Unit::run, by metric
  // Metrics whose every value on both sides is 0 (e.g. page_faults of a pre-faulted walk):
  // their rows are kept (unchanged), but there is nothing to read in them.
  std::vector<std::string> zero_metrics;
  Summary summary;
  // Built by harness/paired.h (ab --duet): changes and p-values are of per-pair ratios
  // (Wilcoxon signed-rank), no drift removed; the report's legend says so.
  bool paired = false;
  bool has_regression() const;  // a row's verdict, or a common shift's
};

// The verdict of a row whose p_adjusted, ratio interval and basis are set, `direction` being the
// sign of its change (see the top of this file); shared with harness/paired.h.
Verdict decide(const ComparisonRow& row, double direction, const CompareOptions& options);

// Builds a Comparison from rows streamed one at a time (results::scan_results), so that two
// files of millions of rows need only their values in memory: 12 bytes per sample (the value
// and its block, a run's repetition, for harness/drift.h) plus one entry per (case, metric) and
// one per block. Rows are grouped in a hash map; finish() sorts the groups and runs
// the statistics, O(n log n) per group.
class Collector {
 public:
  explicit Collector(CompareOptions options);  // validates (InputError)
  ~Collector();
  Collector(Collector&&) noexcept;
  Collector& operator=(Collector&&) noexcept;

  // Two inputs (options.between unset): a row of the baseline, a row of the current side.
  void add_base(const results::Row& row);
  void add_new(const results::Row& row);
  // A row of a past run of the machine: the noise reference only (Unit::run), never compared.
  // Ignored with Unit::repetition. Not with --between (aborts).
  void add_history(const results::Row& row);
  // The rows that follow come from another input: a run is (input, run_id), so one run given
  // twice counts as two runs. Call it between inputs (files).
  void next_input();
  // One input split by options.between (set): the side is chosen by the row's column.
  // Calling add_base/add_new with options.between set, or add without, is a bug in the caller
  // and aborts.
  void add(const results::Row& row);
  // The same four for row `i` of a table read by results::read_table (harness/results_table.h),
  // without building a Row: what `ptebench compare` feeds. Same semantics, row for row; a
  // table's series and runs are looked up once each. Call next_input() between tables; the
  // table must stay alive and unchanged until then.
  void add_base(const results::RowTable& table, std::size_t i);
  void add_new(const results::RowTable& table, std::size_t i);
  void add_history(const results::RowTable& table, std::size_t i);
  void add(const results::RowTable& table, std::size_t i);

  // The table. Throws InputError when a (case, metric) has two units, a requested metric is in
  // neither input, or with --between when no row has the base or the new value.
  Comparison finish() &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Both inputs in memory. InputError as Collector, and when options.between is set (it splits
// one input, use compare_between).
// Whether compare may use a second thread (Collector::finish() at many rows; the command's
// reader, bench/cli/cmd_compare.cc): not with PTEBENCH_COMPARE_THREADS=1.
bool two_threads_allowed();

Comparison compare(const std::vector<results::Row>& base, const std::vector<results::Row>& current,
                   const CompareOptions& options);

// One input split by options.between, which must be set (InputError otherwise).
Comparison compare_between(const std::vector<results::Row>& run, const CompareOptions& options);

}  // namespace ptebench::compare
