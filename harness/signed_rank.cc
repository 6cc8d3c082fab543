#include "harness/signed_rank.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "harness/invariant.h"
#include "harness/stats.h"

namespace ptebench::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void contract_violation(const std::string& what) {
  invariant_violated(what, "harness/signed_rank.h");
}

void require_finite(std::span<const double> values, const char* function) {
  for (const double v : values) {
    if (!std::isfinite(v))
      contract_violation(std::string(function) + ": value " + std::to_string(v) + " is not finite");
  }
}

// The non-zero differences, sorted by absolute value.
std::vector<double> nonzero_by_magnitude(std::span<const double> differences) {
  std::vector<double> d;
  d.reserve(differences.size());
  for (const double x : differences)
    if (x != 0) d.push_back(x);
  std::sort(d.begin(), d.end(), [](double x, double y) { return std::fabs(x) < std::fabs(y); });
  return d;
}

bool magnitudes_tied(const std::vector<double>& by_magnitude) {
  return std::adjacent_find(by_magnitude.begin(), by_magnitude.end(), [](double x, double y) {
           return std::fabs(x) == std::fabs(y);
         }) != by_magnitude.end();
}

// P(V <= v) for every v, cached per thread as stats.cc's exact_cdf (a table compares many rows
// with the same number of pairs).
const std::vector<double>& exact_cdf(std::size_t n) {
  thread_local std::size_t cached_n = SIZE_MAX;
  thread_local std::vector<double> cdf;
  if (n != cached_n) {
    cdf = signed_rank_exact_pmf(n);
    for (std::size_t v = 1; v < cdf.size(); ++v) cdf[v] += cdf[v - 1];
    cached_n = n;
  }
  return cdf;
}

}  // namespace

std::vector<double> signed_rank_exact_pmf(std::size_t n) {
  const std::size_t max_v = n * (n + 1) / 2;
  // counts[v]: subsets of {1..r} with sum v, for r = 0..n (adding rank r: counts[v] +=
  // counts[v - r], highest v first so that r is used at most once).
  std::vector<double> counts(max_v + 1, 0);
  counts[0] = 1;
  for (std::size_t r = 1; r <= n; ++r) {
    for (std::size_t v = r * (r + 1) / 2; v >= r; --v) counts[v] += counts[v - r];
  }
  const double total = std::ldexp(1.0, static_cast<int>(n));
  for (double& c : counts) c /= total;
  return counts;
}

SignedRank signed_rank(std::span<const double> differences) {
  require_finite(differences, "signed_rank");
  SignedRank result;
  if (differences.empty()) {
    result.p_value = kNaN;
    return result;
  }
  const std::vector<double> d = nonzero_by_magnitude(differences);
  const std::size_t n = d.size();
  result.n_used = n;
  if (n == 0) {
    result.p_value = 1;
    return result;
  }
  // Ranks of |d| with ties averaged; V and the tie correction sum(t^3 - t).
  double tie_sum = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && std::fabs(d[j]) == std::fabs(d[i])) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k)
      if (d[k] > 0) result.v += rank;
    const auto t = static_cast<double>(j - i);
    tie_sum += t * t * t - t;
    i = j;
  }
  const auto nd = static_cast<double>(n);
  // As R: exact only without zeros and ties (either makes the exact distribution not apply).
  result.exact = n < kExactLimit && n == differences.size() && !magnitudes_tied(d);
  if (result.exact) {
    const std::vector<double>& cdf = exact_cdf(n);
    const auto v = static_cast<std::size_t>(result.v);
    const double lower = cdf[v];
    const double upper = 1 - (v == 0 ? 0 : cdf[v - 1]);
    result.p_value = std::min(1.0, 2 * std::min(lower, upper));
    return result;
  }
  const double mean = nd * (nd + 1) / 4;
  const double variance = nd * (nd + 1) * (2 * nd + 1) / 24 - tie_sum / 48;
  if (!(variance > 0)) {
    result.p_value = 1;
    return result;
  }
  double z = result.v - mean;
  z -= z > 0 ? 0.5 : (z < 0 ? -0.5 : 0);  // continuity correction towards the mean
  result.p_value = std::min(1.0, 2 * normal_cdf(-std::fabs(z) / std::sqrt(variance)));
  return result;
}

PairedShift hodges_lehmann_paired(std::span<const double> differences, double confidence) {
  require_finite(differences, "hodges_lehmann_paired");
  if (!(confidence > 0 && confidence < 1)) {
    contract_violation("hodges_lehmann_paired: confidence " + std::to_string(confidence) +
                       " is outside (0, 1)");
  }
  PairedShift result;
  if (differences.empty()) {
    result.shift = result.low = result.high = result.achieved_confidence = kNaN;
    return result;
  }
  const std::vector<double> d = nonzero_by_magnitude(differences);
  const std::size_t n = d.size();
  if (n == 0) {
    result.achieved_confidence = 1;
    return result;  // every pair equal: no change, with certainty
  }
  std::vector<double> walsh;
  walsh.reserve(n * (n + 1) / 2);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i; j < n; ++j) walsh.push_back((d[i] + d[j]) / 2);
  std::sort(walsh.begin(), walsh.end());
  const std::size_t big_n = walsh.size();
  // W(r), 1-based.
  const auto w = [&walsh](std::size_t r) { return walsh[r - 1]; };
  result.shift = big_n % 2 == 1 ? w(big_n / 2 + 1) : (w(big_n / 2) + w(big_n / 2 + 1)) / 2;

  const double tail = (1 - confidence) / 2;
  std::size_t k = 0;
  result.exact = n < kExactLimit && n == differences.size() && !magnitudes_tied(d);
  const auto nd = static_cast<double>(n);
  if (result.exact) {
    const std::vector<double>& cdf = exact_cdf(n);
    while (k < big_n && cdf[k] < tail) ++k;  // smallest k with P(V <= k) >= tail (qsignrank)
    k = std::max<std::size_t>(k, 1);
    result.achieved_confidence = 1 - 2 * cdf[k - 1];
  } else {
    const auto big_nd = static_cast<double>(big_n);
    const double sigma = std::sqrt(nd * (nd + 1) * (2 * nd + 1) / 24);
    const double z = normal_quantile(1 - tail);
    const double rank = std::floor(big_nd / 2 + 0.5 - z * sigma);
    k = rank < 1 ? 1 : static_cast<std::size_t>(rank);
    result.achieved_confidence =
        1 - 2 * normal_cdf((static_cast<double>(k) - 1 + 0.5 - big_nd / 2) / sigma);
  }
  result.low = w(k);
  result.high = w(big_n + 1 - k);
  return result;
}

}  // namespace ptebench::stats
