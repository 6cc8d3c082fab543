// nightly's judgement against its history (harness/nightly_judge.h) for people — a section of the
// Markdown report and of the terminal output — and for CI (JUnit testcases, harness/junit.h).
// Listed: every case that is not stable (confirmed regressions first, then improvements, then
// suspects); stable cases are counted.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "harness/junit.h"
#include "harness/night_series.h"
#include "harness/nightly_judge.h"

namespace ptebench::nightly {

struct JudgedCase {
  const CaseSeries* series = nullptr;
  CaseJudgement judgement;
  std::vector<double> reruns;  // log levels of tonight's re-runs, common factor removed
};

struct NightReport {
  NightJudgement night;                // the final judgement (after the re-runs)
  std::vector<JudgedCase> cases;       // one per judged series, in series order
  std::vector<std::string> night_ids;  // run ids of the nights, oldest first, tonight last
  std::string since_run;               // the baseline run the window starts at; empty: none
  std::size_t rerun_processes = 0;     // fresh processes the suspects were re-run in
  std::size_t rerun_cases = 0;         // cases re-run
  JudgeOptions options;
  // The whole run's series (night_series.h, whole_run_levels) judged as one more case, without
  // re-runs or an empirical null: what the cases' series removed as the machine's state, or a
  // change of every case. Reported, never an alarm: nightly alone cannot tell the two apart
  // (`ab` of this build against the last one can). whole_run_judged false: too few cases.
  bool whole_run_judged = false;
  CaseJudgement whole_run;
  // Tonight measured again while its run was noisy (bench/runner/nightly_remeasure.h): each
  // measure's one-night null widening in measuring order (fewer than two: measured once), the
  // night's (the calmest), the bound above which a night was measured again, the wait before
  // each fresh measure, and where the measures not chosen were kept.
  std::vector<double> measure_nulls;
  std::size_t measure_chosen = 0;
  double noisy_bound = 0;
  long long measure_wait_s = 0;
  std::vector<std::string> measures_set_aside;
};

// Judges the whole run of `series` (one metric's, over report.night_ids' nights) into `report`.
void judge_whole_run(NightReport& report, const std::vector<CaseSeries>& series,
                     const std::string& metric);

// E.g., a clean night here: "whole run +18.0% [+8.6%, +28.2%] over 2 nights, confirmed as a change
// (the machine's state, or a change of every case: not an alarm; `ptebench ab` against the last
// build tells them apart)", "whole run stable (<change> [<95% interval>])"; empty when not judged
// or collecting.
std::string whole_run_line(const NightReport& report);

// A case confirmed by replication (CaseJudgement::replicated), or a suspect of last night that was
// not (CaseJudgement::not_replicated), as the report, JUnit and `history judge` give it:
// "replicated: tonight alone p 0.0099", "not replicated: tonight alone p 0.12", ...; empty for
// every other case.
std::string replication_text(const CaseJudgement& j);

// Last night's suspects that are stable tonight, and why replication did not confirm them, e.g.
// "last night's suspects stable tonight: munmap/arm64/plain/dense/4096/kernel ns_per_pte +6.5%
// [+3.0%, +10.2%] p 0.049 (not replicated: tonight alone p 0.062); …" (a trial's night 12 of this
// VM's check of 2026-12-07 19:21, as `history judge` replays it); empty when there are none.
// (Stable cases are otherwise counted, not listed: a suspect that vanished without a word left
// the reader of yesterday's report guessing.)
std::string stable_suspects_line(const NightReport& r);

// A null's widening as the reports give it: "2.41x".
std::string widening_text(double scale);

// When tonight was measured more than once (measure_nulls), e.g. "tonight's run was noisy (the
// one-night split's null widened 2.41x, above 1.50x): measured 2 times in all, 30 s apart (2.41x,
// 1.18x); the night is measure 2, the calmest; set aside: night.noisy1.csv"; empty otherwise.
std::string measures_line(const NightReport& report);

// `markdown`: a "## Against the history" section; otherwise plain lines for a terminal.
void write_night_report(std::ostream& out, const NightReport& report, bool markdown);

// One testcase per judged (case, metric): a confirmed regression fails; collecting and suspect
// are skipped with the reason; stable and improvement pass.
std::vector<junit::TestCase> testcases(const NightReport& report);

// The last of `nights` (each night's rows, oldest first; `night_ids` their run ids) judged
// against up to options.window nights before it, as nightly judged it: without re-runs (before it
// re-ran its suspects) when `reruns` is empty, else with them (each one process's rows, as
// nightly kept them at <out>.rerun<k>.csv; harness/rerun_levels.h). For `history judge` and
// `report`. The report's cases point into `series`, which must outlive it.
NightReport replay_night(std::span<const std::vector<results::Row>* const> nights,
                         std::span<const std::string> night_ids, const std::string& metric,
                         const JudgeOptions& options, std::vector<CaseSeries>& series,
                         std::span<const std::vector<results::Row>> reruns = {});

// Last night's first judgement (the last of `nights` left out, the night before it judged against
// the nights before that, without re-runs: as nightly judged it before re-running its suspects,
// though against one night fewer than nightly had then once the history is longer than the window)
// of the cases of `series` (tonight's series over `nights`), for replication
// (JudgeOptions::replicate_alpha; all empty when it is 0). nightly and `history judge` give it the
// same nights, so they agree.
std::vector<LastNightSuspect> last_night_suspects(
    std::span<const std::vector<results::Row>* const> nights,
    const std::vector<std::string>& metrics, const JudgeOptions& options,
    const std::vector<CaseSeries>& series);

// The empirical null widening of the one-night split (NightJudgement::null_scales[0]) when the
// last of `nights` is judged against those before it (nightly's first judgement, before
// re-runs): how far tonight's run alone scatters the cases. nullopt while collecting history.
// For nightly's re-measures of a noisy night (bench/runner/nightly_remeasure.h).
std::optional<double> tonight_null_scale(std::span<const std::vector<results::Row>* const> nights,
                                         const std::vector<std::string>& metrics,
                                         const JudgeOptions& options);

// The one-night null widening of each of the last options.max_after of `nights` (tonight
// included) as it was judged as tonight (tonight_null_scale over it and the up to options.window
// nights before it: what nightly measured it at, after its re-measures; once the history is longer
// than the window, the older nights against one night fewer than nightly had then), for
// JudgeOptions::noisy_bound; NaN for the others, while collecting, and all NaN when the rule is
// off (noisy_bound 0). nightly and `history judge` give it the same nights, so they agree.
std::vector<double> night_nulls(std::span<const std::vector<results::Row>* const> nights,
                                const std::vector<std::string>& metrics,
                                const JudgeOptions& options);

// A suspect left so by nights after one that stayed noisy (CaseJudgement::after_noisy_nights):
// "1 of 2 nights after followed a night that stayed noisy"; empty otherwise.
std::string after_noisy_text(const CaseJudgement& j);

}  // namespace ptebench::nightly
