// Baseline against current: one verdict per (case, metric) (DESIGN.md, Comparison and
// regression flags). The engine behind `ptebench compare`, `ab` and `nightly`; it reads no files
// and prints nothing (harness/report.h renders a Comparison).
//
// Samples: for each (case, metric) the values of every row with that case and metric, one per
// repetition; rows of several runs in one input (a history file) are pooled. Per (case, metric):
//  - change = Hodges–Lehmann shift of log values as a ratio new/base with its distribution-free
//    95% interval (stats::hodges_lehmann_ratio). When a value is <= 0 (a page_faults count of
//    0) logs are undefined: the shift of raw values d, with its interval, is expressed relative
//    to the base median, ratio = 1 + d / median_base (basis raw_shift); when that median is not
//    positive either there is no ratio (basis none);
//  - p = two-sided Mann–Whitney U (stats::mann_whitney), adjusted by Benjamini–Hochberg across
//    every row of the table that has one (all metrics together);
//  - drift (harness/drift.h), removed first per metric unless options say none: per-repetition
//    common factors within each side (`repetition`), and then, for two separate runs, the
//    common shift of the whole new run against the base (`run`, the default without
//    --between). Values are divided by the factors; medians are reported as measured, the
//    change and p-value are of the corrected values. A removed common shift of at least
//    shift_limit_pct is itself a verdict of the whole run (DriftNote), counted by
//    has_regression();
//  - verdict: regression / improvement when p_adjusted < alpha and the whole 95% interval of
//    the ratio lies at least threshold_pct beyond 1 (ratio_low - 1 >= threshold for a
//    regression, 1 - ratio_high >= threshold for an improvement; direction: for every metric
//    of ours larger is worse); with basis none the
//    sign of d decides, no threshold applies (a change from a median of 0 has no relative size);
//    otherwise unchanged. Fewer than kMinRepetitions samples on a side: insufficient (medians and
//    change are still given, no p-value). Present on one side only: missing.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::compare {

inline constexpr std::size_t kMinRepetitions = 5;

// The columns a run can be split on by `--between`.
inline constexpr std::array<std::string_view, 5> kBetweenColumns = {
    "variant", "codegen", "pte_format", "layout", "workload"};

// Compare two values of one column inside a single run: rows with column == base_value are the
// baseline, rows with column == new_value the current side, other rows are ignored; rows are
// matched on the case key with that column left out.
struct Between {
  std::string column;  // one of kBetweenColumns
  std::string base_value;
  std::string new_value;
};

// Parses "column=base_value,new_value" (the CLI's --between argument). InputError on anything
// else, e.g. "--between variant=plain: expected column=base,new".
Between parse_between(std::string_view spec);

// What is removed before the statistics (see the top of this file and harness/drift.h).
enum class Drift { none, repetition, run };
std::string_view drift_name(Drift drift);  // "none", "repetition", "run"
// "none" | "repetition" | "run"; InputError otherwise ("--drift x: expected none, repetition
// or run").
Drift parse_drift(std::string_view name);

struct CompareOptions {
  std::vector<std::string> metrics;  // only these metrics; empty = every metric in the inputs
  double threshold_pct = 2;          // smallest |change| that is a verdict, percent, >= 0
  double alpha = 0.05;               // on BH-adjusted p-values, in (0, 1)
  std::optional<Between> between;
  // Unset: run for two inputs, repetition with --between (its two sides are one run, and their
  // common shift is the answer, not drift). `ab` sets repetition: its sides alternate.
  std::optional<Drift> drift;
  // A removed common shift of at least this many percent is a verdict of the whole run.
  double shift_limit_pct = 5;
  // Exact counts (harness/exact_verdict.h): the smallest change that is a verdict, percent.
  double exact_threshold_pct = 0.5;

  Drift resolved_drift() const;

  // Throws InputError naming the flag the field comes from (--alpha, --threshold, --metric,
  // --between): alpha outside (0, 1) or not finite, threshold_pct negative or not finite, an empty
  // metric name, a between column not in kBetweenColumns, an empty between value or equal base and
  // new values, --shift-limit negative or not finite, --drift run with --between.
  void validate() const;
};

enum class Verdict { regression, improvement, unchanged, insufficient, missing };
inline constexpr std::array<Verdict, 5> kVerdicts = {Verdict::regression, Verdict::improvement,
                                                     Verdict::unchanged, Verdict::insufficient,
                                                     Verdict::missing};
std::string_view verdict_name(Verdict verdict);  // "regression", ...

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
  bool exact = false;                  // decided without statistics (harness/exact_verdict.h)
  Verdict verdict = Verdict::missing;
};

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
  // regression / improvement when removed and |common_ratio - 1| >= shift_limit_pct; otherwise
  // unchanged.
  Verdict common_verdict = Verdict::unchanged;
};

struct Comparison {
  CompareOptions options;
  // What the two sides are called in reports: "base" / "new", or the --between values. The
  // CLI may overwrite them (e.g. with file names).
  std::string base_label = "base";
  std::string new_label = "new";
  std::vector<ComparisonRow> rows;  // ordered by case key, then metric
  std::vector<DriftNote> drift;     // one per metric compared, by metric; empty with Drift::none
  Summary summary;
  bool has_regression() const;  // a row's verdict, or a common shift's
};

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
  // One input split by options.between (set): the side is chosen by the row's column.
  // Calling add_base/add_new with options.between set, or add without, is a bug in the caller
  // and aborts.
  void add(const results::Row& row);

  // The table. Throws InputError when a (case, metric) has two units, a requested metric is in
  // neither input, or with --between when no row has the base or the new value.
  Comparison finish() &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Both inputs in memory. InputError as Collector, and when options.between is set (it splits
// one input, use compare_between).
Comparison compare(const std::vector<results::Row>& base, const std::vector<results::Row>& current,
                   const CompareOptions& options);

// One input split by options.between, which must be set (InputError otherwise).
Comparison compare_between(const std::vector<results::Row>& run, const CompareOptions& options);

}  // namespace ptebench::compare
