// Nightly's judgement against its own history (issue 11, item 3): a pure library, no I/O. The
// callers (bench/cli/cmd_nightly.cc; `history judge` and `report --judge` through
// nightly_report.h's replay_night) give, per case, the series of its nightly levels (the median
// log value of each night's run, oldest first, tonight last) and, for suspects, the levels of
// fresh re-runs; this says, per case and for the night, what to report and whether to
// exit 1.
//
// Why a series and not a baseline: on a shared machine one run is a sample of that night's
// machine state; the nights are the replicates (compare.h, Unit::run). A change is a change point
// in the series, found as Otava/Hunter do it (Fleming et al., "Hunter: using change point
// detection to hunt for performance regressions", ICPE 2023; Daly et al., "The use of change
// point detection to identify software performance regressions in a continuous integration
// system", ICPE 2020 — e-divisive means with a t-test): every split of the recent series into
// "before" (up to kWindow nights) and "after" (the nights since the split) is tested with a
// two-sample t test (pooled variance, df = n_before + n_after - 2; a "before" night beyond
// median +- 3.5 robust sd of the nights before the last max_after pulled in to that bound,
// winsorized, so one disturbed night in the window hardly widens or shifts the reference), each
// split's p against Efron's empirical null of that split's z over the night's cases (widening
// only), the best split the one with the smallest p, Bonferroni over the splits tried (the last
// max_after nights), and to be confirmed, Benjamini-Hochberg across the night's cases. Before any
// alarm or reported change, the suspects and would-be confirmed changes (improvements too) are
// re-run in fresh processes (Chromium Pinpoint's "unknown -> run more") and judged again on all
// the data: the re-runs' levels are averaged with tonight's into tonight's level. They are not
// counted as nights: taken minutes after tonight's run they share tonight's machine state (shared
// data: runs taken back to back differ by 0.4-4% as a whole, runs an hour apart by 9-12%), so they
// refine tonight's level but are no further replicate.
// A change is only *confirmed* when at least confirm_nights nights lie after the split, every one
// of them on the change's side, confirm_nights of them not the night after one that stayed noisy
// through its measures (JudgeOptions::noisy_bound), the re-runs on their own on the change's side
// too and themselves a change of at least threshold_pct (Pinpoint: a change the fresh processes
// do not reproduce is tonight's run, not the code; "the change's side" is beyond the midpoint
// between the two levels), and the test on all the data still holds; a significant split with
// fewer nights is a *suspect* (exit 0). So a one-night blip, even one the re-runs reproduce
// (a build that was slow for one night), never confirms: the next night's split leaves the
// normal night in "after" and the t test or the step check fails. Until min_history nights
// exist the answer is "collecting history (k of N)" and nothing is raised. A change older than
// the nights under test (a split before them, a change the same way, that explains the series
// better, by |t|, than any split under test) is the series' new normal: stable.
//
// Replication (a screen, then an independent confirmation, as a genome-wide association study
// replicates its hits in a second sample): the correction across ~111 cases asks a two-night
// split for a p near 0.0005, which a real step of a steady case misses whenever one of its two
// nights was noisy (on this VM a noisy night widens every test's null 1.5-3x). Last night's first
// judgement has already screened the cases: its suspects (and would-be regressions) are few, and
// tonight's run is new data. So a case that last night's first judgement made a suspect is also
// confirmed when tonight's run alone, against the reference nights before last night's change
// point (a new observation's t, df = nights - 1, widened by tonight's one-night null), shows the
// change the same way at p < replicate_alpha, Bonferroni over last night's suspects; every night
// from the change point to tonight on the change's side, and tonight's re-runs reproducing it as
// above (beyond the midpoint, at least threshold_pct). Whatever tonight's splits say of it: a
// suspect, or stable by its p (the replication is the test; a split that widens with a noisy
// night's null is not asked to agree), but not a case an older change explains (its new normal).
// Until 2026-12-07 only tonight's suspects were tried: on this VM's check of 2026-12-07 08:14, a
// step stable on night 12 at p 0.012 (its nulls up to 1.43x) where tonight alone read p 0.0026.
// The reference is shared with last night's test, so the two are not quite independent (one
// reference night in 11 of the variance). Last night's judgement is the caller's to give
// (nightly_report.h, last_night_suspects: the nights without tonight, judged as nightly first
// judged them, without re-runs), so `history judge` replays it as nightly judged it.
//
// Assumptions: nightly levels of one case are independent and roughly normal around a level
// that changes only at change points; the machine's state is removed by the caller before the
// series is judged: the first common factor with each case's loading (harness/night_series.h),
// then the further factors of the groups that still move together (harness/factor_model.h).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "harness/factor_model.h"

namespace ptebench::nightly {

struct JudgeOptions {
  // Nights before tonight needed to judge anything (and the fewest nights a split's reference
  // has). 10: on this VM, 2026-12-02, a fresh history's 8th night (7 before it, splits with 5 of
  // them as reference) confirmed 5 regressions with this judge and 10 with the one before it:
  // steady cases at +2-3% for two nights, none_scan cases at +25-70% for three, in a reference
  // too short to have seen either. Over the 23- and 13-night clean histories of that day no night
  // with 10 before it confirmed anything.
  std::size_t min_history = 10;
  std::size_t window = 10;         // at most this many nights before a split are its reference
  std::size_t confirm_nights = 2;  // nights after a split needed to confirm it (re-runs: none)
  // Splits tried: those with 1 .. max_after nights after them (tonight included). A change is
  // alarmed on the nights it is confirmed on, then it is the series' new normal (the report's
  // history pictures keep it as a change point); --update-baseline restarts the window at once.
  std::size_t max_after = 3;
  double alpha = 0.01;  // a suspect: per case, Bonferroni over the splits tried
  // Confirmed: besides the above, Benjamini-Hochberg across the night's judged cases below this
  // (at alpha 0.01 a case, 111 cases judged every night give about one chance suspect a night,
  // and a second night alone does not stop chance excursions: on the busy development VM single
  // cases shifted by 30-56% for several runs in a row).
  double confirm_fdr = 0.05;
  // Efron's empirical null of the night's z-values is estimated from more than this many judged
  // cases (otherwise none: scale 1).
  std::size_t min_null_cases = 20;
  double threshold_pct = 2;  // smallest change that is a verdict (percent, on the level)
  // For the caller that builds the series (harness/night_series.h): factors of the machine's
  // state removed after the first (harness/factor_model.h).
  std::size_t further_factors = kFurtherFactors;
  // For the caller that judges re-runs (harness/rerun_levels.h): a candidate's re-run factor from
  // the controls of its size (true), or from every control (false: nightly before 2026-12-07;
  // `history judge --rerun-factor all` replays kept re-runs so).
  bool rerun_factor_by_size = true;
  // Replication (judge_night): a suspect of last night confirmed by tonight's run alone against
  // the reference before last night's change point, at this level over last night's suspects
  // (Bonferroni); 0: off. 0.01, the suspects' own level: replayed over the nine stored nightly
  // checks of 2026-12-02/03 (history judge, no re-runs), steps confirmed by night 12 in 67 of 85
  // trials (60 without), clean nights 0 alarms in 108 either way, other cases confirmed in the step
  // trials 7 (6 without); 0.001: 66 and 6, 0.05: 68 and 8.
  double replicate_alpha = 0.01;
  // A night that stayed noisy (its one-night split's empirical null widened above this when it
  // was judged as tonight, after all its measures: bench/runner/nightly_remeasure.h) may leave its
  // state in the next night: a night after one that stayed noisy, both after a change's split, is
  // not a replicate the change is confirmed on (a change needs confirm_nights nights after its
  // split that do not follow a noisy one), and replication waits when last night and tonight
  // both stayed noisy; 0: off (every night counts). nightly measures a night again above the same
  // bound (its --noisy-null, this by default). Why: on this VM's nightly check of 2026-12-04
  // 12:11, a clean night 11 stayed at 1.92x through five measures (whole run +11.1%) and two of
  // its cases, still moved on night 12 minutes later (a calm night), were confirmed as a
  // two-night change; night 12 follows night 11, so this rule holds them (that check's history
  // is no longer here to replay). The noisy night itself counts: its state is in its own null.
  // (Before 06e555f a noisy night did not count itself, and replication needed a calm
  // tonight: replayed, on the check of 2026-12-04 18:37 that held two steps this rule confirms
  // and on that of 22:09 one, trials whose night 12 stayed noisy after a calm night 11.)
  double noisy_bound = 1.5;
};

enum class State { collecting, stable, suspect, regression, improvement };
std::string_view state_name(State state);  // "collecting", "stable", "suspect", ...

// Why a suspect of last night (its first judgement) was not replicated tonight (judge_night), so
// that the report can say what became of it; `none` for every other case (not last night's
// suspect, replication off, already confirmed by its split, or replicated).
enum class NotReplicated {
  none,
  weak,         // tried: tonight alone at replicate_p (Bonferroni applied), not below the level
  not_shown,    // a night since last night's change point, tonight included, does not show it
                // (the other way, or not beyond the midpoint, or tonight below threshold_pct)
  reruns,       // tonight's re-runs do not reproduce it (beyond the midpoint, threshold_pct)
  both_noisy,   // not tried: last night and tonight both stayed noisy (noisy_bound)
  older_change  // not tried: an older change explains the series (its new normal)
};
// "not replicated: tonight alone p 0.12", "not tried for replication: last night and tonight both
// stayed noisy", ...; empty for none.
std::string not_replicated_text(NotReplicated why, double replicate_p);

struct CaseJudgement {
  State state = State::collecting;
  std::size_t split = 0;  // index of the first night after the change point (suspect/confirmed)
  double ratio = 1;       // exp(mean after - mean before)
  double ratio_low = 1;   // its 95% t interval (null widened), exp'd; 1, 1 while collecting
  double ratio_high = 1;
  double z = 0;  // the best split's t on the standard normal scale (same tail)
  // split_z[k - 1]: the t of the split with k nights after it, on the standard normal scale
  // (splits not tried: NaN, left out of the nulls): what the night's empirical nulls are estimated
  // from (judge_night).
  std::vector<double> split_z;
  double p = 1;  // its two-sided p (null widened), Bonferroni-adjusted over the splits
  double q = 1;  // p, Benjamini-Hochberg-adjusted across the night's cases (judge_night)
  std::size_t nights_after = 0;
  double before_level = 0;  // mean log level of the reference nights (outliers pulled in)
  // Stable because a split before the nights under test explains the series better (its new
  // normal): not tried for replication.
  bool older_change = false;
  // Confirmed by replication (judge_night): last night a suspect, tonight alone against the
  // reference before last night's change point at replicate_p (Bonferroni over last night's
  // suspects applied); 1 when not tested.
  bool replicated = false;
  double replicate_p = 1;
  // A suspect of last night not replicated tonight: why (replicate_p its p when `weak`).
  NotReplicated not_replicated = NotReplicated::none;
  // Nights after the split that follow one that stayed noisy (JudgeOptions::noisy_bound), not
  // counted toward confirm_nights: given when the change would otherwise have been confirmed and
  // too few counted nights left it a suspect; else 0.
  std::size_t after_noisy_nights = 0;
};

// One case: `levels` = log levels, oldest first, tonight last; `reruns` = log levels of fresh
// re-runs of tonight (may be empty), averaged with tonight's level (not further nights) and, to
// confirm, on the change's side by themselves. Before the correction across cases: a regression
// or improvement here is confirmed by judge_night only when its q is below confirm_fdr
// (otherwise it is a suspect).
// `null_scales[k - 1]`: the empirical null widening of the split with k nights after it
// (judge_night), 1 where not given; the interval is widened by it too. The best split is the
// one with the smallest p. `night_nulls[k]`: night k's one-night null widening as it was judged
// (the caller's: nightly_report.h, night_nulls), for JudgeOptions::noisy_bound; a night not
// given (or NaN) is calm.
CaseJudgement judge_case(std::span<const double> levels, std::span<const double> reruns,
                         const JudgeOptions& options, std::span<const double> null_scales = {},
                         std::span<const double> night_nulls = {});

struct NightJudgement {
  bool collecting = false;
  std::size_t history_nights = 0;  // nights before tonight (the k of "k of N")
  std::size_t needed = 0;          // N
  double null_scale = 1;  // the largest of Efron's empirical null widenings applied (1: none)
  // null_scales[k - 1]: the widening of the splits with k nights after them (1: none); the
  // one-night split's, null_scales[0], is tonight's run alone against the reference (what
  // nightly measures again when it is wide: bench/runner/nightly_remeasure.h).
  std::vector<double> null_scales;
  std::vector<CaseJudgement> cases;
  // Case indices. The caller re-runs a first judgement's (no re-runs) rerun_candidates() and
  // judges again with the re-runs: only that second judgement raises alarms or reports a change.
  std::vector<std::size_t> suspects;
  std::vector<std::size_t> confirmed_regressions;  // case indices
  // What a first judgement re-runs before the second: suspects and would-be confirmed changes,
  // improvements too (an improvement the fresh processes do not reproduce is tonight's run: on
  // this VM, 2026-12-05, a clean night confirmed none_scan/x86_64/plain/dense/262144/kernel at
  // -8.7% unre-run, a case with 4.8% night-to-night sd). Case indices, ascending.
  std::vector<std::size_t> rerun_candidates() const;
  // 1 only for a confirmed regression; collecting, suspects and improvements are 0.
  int exit_code() const { return confirmed_regressions.empty() ? 0 : 1; }
  // "collecting history (3 of 10)", "2 suspects", "1 confirmed regression, 1 suspect", "stable".
  std::string headline() const;
};

// A case in last night's first judgement (the nights before tonight judged without tonight and
// without re-runs): nights_after > 0 when it was a suspect (or a would-be regression or
// improvement) with that many nights after its change point and that change (ratio).
struct LastNightSuspect {
  std::size_t nights_after = 0;
  double ratio = 1;
};

// Every case's series (same length: nights; a case missing a night is the caller's to drop).
// reruns[c] may be empty; reruns may be empty altogether. last_night[c]: case c last night (may
// be empty: no replication). night_nulls: as judge_case's (may be empty: every night calm).
NightJudgement judge_night(const std::vector<std::vector<double>>& levels,
                           const std::vector<std::vector<double>>& reruns,
                           const JudgeOptions& options,
                           std::span<const LastNightSuspect> last_night = {},
                           std::span<const double> night_nulls = {});

}  // namespace ptebench::nightly
