// How noisy each case is from night to night on this machine, from its stored nights
// (`ptebench history noise`): what a nightly fleet's engineer reads to know which cases can show
// a change of a given size, and what `scripts/nightly-check.sh --case auto` picks its case by.
//
// A case's night-to-night sd is the sample sd of its nightly series as nightly judges it
// (harness/night_series.h: each night's median log value, the common factor times the case's
// loading and the further factors removed); its raw sd is the same before anything is removed.
// The factors are fitted over every night given (none is under test), so the sd is in-sample: a
// little below what a night judged against the others meets. The suspect step is the smallest
// step that nightly's two-night split (harness/nightly_judge.h) makes a suspect of, from this sd:
// a pooled two-sample t with `reference` nights before the split and 2 after, df = reference, at
// alpha Bonferroni over max_after splits, two-sided, the night's empirical null not widened (a
// noisy night widens it; confirming asks more: Benjamini-Hochberg across the night's cases or a
// replicating night), and never below threshold_pct (a smaller change is no verdict).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "harness/night_series.h"
#include "harness/nightly_judge.h"

namespace ptebench::nightly {

struct CaseNoise {
  std::size_t series = 0;  // index into the series given
  std::size_t nights = 0;  // nights with a level
  double sd_pct = 0;       // night-to-night sd, factors removed, as a percentage (exp(sd) - 1)
  double raw_sd_pct = 0;   // the same of the levels as measured
  double suspect_step_pct = 0;
};

// One entry per series with at least 3 nights, steadiest (smallest sd_pct) first; `reference`
// nights before a split (nightly's window, at most the nights there are less 2).
std::vector<CaseNoise> case_noise(std::span<const CaseSeries> series, const JudgeOptions& options);

}  // namespace ptebench::nightly
