// What a step in one case would have met on this machine (`ptebench history power`): the step
// injected into the case's stored nights and each stepped night judged as nightly judged it
// (nightly_report.h, replay_night: the same series, factors, splits, nulls, replication and
// calm-nights rule; without re-runs, which are not stored, so a change the fresh processes would
// not have reproduced is not caught here, and without a noisy night's further measures beyond
// those the history keeps). For a nightly fleet's engineer: which steps of which cases the
// machine's nightly confirms, and how soon, from the machine's own nights and with the judge
// itself rather than a formula (night_noise.h's suspect step assumes normal nights, no widened
// null and no correction across cases). For issue 11's acceptance (a 5% step confirmed by its
// second night in 9 of 10 trials): a check's clean nights replayed with the step, beside the
// trials it ran live (scripts/nightly-check.sh).
//
// A placement is a night s with at least options.min_history nights before it and nights_after
// - 1 after it: the case's values of the metric are multiplied by 1 + step_pct / 100 on nights s
// .. s + nights_after - 1 (as `run --inject-slowdown` slows a case by a share of its walk), and
// each of those nights is judged against the nights before it, the earlier stepped nights
// included. The placements overlap: the nights of one are the reference of a later one, unstepped
// there, so they are not independent trials (a noisy stretch of the history counts against
// several).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "harness/nightly_judge.h"
#include "harness/results_row.h"

namespace ptebench::nightly {

struct StepPlacement {
  std::size_t first = 0;  // index, into the nights given, of the first stepped night
  // The case's judgement on each stepped night, in order (collecting when it has no level there).
  std::vector<CaseJudgement> judged;
  // Index into judged of the first night the step was confirmed on (a regression for a slowdown,
  // an improvement for a speed-up); nullopt when it was not by the last stepped night.
  std::optional<std::size_t> confirmed_on;
  // Other cases confirmed on the stepped nights (names, once each): alarms the step did not cause.
  std::vector<std::string> other_regressions, other_improvements;
};

struct StepPower {
  std::vector<StepPlacement> placements;
  std::size_t confirmed = 0;  // placements with confirmed_on
  std::size_t suspected = 0;  // placements where the case was a suspect or confirmed on a night
};

// `night` with the values of `metric` of case `key` multiplied by `factor`.
std::vector<results::Row> with_step(const std::vector<results::Row>& night,
                                    const results::CaseKey& key, const std::string& metric,
                                    double factor);

// The step injected at every placement of `nights` (oldest first; `night_ids` their run ids),
// each judged as above with `options` (window, min_history and the judge's levels).
StepPower step_power(std::span<const std::vector<results::Row>* const> nights,
                     std::span<const std::string> night_ids, const std::string& metric,
                     const results::CaseKey& key, double step_pct, std::size_t nights_after,
                     const JudgeOptions& options);

// step_power of each of `keys` (a step in one case at a time), in the order given, on up to
// `threads` threads (each case's placements are independent of the others').
std::vector<StepPower> step_powers(std::span<const std::vector<results::Row>* const> nights,
                                   std::span<const std::string> night_ids,
                                   const std::string& metric,
                                   std::span<const results::CaseKey> keys, double step_pct,
                                   std::size_t nights_after, const JudgeOptions& options,
                                   std::size_t threads);

}  // namespace ptebench::nightly
