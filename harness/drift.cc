#include "harness/drift.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "harness/invariant.h"
#include "harness/stats.h"

namespace ptebench::drift {
namespace {

// A deviation of one case in one block.
struct Entry {
  double deviation;
  std::uint32_t case_index;
  std::uint32_t value_index;
};

}  // namespace

double median_without(std::span<const double> sorted, std::size_t skip) {
  if (sorted.size() < 2 || skip >= sorted.size()) {
    invariant_violated("median_without of " + std::to_string(sorted.size()) + " values skipping " +
                           std::to_string(skip),
                       "harness/drift.h");
  }
  // Index k of the list without `skip` is index k (k < skip) or k + 1 (k >= skip) of `sorted`.
  const auto at = [&](std::size_t k) { return sorted[k < skip ? k : k + 1]; };
  const std::size_t n = sorted.size() - 1;
  if (n % 2 == 1) return at(n / 2);
  return (at(n / 2 - 1) + at(n / 2)) / 2;
}

RepetitionFactors repetition_factors(std::span<const CaseSamples> cases) {
  RepetitionFactors out;
  out.log_factor.resize(cases.size());
  // Per block, the deviations of the contributing cases.
  std::unordered_map<std::uint32_t, std::vector<Entry>> by_block;
  std::vector<double> logs;
  std::vector<std::uint32_t> index;  // logs[k] is the log of values[index[k]]
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const CaseSamples& s = cases[c];
    out.log_factor[c].assign(s.values.size(), 0.0);
    logs.clear();
    index.clear();
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      if (!(s.values[i] > 0)) continue;
      logs.push_back(std::log(s.values[i]));
      index.push_back(static_cast<std::uint32_t>(i));
    }
    if (logs.size() < kMinValuesPerCase) continue;
    const double reference = stats::median(logs);
    for (std::size_t k = 0; k < logs.size(); ++k) {
      by_block[s.blocks[index[k]]].push_back(
          {logs[k] - reference, static_cast<std::uint32_t>(c), index[k]});
    }
  }
  out.blocks = by_block.size();

  std::vector<double> sorted;
  for (auto& block : by_block) {
    std::vector<Entry>& entries = block.second;
    // One entry per contributing case; a case's own entry is left out of its factor.
    if (entries.size() - 1 < kMinCases) continue;
    std::sort(entries.begin(), entries.end(),
              [](const Entry& x, const Entry& y) { return x.deviation < y.deviation; });
    sorted.clear();
    for (const Entry& e : entries) sorted.push_back(e.deviation);
    for (std::size_t j = 0; j < entries.size(); ++j) {
      const double f = median_without(sorted, j);
      out.log_factor[entries[j].case_index][entries[j].value_index] = f;
      out.max_abs_log_factor = std::max(out.max_abs_log_factor, std::abs(f));
    }
    ++out.blocks_corrected;
  }
  return out;
}

CommonShift common_shift(std::span<const double> case_log_changes) {
  CommonShift out;
  out.log_shift.assign(case_log_changes.size(), 0.0);
  std::vector<std::size_t> order;
  for (std::size_t c = 0; c < case_log_changes.size(); ++c) {
    if (std::isfinite(case_log_changes[c])) order.push_back(c);
  }
  out.cases = order.size();
  if (order.empty()) return out;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return case_log_changes[x] < case_log_changes[y];
  });
  std::vector<double> sorted;
  sorted.reserve(order.size());
  for (const std::size_t c : order) sorted.push_back(case_log_changes[c]);
  out.log_median = stats::median(sorted);
  if (out.cases <= kMinCases) return out;
  out.estimated = true;
  for (std::size_t c = 0; c < case_log_changes.size(); ++c) out.log_shift[c] = out.log_median;
  for (std::size_t j = 0; j < order.size(); ++j)
    out.log_shift[order[j]] = median_without(sorted, j);
  return out;
}

}  // namespace ptebench::drift
