#include "harness/drift.h"

#include <algorithm>
#include <array>
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

  const auto by_deviation = [](const Entry& x, const Entry& y) {
    return x.deviation < y.deviation;
  };
  for (auto& block : by_block) {
    std::vector<Entry>& entries = block.second;
    // One entry per contributing case; a case's own entry is left out of its factor.
    if (entries.size() - 1 < kMinCases) continue;
    // median_without(sorted deviations, j) reads only the sorted values at h - 1, h and h + 1
    // (h: the middle of the n - 1 others) and whether j is below, at or above h: those three are
    // selected, not the whole block sorted. Entries of equal deviation are interchangeable
    // (leaving either out leaves the same values), so the factors are the sort's to the bit.
    const std::size_t others = entries.size() - 1;
    const std::size_t h = others / 2;
    const auto middle = entries.begin() + static_cast<std::ptrdiff_t>(h);
    std::nth_element(entries.begin(), middle, entries.end(), by_deviation);
    const std::array<double, 3> around = {
        std::max_element(entries.begin(), middle, by_deviation)->deviation, middle->deviation,
        std::min_element(middle + 1, entries.end(), by_deviation)->deviation};
    // The factor of an entry below h, at h and above h: median_without's at(h - 1) and at(h).
    std::array<double, 3> factor{};
    const std::array<std::array<std::size_t, 2>, 3> at = {{{1, 2}, {0, 2}, {0, 1}}};
    for (std::size_t c = 0; c < 3; ++c) {
      factor[c] = others % 2 == 1 ? around[at[c][1]] : (around[at[c][0]] + around[at[c][1]]) / 2;
    }
    for (std::size_t j = 0; j < entries.size(); ++j) {
      const double f = factor[j < h ? 0 : (j == h ? 1 : 2)];
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
