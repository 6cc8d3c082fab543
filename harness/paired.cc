#include "harness/paired.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <utility>

#include "harness/exact_verdict.h"
#include "harness/input_error.h"
#include "harness/signed_rank.h"
#include "harness/stats.h"

namespace ptebench::compare {
namespace {

// One (case, metric): its unit and each side's value per repetition.
struct PairedGroup {
  std::string unit;
  std::map<std::uint32_t, double> a, b;
};
using GroupKey = std::pair<results::CaseKey, std::string>;  // case, metric

void add_side(const std::vector<results::Row>& rows, char side,
              std::map<GroupKey, PairedGroup>& groups, const CompareOptions& options) {
  for (const results::Row& row : rows) {
    if (!options.metrics.empty() && std::find(options.metrics.begin(), options.metrics.end(),
                                              row.metric) == options.metrics.end())
      continue;
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const auto emplaced = groups.try_emplace({results::case_key(row), row.metric});
    const auto it = emplaced.first;
    PairedGroup& g = it->second;
    if (emplaced.second) g.unit = row.unit;
    const auto name = [&] {
      return "case " + results::case_name(it->first.first) + " metric " + row.metric;
    };
    if (g.unit != row.unit)
      throw InputError(name() + ": unit '" + row.unit + "' where other rows have '" + g.unit + "'");
    auto& values = side == 'A' ? g.a : g.b;
    if (!values.emplace(row.repetition, row.value).second)
      throw InputError(name() + ": repetition " + std::to_string(row.repetition) +
                       " twice on side " + side + " (ab --duet pairs one value a repetition)");
  }
}

std::vector<double> values_of(const std::map<std::uint32_t, double>& side) {
  std::vector<double> out;
  out.reserve(side.size());
  for (const auto& [rep, v] : side) out.push_back(v);
  return out;
}

// The change of one row from its pairs (see paired.h); returns the sign of the change. Sets
// *p to the signed-rank p-value.
double estimate_paired(const std::vector<std::pair<double, double>>& pairs, ComparisonRow& row,
                       double* p) {
  const bool positive = std::all_of(pairs.begin(), pairs.end(),
                                    [](const auto& ab) { return ab.first > 0 && ab.second > 0; });
  std::vector<double> d;
  d.reserve(pairs.size());
  // A raw difference can overflow near the ends of the double range: it keeps its sign and ranks
  // beyond every finite one (the rank test needs finite values; set_raw_shift then finds no
  // relative size, as for compare's rows).
  constexpr double kMax = std::numeric_limits<double>::max();
  for (const auto& [a, b] : pairs)
    d.push_back(positive ? std::log(b / a) : std::clamp(b - a, -kMax, kMax));
  *p = stats::signed_rank(d).p_value;
  const stats::PairedShift s = stats::hodges_lehmann_paired(d);
  if (positive) {
    row.ratio = std::exp(s.shift);
    row.ratio_low = std::exp(s.low);
    row.ratio_high = std::exp(s.high);
    row.basis = ChangeBasis::log_ratio;
  } else {
    set_raw_shift(row, s.shift, s.low, s.high);
  }
  return s.shift;
}

}  // namespace

Comparison compare_paired(const std::vector<results::Row>& a, const std::vector<results::Row>& b,
                          CompareOptions options) {
  if (options.between)
    throw InputError("ab --duet pairs two sides' repetitions; --between splits one input");
  // The pairing is the drift correction, and the pair the unit (paired.h): the options say
  // so, for the report's legend.
  options.drift = Drift::none;
  options.unit = Unit::repetition;
  options.validate();
  std::map<GroupKey, PairedGroup> groups;
  add_side(a, 'A', groups, options);
  add_side(b, 'B', groups, options);
  for (const std::string& metric : options.metrics) {
    if (std::none_of(groups.begin(), groups.end(),
                     [&metric](const auto& g) { return g.first.second == metric; }))
      throw InputError("--metric " + metric + ": no row of either side has this metric");
  }

  Comparison comparison;
  comparison.options = options;
  comparison.paired = true;
  std::vector<double> p_values(groups.size(), ComparisonRow::kNaN);
  std::vector<double> directions(groups.size(), 0);
  std::map<std::string, bool> all_zero;  // metric -> every non-exact value 0 so far
  std::size_t i = 0;
  for (const auto& [key, g] : groups) {
    ComparisonRow& row = comparison.rows.emplace_back();
    row.key = key.first;
    row.metric = key.second;
    row.unit = g.unit;
    const std::vector<double> va = values_of(g.a), vb = values_of(g.b);
    row.n_base = va.size();
    row.n_new = vb.size();
    row.median_base = stats::median(va);
    row.median_new = stats::median(vb);
    const std::size_t index = i++;
    if (va.empty() || vb.empty()) {
      row.verdict = Verdict::missing;
      continue;
    }
    if (exact::is_exact(row.metric, va, vb)) {
      exact::decide(row, options.exact_threshold_pct);
      continue;
    }
    const auto zero = [](double v) { return v == 0; };
    const auto z = all_zero.try_emplace(row.metric, true).first;
    z->second = z->second && std::all_of(va.begin(), va.end(), zero) &&
                std::all_of(vb.begin(), vb.end(), zero);
    std::vector<std::pair<double, double>> pairs;
    for (const auto& [rep, value_a] : g.a) {
      const auto other = g.b.find(rep);
      if (other != g.b.end()) pairs.emplace_back(value_a, other->second);
    }
    if (pairs.empty()) {
      row.verdict = Verdict::insufficient;
      continue;
    }
    double p = ComparisonRow::kNaN;
    directions[index] = estimate_paired(pairs, row, &p);
    if (pairs.size() < kMinRepetitions) {
      row.verdict = Verdict::insufficient;
      continue;
    }
    p_values[index] = p;
  }
  for (const auto& [metric, zero] : all_zero)
    if (zero) comparison.zero_metrics.push_back(metric);

  const std::vector<double> adjusted = stats::benjamini_hochberg(p_values);
  for (std::size_t r = 0; r < comparison.rows.size(); ++r) {
    ComparisonRow& row = comparison.rows[r];
    if (std::isnan(p_values[r])) continue;  // missing, insufficient or exact: decided above
    row.p_value = p_values[r];
    row.p_adjusted = adjusted[r];
    row.verdict = decide(row, directions[r], options);
  }
  for (const ComparisonRow& row : comparison.rows)
    ++comparison.summary.counts[static_cast<std::size_t>(row.verdict)];
  return comparison;
}

}  // namespace ptebench::compare
