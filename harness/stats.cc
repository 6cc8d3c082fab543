#include "harness/stats.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "harness/invariant.h"

namespace ptebench::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void contract_violation(const std::string& what) {
  invariant_violated(what, "harness/stats.h");
}

void require_finite(std::span<const double> values, const char* function) {
  for (const double v : values) {
    if (!std::isfinite(v)) {
      contract_violation(std::string(function) + ": value " + std::to_string(v) + " is not finite");
    }
  }
}

std::vector<double> sorted_copy(std::span<const double> values) {
  std::vector<double> copy(values.begin(), values.end());
  std::sort(copy.begin(), copy.end());
  return copy;
}

// Median of a sorted, non-empty list.
double sorted_median(std::span<const double> sorted) {
  const std::size_t n = sorted.size();
  const std::size_t mid = n / 2;
  return n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Whether any two values of the pooled sample are equal; a and b ascending.
bool has_ties(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> pooled(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), pooled.begin());
  return std::adjacent_find(pooled.begin(), pooled.end()) != pooled.end();
}

// P(U <= u) for every u, from the exact pmf. A table compares many rows with the same numbers
// of repetitions, so the last distribution computed on this thread is kept: a cache that never
// changes a result. The reference is valid until the next call on this thread.
const std::vector<double>& exact_cdf(std::size_t m, std::size_t n) {
  thread_local std::size_t cached_m = 0;
  thread_local std::size_t cached_n = 0;
  thread_local std::vector<double> cdf;
  if (cdf.empty() || m != cached_m || n != cached_n) {
    cdf = mann_whitney_exact_pmf(m, n);
    for (std::size_t u = 1; u < cdf.size(); ++u) cdf[u] += cdf[u - 1];
    cached_m = m;
    cached_n = n;
  }
  return cdf;
}

// --- order statistics of the pairwise differences {fl(b_j - a_i)} -------------------------

// A monotone map of finite doubles to unsigned integers (IEEE 754 order), and back.
std::uint64_t order_key(double d) {
  const auto bits = std::bit_cast<std::uint64_t>(d);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}
double from_order_key(std::uint64_t key) {
  const std::uint64_t bits = (key >> 63) != 0 ? key & ~(std::uint64_t{1} << 63) : ~key;
  return std::bit_cast<double>(bits);
}

// Up to this many differences are materialised and sorted (cheapest for the usual 5..50
// repetitions a side); beyond it they are selected by bisection in O(m + n) memory.
constexpr std::uint64_t kMaterializeLimit = 4096;

// The k-th smallest (1-based) of the differences fl(b_j - a_i), for ascending a and b.
class PairwiseDifferences {
 public:
  PairwiseDifferences(const std::vector<double>& a, const std::vector<double>& b)
      : a_(a), b_(b), count_(std::uint64_t{a.size()} * b.size()) {
    if (count_ <= kMaterializeLimit) {
      // For each b_j the differences with a_m-1 .. a_0 ascend (rounding is monotone): n sorted
      // runs of m, merged pairwise instead of sorted from scratch.
      differences_.reserve(count_);
      for (const double bj : b_) {
        for (auto ai = a_.rbegin(); ai != a_.rend(); ++ai) differences_.push_back(bj - *ai);
      }
      merge_runs(a_.size());
    }
  }

  std::uint64_t count() const { return count_; }

  double kth(std::uint64_t k) const {
    const double d = count_ <= kMaterializeLimit ? differences_[k - 1] : bisect(k);
    return d + 0.0;  // + 0.0 turns a -0 into 0
  }

 private:
  // Sorts differences_, made of sorted runs of `run` values, by merging runs pairwise.
  void merge_runs(std::size_t run) {
    std::vector<double> other(differences_.size());
    const std::size_t n = differences_.size();
    for (std::size_t width = run; width < n; width *= 2) {
      for (std::size_t lo = 0; lo < n; lo += 2 * width) {
        const auto from = differences_.begin();
        const std::size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
        std::merge(from + static_cast<std::ptrdiff_t>(lo), from + static_cast<std::ptrdiff_t>(mid),
                   from + static_cast<std::ptrdiff_t>(mid), from + static_cast<std::ptrdiff_t>(hi),
                   other.begin() + static_cast<std::ptrdiff_t>(lo));
      }
      differences_.swap(other);
    }
  }

  // #{(i, j): fl(b_j - a_i) <= t}. fl(b_j - a_i) is non-increasing in i and non-decreasing in
  // j (rounding is monotone), so the i that qualify for b_j form a suffix [p_j, m) whose start
  // only moves right as j grows: one pass, O(m + n).
  std::uint64_t count_at_most(double t) const {
    std::uint64_t count = 0;
    std::size_t p = 0;
    for (const double bj : b_) {
      while (p < a_.size() && bj - a_[p] > t) ++p;
      count += a_.size() - p;
    }
    return count;
  }

  // The smallest double t with count_at_most(t) >= k, by bisection over order keys (at most
  // 64 steps). That t is one of the differences, since the count only changes at them.
  double bisect(std::uint64_t k) const {
    std::uint64_t lo = order_key(b_.front() - a_.back());  // the smallest difference
    std::uint64_t hi = order_key(b_.back() - a_.front());  // the largest
    while (lo < hi) {
      const std::uint64_t mid = lo + (hi - lo) / 2;
      if (count_at_most(from_order_key(mid)) >= k) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return from_order_key(lo);
  }

  const std::vector<double>& a_;
  const std::vector<double>& b_;
  std::uint64_t count_;
  std::vector<double> differences_;
};
}  // namespace

double median(std::span<const double> values) {
  require_finite(values, "median");
  if (values.empty()) return kNaN;
  // A few values (the usual repetitions of a case) are sorted on the stack: no allocation.
  constexpr std::size_t kOnStack = 32;
  if (values.size() <= kOnStack) {
    std::array<double, kOnStack> copy;
    std::copy(values.begin(), values.end(), copy.begin());
    std::sort(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(values.size()));
    return sorted_median(std::span<const double>(copy.data(), values.size()));
  }
  return sorted_median(sorted_copy(values));
}

double mad(std::span<const double> values) {
  require_finite(values, "mad");
  if (values.empty()) return kNaN;
  const double center = sorted_median(sorted_copy(values));
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (const double v : values) deviations.push_back(std::fabs(v - center));
  std::sort(deviations.begin(), deviations.end());
  return sorted_median(deviations);
}

double mad_sigma(std::span<const double> values) {
  return kMadToSigma * mad(values);
}

double robust_cv(std::span<const double> values) {
  const double spread = mad_sigma(values);
  if (values.empty()) return kNaN;
  const double center = median(values);
  if (center == 0) return kNaN;
  return spread / std::fabs(center);
}

Moments moments(std::span<const double> values) {
  require_finite(values, "moments");
  Moments m;
  m.n = values.size();
  if (m.n == 0) return m;
  for (const double v : values) m.mean += v;
  m.mean /= static_cast<double>(m.n);
  for (const double v : values) m.ss += (v - m.mean) * (v - m.mean);
  return m;
}

double Moments::sample_sd() const {
  return n < 2 ? kNaN : std::sqrt(ss / static_cast<double>(n - 1));
}

std::vector<double> mann_whitney_exact_pmf(std::size_t m, std::size_t n) {
  // Counts f(i, j, u) of the orderings of i base and j current values with U = u, for
  // u = 0..i*j, one row of j = 0..n per i, stored flat with stride m*n + 1:
  //   f(i, j, u) = f(i, j - 1, u - i)  [the largest value is a current one: above all i base]
  //              + f(i - 1, j, u)      [the largest value is a base one: above no current].
  const std::size_t stride = m * n + 1;
  std::vector<double> previous((n + 1) * stride);            // i - 1
  std::vector<double> row((n + 1) * stride);                 // i
  for (std::size_t j = 0; j <= n; ++j) row[j * stride] = 1;  // i = 0: one ordering, U = 0
  for (std::size_t i = 1; i <= m; ++i) {
    std::swap(previous, row);
    row[0] = 1;  // j = 0: one ordering, U = 0
    for (std::size_t j = 1; j <= n; ++j) {
      double* f = &row[j * stride];
      const double* from_current = &row[(j - 1) * stride];  // (i, j - 1): u up to i(j - 1)
      const double* from_base = &previous[j * stride];      // (i - 1, j): u up to (i - 1)j
      for (std::size_t u = 0; u <= i * j; ++u) {
        f[u] = (u >= i ? from_current[u - i] : 0.0) + (u <= (i - 1) * j ? from_base[u] : 0.0);
      }
    }
  }
  std::vector<double> pmf(row.begin() + static_cast<std::ptrdiff_t>(n * stride),
                          row.begin() + static_cast<std::ptrdiff_t>(n * stride + stride));
  double total = 0;
  for (const double c : pmf) total += c;
  for (double& c : pmf) c /= total;
  return pmf;
}

MannWhitney mann_whitney(std::span<const double> base, std::span<const double> current) {
  require_finite(base, "mann_whitney");
  require_finite(current, "mann_whitney");
  MannWhitney result;
  const std::size_t m = base.size();
  const std::size_t n = current.size();
  if (m == 0 || n == 0) {
    result.p_value = kNaN;
    return result;
  }

  // Mid-ranks of the pooled sample; accumulate the rank sum of `current` and sum(t^3 - t) over
  // groups of t tied values.
  std::vector<std::pair<double, bool>> pooled;  // (value, is_current)
  pooled.reserve(m + n);
  for (const double v : base) pooled.emplace_back(v, false);
  for (const double v : current) pooled.emplace_back(v, true);
  std::sort(pooled.begin(), pooled.end());
  double rank_sum_current = 0;
  double tie_term = 0;
  for (std::size_t first = 0; first < pooled.size();) {
    std::size_t last = first;
    while (last + 1 < pooled.size() && pooled[last + 1].first == pooled[first].first) ++last;
    const auto t = static_cast<double>(last - first + 1);
    const double mid_rank = static_cast<double>(first + last) / 2 + 1;
    for (std::size_t i = first; i <= last; ++i) {
      if (pooled[i].second) rank_sum_current += mid_rank;
    }
    tie_term += t * t * t - t;
    first = last + 1;
  }
  const auto md = static_cast<double>(m);
  const auto nd = static_cast<double>(n);
  result.u = rank_sum_current - nd * (nd + 1) / 2;
  const double mn = md * nd;

  if (m < kExactLimit && n < kExactLimit && tie_term == 0) {
    // No ties: u is an integer. The distribution is symmetric about mn/2, so the upper tail
    // P(U >= u) is the lower tail P(U <= mn - u); summing the small tail avoids cancellation.
    const std::vector<double>& cdf = exact_cdf(m, n);
    const auto u = static_cast<std::size_t>(std::llround(result.u));
    const std::size_t mn_int = m * n;
    const double tail = 2 * u > mn_int ? cdf[mn_int - u] : cdf[u];
    result.p_value = std::min(1.0, 2 * tail);
    result.exact = true;
    return result;
  }

  const double big_n = md + nd;
  const double variance = mn / 12 * ((big_n + 1) - tie_term / (big_n * (big_n - 1)));
  if (variance <= 0) {  // every value equal
    result.p_value = 1;
    return result;
  }
  double z = result.u - mn / 2;
  z -= z > 0 ? 0.5 : (z < 0 ? -0.5 : 0.0);  // continuity correction towards the mean
  result.p_value =
      std::min(1.0, std::erfc(std::fabs(z) / std::sqrt(variance) / std::numbers::sqrt2));
  return result;
}

ShiftEstimate hodges_lehmann(std::span<const double> base, std::span<const double> current,
                             double confidence) {
  require_finite(base, "hodges_lehmann");
  require_finite(current, "hodges_lehmann");
  if (!(confidence > 0 && confidence < 1)) {
    contract_violation("hodges_lehmann: confidence " + std::to_string(confidence) +
                       " is outside (0, 1)");
  }
  ShiftEstimate result;
  if (base.empty() || current.empty()) {
    result.shift = result.low = result.high = result.achieved_confidence = kNaN;
    return result;
  }
  const std::vector<double> a = sorted_copy(base);
  const std::vector<double> b = sorted_copy(current);
  const PairwiseDifferences differences(a, b);
  const std::uint64_t mn = differences.count();

  // The median: the middle difference, or the mean of the two middle ones.
  if (mn % 2 == 1) {
    result.shift = differences.kth(mn / 2 + 1);
  } else {
    result.shift = (differences.kth(mn / 2) + differences.kth(mn / 2 + 1)) / 2;
  }

  // The rank k of the lower end, and the coverage of [D(k), D(mn + 1 - k)], which is
  // 1 - 2 P(U <= k - 1).
  const double tail = (1 - confidence) / 2;
  std::uint64_t k = 0;
  result.exact = a.size() < kExactLimit && b.size() < kExactLimit && !has_ties(a, b);
  const auto mnd = static_cast<double>(mn);
  if (result.exact) {
    const std::vector<double>& cdf = exact_cdf(a.size(), b.size());
    while (k < mn && cdf[k] < tail) ++k;  // smallest k with P(U <= k) >= tail (R's qwilcox)
    k = std::max<std::uint64_t>(k, 1);
    result.achieved_confidence = 1 - 2 * cdf[k - 1];
  } else {
    const auto md = static_cast<double>(a.size());
    const auto nd = static_cast<double>(b.size());
    const double sigma = std::sqrt(mnd * (md + nd + 1) / 12);
    const double z = normal_quantile(1 - tail);
    const double rank = std::floor(mnd / 2 + 0.5 - z * sigma);
    k = rank < 1 ? 1 : static_cast<std::uint64_t>(rank);
    result.achieved_confidence =
        1 - 2 * normal_cdf((static_cast<double>(k) - 1 + 0.5 - mnd / 2) / sigma);
  }
  result.low = differences.kth(k);
  result.high = differences.kth(mn + 1 - k);
  return result;
}

std::optional<RatioEstimate> hodges_lehmann_ratio(std::span<const double> base,
                                                  std::span<const double> current,
                                                  double confidence) {
  require_finite(base, "hodges_lehmann_ratio");
  require_finite(current, "hodges_lehmann_ratio");
  if (base.empty() || current.empty()) return std::nullopt;
  std::vector<double> log_base;
  std::vector<double> log_current;
  log_base.reserve(base.size());
  log_current.reserve(current.size());
  for (const double v : base) {
    if (!(v > 0)) return std::nullopt;
    log_base.push_back(std::log(v));
  }
  for (const double v : current) {
    if (!(v > 0)) return std::nullopt;
    log_current.push_back(std::log(v));
  }
  const ShiftEstimate shift = hodges_lehmann(log_base, log_current, confidence);
  return RatioEstimate{std::exp(shift.shift), std::exp(shift.low), std::exp(shift.high),
                       shift.achieved_confidence, shift.exact};
}

std::vector<double> benjamini_hochberg(std::span<const double> p_values) {
  std::vector<double> adjusted(p_values.size(), kNaN);
  std::vector<std::size_t> order;  // indices of the finite p-values, by descending p
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    const double p = p_values[i];
    if (std::isnan(p)) continue;
    if (!(p >= 0 && p <= 1)) {
      contract_violation("benjamini_hochberg: p-value " + std::to_string(p) + " is outside [0, 1]");
    }
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return p_values[x] > p_values[y]; });
  const auto m = static_cast<double>(order.size());
  double running_min = 1;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto rank = static_cast<double>(order.size() - r);  // ascending rank of this p
    running_min = std::min(running_min, m * p_values[order[r]] / rank);
    adjusted[order[r]] = running_min;
  }
  return adjusted;
}

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

double normal_quantile(double probability) {
  const double p = probability;
  if (!(p > 0 && p < 1)) {
    contract_violation("normal_quantile: probability " + std::to_string(p) + " is outside (0, 1)");
  }
  // P. J. Acklam's rational approximation (relative error < 1.15e-9) ...
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x = 0;
  if (p < p_low || p > 1 - p_low) {
    const double q = std::sqrt(-2 * std::log(p < p_low ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 1 - p_low) x = -x;
  } else {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  // ... refined by Halley steps on Phi(x) - p, which converge cubically to double precision.
  for (int step = 0; step < 2; ++step) {
    const double e = normal_cdf(x) - p;
    const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
    x -= u / (1 + x * u / 2);
  }
  return x;
}

namespace {

// The continued fraction of the incomplete beta function (Numerical Recipes 3rd ed., betacf).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-15;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

// I_x(a, b), the regularized incomplete beta function, for x in [0, 1].
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

void check_df(double df, const char* function) {
  if (!(std::isfinite(df) && df > 0)) {
    contract_violation(std::string(function) + ": df " + std::to_string(df) + " is not positive");
  }
}

}  // namespace

double student_t_cdf(double t, double df) {
  check_df(df, "student_t_cdf");
  if (std::isnan(t)) contract_violation("student_t_cdf: t is NaN");
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));  // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

double student_t_quantile(double probability, double df) {
  check_df(df, "student_t_quantile");
  const double p = probability;
  if (!(p > 0 && p < 1)) {
    contract_violation("student_t_quantile: probability " + std::to_string(p) +
                       " is outside (0, 1)");
  }
  if (p == 0.5) return 0;
  // Bracket the quantile, then bisect: the CDF is monotone and cheap enough for a per-table use.
  double lo = -1, hi = 1;
  while (student_t_cdf(lo, df) > p) lo *= 2;
  while (student_t_cdf(hi, df) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::fabs(lo)); ++i) {
    const double mid = (lo + hi) / 2;
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}
}  // namespace ptebench::stats
