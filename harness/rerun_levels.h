// Tonight's re-runs as levels of the series nightly judges (harness/night_series.h). Before any
// alarm, nightly measures its suspects and would-be changes again in fresh processes
// (bench/runner/nightly_reruns.h), minutes after tonight's run and so in a machine state of their
// own: each re-run also measures control cases, and a candidate's level in it is its raw level
// less its loading times the re-run's own common factor (and tonight's further factors, which a
// re-run's few controls do not estimate): the median deviation of the controls of the
// candidate's size (entries walked) from their own mean level over the nights.
//
// Of its size, because this VM's slow moments do not move the cases alike. In the live checks of
// 2026-12-06 17:16 and 20:58 (120 re-runs of munmap/arm64/plain/dense/4096/kernel with a +5% step
// injected, about half of each re-run's 24 controls of each size), in the 37 re-runs whose
// controls' median deviation was +5% or more the 262144-entry controls' median was +4.8% to
// +21.2%, the 4096-entry ones' +2.2% to +13.7%, further in 36 of the 37; the stepped case went
// with the small ones. Its excess over the median of every control was +3.0% at the median (-1.4%
// to +6.1%; 13 of 37 below +2.5%, the step's midpoint), over the median of the 4096-entry controls
// +4.6% (+1.1% to +5.8%; 3 below); in the 83 calmer re-runs +5.4% and +5.3%. (A scratch program
// over the kept re-run files, each deviation from the case's mean over the check's clean nights
// 1-10.) Replayed with their kept re-runs (`history judge --reruns`), the two checks' step trials
// confirmed the step by night 12 in 10 and 9 of 10 with every control's median, as they did live,
// and in 10 and 10 with their size's; the blips, the other cases confirmed and the clean nights'
// alarms unchanged.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "harness/drift.h"
#include "harness/night_series.h"
#include "harness/nightly_judge.h"
#include "harness/results_row.h"

namespace ptebench::nightly {

// The controls a re-run measures for each size of the candidates.
inline constexpr std::size_t kRerunControls = drift::kMinCases + 4;
// A candidate's re-run factor is its size's controls' median when at least this many of them
// were measured (the median of 10 normal values of sd 1% has a standard error of
// about 1.25 x 1% / sqrt(10) = 0.4%: a calculation, not a measurement), else the median of
// every control of its metric, when at least drift::kMinCases were.
inline constexpr std::size_t kMinSizeControls = 10;

// `count` of the eligible series spread evenly over their order (case key: workload, format,
// variant, layout, size), not the first `count` (the first 24 of the quick suite are two
// workloads of six). Indices into `eligible`, ascending; every eligible one when there are
// `count` or fewer.
std::vector<std::size_t> spread_controls(const std::vector<bool>& eligible, std::size_t count);

// The series a re-run of `candidates` measures besides them: for each (metric, size) among the
// candidates, `count` spread over the eligible series of that metric and size (more than
// `min_history` levels, not a candidate; all of them when there are fewer), or over every eligible
// series where fewer than kMinSizeControls of that size are eligible (the native workloads' one
// size), the same bound rerun_levels uses; `count` spread over every eligible
// series when not `by_size`. Indices ascending, each once.
std::vector<std::size_t> rerun_controls(const std::vector<CaseSeries>& series,
                                        const std::vector<std::size_t>& candidates,
                                        std::size_t min_history, bool by_size = true,
                                        std::size_t count = kRerunControls);

// Per series (indexed like `series`), each candidate's level in each of `runs` (the re-runs'
// rows, one process each) it was measured in; empty for every other series. The controls are the
// eligible series other than the candidates that a run measured (rerun_controls's, as nightly
// runs them; whatever a stored re-run holds, when one is replayed). A run with too few controls
// of the candidate's metric measured takes tonight's whole factor instead (the re-run is
// tonight's too). Not `by_size`: every control of the candidate's metric gives its factor.
std::vector<std::vector<double>> rerun_levels(const std::vector<CaseSeries>& series,
                                              const std::vector<std::size_t>& candidates,
                                              std::span<const std::vector<results::Row>> runs,
                                              std::size_t min_history, bool by_size = true);

// Tonight judged as nightly judges it, for nightly (bench/cli/cmd_nightly.cc) and its replay
// (nightly_report.h, replay_night) alike: a first judgement without re-runs; its candidates
// (NightJudgement::rerun_candidates) given to `rerun`, which returns their re-runs' rows (one
// vector a process; none: not re-run; nullopt: interrupted); then, if there are re-runs, the
// judgement again with the candidates' levels in them (rerun_levels, by size as
// options.rerun_factor_by_size says).
struct RerunJudgement {
  NightJudgement night;
  std::vector<std::vector<double>> levels;  // per series: its levels in the re-runs
  std::size_t processes = 0;                // re-run processes
  std::size_t cases = 0;                    // candidates re-run
  bool interrupted = false;                 // `rerun` returned nullopt: no judgement
};
using RerunMeasure = std::function<std::optional<std::vector<std::vector<results::Row>>>(
    const std::vector<std::size_t>& candidates)>;
RerunJudgement judge_with_reruns(const std::vector<CaseSeries>& series, const JudgeOptions& options,
                                 std::span<const LastNightSuspect> last_night,
                                 std::span<const double> night_nulls, const RerunMeasure& rerun);

}  // namespace ptebench::nightly
