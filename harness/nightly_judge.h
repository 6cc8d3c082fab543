// Nightly's judgement against its own history (issue 11, item 3): a pure library, no I/O. The
// caller (bench/cmd_nightly.cc, not wired yet) gives, per case, the series of its nightly levels
// (the median log value of each night's run, oldest first, tonight last) and, for suspects, the
// levels of fresh re-runs; this says, per case and for the night, what to report and whether to
// exit 1.
//
// Why a series and not a baseline: on a shared machine one run is a sample of that night's
// machine state; the nights are the replicates (compare.h, Unit::run). A change is a change point
// in the series, found as Otava/Hunter do it (Fleming et al., "Hunter: using change point
// detection to hunt for performance regressions", ICPE 2023; Daly et al., "The use of change
// point detection to identify software performance regressions in a continuous integration
// system", ICPE 2020 — e-divisive means with a t-test): every split of the recent series into
// "before" (up to kWindow nights) and "after" (the nights since the split) is tested with a
// two-sample t test (pooled variance, df = n_before + n_after - 2), Bonferroni over the splits
// tried. A change is only *confirmed* when at least confirm_nights nights (tonight's re-runs
// count as nights, in the spirit of Chromium Pinpoint's "unknown -> run more") lie after the
// split; a significant split with fewer is a *suspect*: re-run it in fresh processes and judge
// again on all the data. A one-night blip gone the next night never confirms: its split leaves
// the normal night in "after" and the t test fails. Until min_history nights exist the answer is
// "collecting history (k of N)" and nothing is raised.
//
// Assumptions: nightly levels of one case are independent and roughly normal around a level
// that changes only at change points; the machine's common factor is removed by the caller
// (harness/drift.h) before the series is built.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace ptebench::nightly {

struct JudgeOptions {
  std::size_t min_history = 5;     // nights before tonight needed to judge anything
  std::size_t window = 10;         // at most this many nights before a split are its reference
  std::size_t confirm_nights = 2;  // nights (or re-runs) after a split needed to confirm it
  double alpha = 0.01;             // per case, Bonferroni over the splits tried
  double threshold_pct = 2;        // smallest change that is a verdict (percent, on the level)
};

enum class State { collecting, stable, suspect, regression, improvement };
std::string_view state_name(State state);  // "collecting", "stable", "suspect", ...

struct CaseJudgement {
  State state = State::collecting;
  std::size_t split = 0;  // index of the first night after the change point (suspect/confirmed)
  double ratio = 1;       // exp(mean after - mean before)
  double p = 1;           // the best split's two-sided p, Bonferroni-adjusted
  std::size_t nights_after = 0;
};

// One case: `levels` = log levels, oldest first, tonight last; `reruns` = log levels of fresh
// re-runs of tonight (may be empty), counted as further nights after tonight.
CaseJudgement judge_case(std::span<const double> levels, std::span<const double> reruns,
                         const JudgeOptions& options);

struct NightJudgement {
  bool collecting = false;
  std::size_t history_nights = 0;  // nights before tonight (the k of "k of N")
  std::size_t needed = 0;          // N
  std::vector<CaseJudgement> cases;
  std::vector<std::size_t> suspects;               // case indices to re-run before any alarm
  std::vector<std::size_t> confirmed_regressions;  // case indices
  // 1 only for a confirmed regression; collecting, suspects and improvements are 0.
  int exit_code() const { return confirmed_regressions.empty() ? 0 : 1; }
  // "collecting history (3 of 5)", "2 suspects to re-run", "1 confirmed regression", "stable".
  std::string headline() const;
};

// Every case's series (same length: nights; a case missing a night is the caller's to drop).
// reruns[c] may be empty; reruns may be empty altogether.
NightJudgement judge_night(const std::vector<std::vector<double>>& levels,
                           const std::vector<std::vector<double>>& reruns,
                           const JudgeOptions& options);

}  // namespace ptebench::nightly
