#include "harness/rerun_levels.h"

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "harness/stats.h"

namespace ptebench::nightly {
namespace {

// A series' raw mean level over its nights: its levels with what was removed from them added back.
double raw_mean(const CaseSeries& s) {
  double sum = 0;
  for (std::size_t k = 0; k < s.levels.size(); ++k) sum += s.levels[k] + s.factors[k];
  return sum / static_cast<double>(s.levels.size());
}

// Each series' raw level in one run's rows (NaN where the run does not have it).
std::vector<double> raw_levels(const std::vector<CaseSeries>& series,
                               const std::vector<results::Row>& rows) {
  std::map<std::pair<results::CaseKey, std::string>, std::vector<double>> values;
  for (const results::Row& r : rows) values[{results::case_key(r), r.metric}].push_back(r.value);
  std::vector<double> out(series.size(), std::nan(""));
  for (std::size_t c = 0; c < series.size(); ++c) {
    const auto it = values.find({series[c].key, series[c].metric});
    if (it != values.end()) out[c] = level_of(it->second);
  }
  return out;
}

// The series that can be controls: more than `min_history` levels, not a candidate.
std::vector<bool> eligible_controls(const std::vector<CaseSeries>& series,
                                    const std::vector<std::size_t>& candidates,
                                    std::size_t min_history) {
  std::vector<bool> out(series.size(), false);
  for (std::size_t c = 0; c < series.size(); ++c) out[c] = series[c].levels.size() > min_history;
  for (const std::size_t c : candidates) out[c] = false;
  return out;
}

}  // namespace

std::vector<std::size_t> spread_controls(const std::vector<bool>& eligible, std::size_t count) {
  std::vector<std::size_t> candidates;
  for (std::size_t c = 0; c < eligible.size(); ++c)
    if (eligible[c]) candidates.push_back(c);
  if (candidates.size() <= count) return candidates;
  std::vector<std::size_t> out;
  out.reserve(count);
  // k * n / count for k < count: strictly increasing, as count < n.
  for (std::size_t k = 0; k < count; ++k) out.push_back(candidates[k * candidates.size() / count]);
  return out;
}

std::vector<std::size_t> rerun_controls(const std::vector<CaseSeries>& series,
                                        const std::vector<std::size_t>& candidates,
                                        std::size_t min_history, bool by_size, std::size_t count) {
  const std::vector<bool> eligible = eligible_controls(series, candidates, min_history);
  if (!by_size) return spread_controls(eligible, count);
  std::set<std::size_t> out;
  std::set<std::pair<std::string, std::uint64_t>> done;
  for (const std::size_t c : candidates) {
    const std::string& metric = series[c].metric;
    const std::uint64_t ptes = series[c].key.ptes;
    if (!done.insert({metric, ptes}).second) continue;
    std::vector<bool> of_size(series.size(), false);
    std::size_t n = 0;
    for (std::size_t k = 0; k < series.size(); ++k) {
      of_size[k] = eligible[k] && series[k].metric == metric && series[k].key.ptes == ptes;
      n += of_size[k] ? 1 : 0;
    }
    for (const std::size_t k : spread_controls(n >= kMinSizeControls ? of_size : eligible, count))
      out.insert(k);
  }
  return {out.begin(), out.end()};
}

std::vector<std::vector<double>> rerun_levels(const std::vector<CaseSeries>& series,
                                              const std::vector<std::size_t>& candidates,
                                              std::span<const std::vector<results::Row>> runs,
                                              std::size_t min_history, bool by_size) {
  const std::vector<bool> control = eligible_controls(series, candidates, min_history);
  std::vector<double> mean(series.size(), std::nan(""));
  for (std::size_t c = 0; c < series.size(); ++c)
    if (control[c]) mean[c] = raw_mean(series[c]);
  std::vector<std::vector<double>> out(series.size());
  for (const std::vector<results::Row>& rows : runs) {
    const std::vector<double> raw = raw_levels(series, rows);
    for (const std::size_t c : candidates) {
      const CaseSeries& s = series[c];
      if (std::isnan(raw[c])) continue;
      std::vector<double> same_size, same_metric;  // the controls' deviations
      for (std::size_t k = 0; k < series.size(); ++k) {
        if (!control[k] || std::isnan(raw[k]) || series[k].metric != s.metric) continue;
        same_metric.push_back(raw[k] - mean[k]);
        if (by_size && series[k].key.ptes == s.key.ptes) same_size.push_back(raw[k] - mean[k]);
      }
      double removed = s.factors.back();  // too few controls: tonight's whole factor
      if (same_size.size() >= kMinSizeControls)
        removed = s.loading * stats::median(same_size) + s.further.back();
      else if (same_metric.size() >= drift::kMinCases)
        removed = s.loading * stats::median(same_metric) + s.further.back();
      out[c].push_back(raw[c] - removed);
    }
  }
  return out;
}

RerunJudgement judge_with_reruns(const std::vector<CaseSeries>& series, const JudgeOptions& options,
                                 std::span<const LastNightSuspect> last_night,
                                 std::span<const double> night_nulls, const RerunMeasure& rerun) {
  std::vector<std::vector<double>> levels;
  for (const CaseSeries& s : series) levels.push_back(s.levels);
  RerunJudgement out;
  out.night = judge_night(levels, {}, options, last_night, night_nulls);
  out.levels.resize(series.size());
  const std::vector<std::size_t> candidates = out.night.rerun_candidates();
  if (candidates.empty()) return out;
  const std::optional<std::vector<std::vector<results::Row>>> runs = rerun(candidates);
  if (!runs) {
    out.interrupted = true;
    return out;
  }
  if (runs->empty()) return out;
  out.levels =
      rerun_levels(series, candidates, *runs, options.min_history, options.rerun_factor_by_size);
  out.processes = runs->size();
  out.cases = candidates.size();
  out.night = judge_night(levels, out.levels, options, last_night, night_nulls);
  return out;
}

}  // namespace ptebench::nightly
