#include "harness/step_power.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include "harness/night_series.h"
#include "harness/nightly_report.h"

namespace ptebench::nightly {
namespace {

void add_once(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

}  // namespace

std::vector<results::Row> with_step(const std::vector<results::Row>& night,
                                    const results::CaseKey& key, const std::string& metric,
                                    double factor) {
  std::vector<results::Row> out = night;
  for (results::Row& r : out)
    if (r.metric == metric && results::case_key(r) == key) r.value *= factor;
  return out;
}

StepPower step_power(std::span<const std::vector<results::Row>* const> nights,
                     std::span<const std::string> night_ids, const std::string& metric,
                     const results::CaseKey& key, double step_pct, std::size_t nights_after,
                     const JudgeOptions& options) {
  StepPower out;
  const double factor = 1 + step_pct / 100;
  const State confirmed_state = step_pct > 0 ? State::regression : State::improvement;
  for (std::size_t first = options.min_history; first + nights_after <= nights.size(); ++first) {
    // The stepped nights' copies first, then the pointers to them (no reallocation after).
    std::vector<std::vector<results::Row>> stepped;
    stepped.reserve(nights_after);
    for (std::size_t k = 0; k < nights_after; ++k)
      stepped.push_back(with_step(*nights[first + k], key, metric, factor));
    std::vector<const std::vector<results::Row>*> view(nights.begin(),
                                                       nights.begin() + first + nights_after);
    for (std::size_t k = 0; k < nights_after; ++k) view[first + k] = &stepped[k];
    StepPlacement placement;
    placement.first = first;
    bool suspected = false;
    for (std::size_t k = 0; k < nights_after; ++k) {
      const std::size_t count = first + k + 1;
      std::vector<CaseSeries> series;
      const NightReport report = replay_night(std::span(view).first(count), night_ids.first(count),
                                              metric, options, series);
      CaseJudgement mine;  // collecting: the case has no level tonight
      for (std::size_t c = 0; c < series.size(); ++c) {
        const CaseJudgement& j = report.night.cases[c];
        if (series[c].key == key) {
          mine = j;
          continue;
        }
        if (j.state == State::regression)
          add_once(placement.other_regressions, results::case_name(series[c].key));
        if (j.state == State::improvement)
          add_once(placement.other_improvements, results::case_name(series[c].key));
      }
      if (mine.state == confirmed_state && !placement.confirmed_on) placement.confirmed_on = k;
      // A suspect of the step's sign (a split against it is no sign of the step).
      if ((mine.state == State::suspect && (mine.ratio > 1) == (step_pct > 0)) ||
          mine.state == confirmed_state)
        suspected = true;
      placement.judged.push_back(mine);
    }
    out.confirmed += placement.confirmed_on ? 1 : 0;
    out.suspected += suspected ? 1 : 0;
    out.placements.push_back(std::move(placement));
  }
  return out;
}

std::vector<StepPower> step_powers(std::span<const std::vector<results::Row>* const> nights,
                                   std::span<const std::string> night_ids,
                                   const std::string& metric,
                                   std::span<const results::CaseKey> keys, double step_pct,
                                   std::size_t nights_after, const JudgeOptions& options,
                                   std::size_t threads) {
  std::vector<StepPower> out(keys.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < keys.size(); i = next++)
      out[i] = step_power(nights, night_ids, metric, keys[i], step_pct, nights_after, options);
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < std::min(threads, keys.size()); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  return out;
}

}  // namespace ptebench::nightly
