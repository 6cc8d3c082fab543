// The options of a comparison (harness/compare.h) and their parsing from the CLI's text: what is
// compared (metrics, --between), what is removed first (drift), what the unit of replication is
// (run or repetition) and the decision rule (threshold, alpha, shift limit). Split from
// compare.h (issue 10) so that the CLI and the engine share one validation.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::compare {

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

// What is removed before the statistics (see harness/compare.h and harness/drift.h).
enum class Drift { none, repetition, run };
std::string_view drift_name(Drift drift);  // "none", "repetition", "run"
// "none" | "repetition" | "run"; InputError otherwise ("--drift x: expected none, repetition
// or run").
Drift parse_drift(std::string_view name);

// The unit of replication (harness/noise_model.h): `run` when the two sides are separate runs
// (their repetitions share their run's state, so only runs replicate), `repetition` when every
// repetition is its own process alternating with the other side's (`ab`) or both sides are one
// run (--between): then the repetitions are the replicates.
enum class Unit { run, repetition };
std::string_view unit_name(Unit unit);  // "run", "repetition"
// "run" | "repetition"; InputError otherwise ("--unit x: expected run or repetition").
Unit parse_unit(std::string_view name);

// Where the threshold applies (practical significance): `interval` flags a change only when the
// whole 95% interval lies threshold_pct or more beyond 1, `estimate` when the estimate does (and
// p_adjusted < alpha, as always). Across runs the default is `interval`: there the noise the
// interval rests on is partly a model's (harness/noise_model.h), and the margin keeps changes of
// about the threshold's size from being flagged on it. `ab` sets `estimate`: its sides alternate
// process by process, its interval is measured, not modelled (A/A 0 of 60 rows with p_adjusted
// below 0.05 on this VM, 2026-12-02), and the interval rule found an injected 3% slowdown in 1
// of 10 trials (at 20 repetitions a side the interval's half width was about 1.6%).
enum class ThresholdOn { interval, estimate };
std::string_view threshold_on_name(ThresholdOn on);  // "interval", "estimate"
// "interval" | "estimate"; InputError otherwise ("--threshold-on x: expected interval or
// estimate").
ThresholdOn parse_threshold_on(std::string_view name);

struct CompareOptions {
  std::vector<std::string> metrics;  // only these metrics; empty = every metric in the inputs
  double threshold_pct = 2;          // smallest |change| that is a verdict, percent, >= 0
  double alpha = 0.05;               // on BH-adjusted p-values, in (0, 1)
  std::optional<Between> between;
  // Unset: run for two inputs, repetition with --between (its two sides are one run, and their
  // common shift is the answer, not drift). `ab` sets repetition: its sides alternate.
  std::optional<Drift> drift;
  // Unset: repetition with --between, run otherwise. `ab` sets repetition.
  std::optional<Unit> unit;
  // Unset: interval. `ab` sets estimate.
  std::optional<ThresholdOn> threshold_on;
  // A removed common shift of at least this many percent is a verdict of the whole run.
  double shift_limit_pct = 5;
  // Exact counts (harness/exact_verdict.h): the smallest change that is a verdict, percent.
  double exact_threshold_pct = 0.5;

  Drift resolved_drift() const;
  Unit resolved_unit() const;
  ThresholdOn resolved_threshold_on() const { return threshold_on.value_or(ThresholdOn::interval); }

  // Throws InputError naming the flag the field comes from (--alpha, --threshold, --metric,
  // --between): alpha outside (0, 1) or not finite, threshold_pct negative or not finite, an empty
  // metric name, a between column not in kBetweenColumns, an empty between value or equal base and
  // new values, --shift-limit negative or not finite, --drift run with --between, --unit run with
  // --between.
  void validate() const;
};

}  // namespace ptebench::compare
