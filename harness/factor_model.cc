#include "harness/factor_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "harness/drift.h"
#include "harness/stats.h"

namespace ptebench::nightly {
namespace {

// Standardized deviations are clamped to this many reference sds.
constexpr double kClampSd = 3;
// Huber's tuning constant (95% efficiency at the normal), in robust sds of the residuals.
constexpr double kHuber = 1.345;
constexpr int kHuberIterations = 4;
// A reference sd at or below this (log) is a case that did not move.
constexpr double kFlatSd = 1e-9;

// Solves the m x m system a x = b (row major) by Gaussian elimination with partial pivoting;
// nothing when it is singular or nearly so.
std::optional<std::vector<double>> solve(std::vector<double> a, std::vector<double> b,
                                         std::size_t m) {
  double scale = 0;
  for (const double v : a) scale = std::max(scale, std::fabs(v));
  if (!(scale > 0)) return std::nullopt;
  for (std::size_t col = 0; col < m; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < m; ++r)
      if (std::fabs(a[r * m + col]) > std::fabs(a[pivot * m + col])) pivot = r;
    if (std::fabs(a[pivot * m + col]) <= 1e-12 * scale) return std::nullopt;
    if (pivot != col) {
      for (std::size_t k = 0; k < m; ++k) std::swap(a[col * m + k], a[pivot * m + k]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t r = col + 1; r < m; ++r) {
      const double f = a[r * m + col] / a[col * m + col];
      for (std::size_t k = col; k < m; ++k) a[r * m + k] -= f * a[col * m + k];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(m);
  for (std::size_t r = m; r-- > 0;) {
    double s = b[r];
    for (std::size_t k = r + 1; k < m; ++k) s -= a[r * m + k] * x[k];
    x[r] = s / a[r * m + r];
  }
  return x;
}

// Weighted least squares of y on the rows of x (each of m values, no intercept).
std::optional<std::vector<double>> weighted_fit(const std::vector<std::vector<double>>& x,
                                                const std::vector<double>& y,
                                                const std::vector<double>& w, std::size_t m) {
  std::vector<double> xtx(m * m, 0), xty(m, 0);
  for (std::size_t j = 0; j < y.size(); ++j) {
    for (std::size_t a = 0; a < m; ++a) {
      xty[a] += w[j] * x[j][a] * y[j];
      for (std::size_t b = 0; b < m; ++b) xtx[a * m + b] += w[j] * x[j][a] * x[j][b];
    }
  }
  return solve(std::move(xtx), std::move(xty), m);
}

// A night's factor scores: Huber regression of y (the other cases' standardized deviations that
// night) on x (their loadings), by iteratively reweighted least squares.
std::optional<std::vector<double>> huber_scores(const std::vector<std::vector<double>>& x,
                                                const std::vector<double>& y, std::size_t m) {
  std::vector<double> w(y.size(), 1.0), residuals(y.size());
  std::optional<std::vector<double>> f = weighted_fit(x, y, w, m);
  for (int it = 0; f && it < kHuberIterations; ++it) {
    for (std::size_t j = 0; j < y.size(); ++j) {
      double fitted = 0;
      for (std::size_t a = 0; a < m; ++a) fitted += x[j][a] * (*f)[a];
      residuals[j] = y[j] - fitted;
    }
    const double s = stats::mad_sigma(residuals);
    if (!(s > 0)) break;
    for (std::size_t j = 0; j < y.size(); ++j) {
      const double r = std::fabs(residuals[j]);
      w[j] = r <= kHuber * s ? 1.0 : kHuber * s / r;
    }
    f = weighted_fit(x, y, w, m);
  }
  return f;
}

}  // namespace

std::vector<std::vector<double>> top_eigenvectors(std::vector<double> a, std::size_t n,
                                                  std::size_t count, std::vector<double>* values) {
  // v: the rotations accumulated, columns the eigenvectors.
  std::vector<double> v(n * n, 0);
  for (std::size_t i = 0; i < n; ++i) v[i * n + i] = 1;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, total = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        total += a[i * n + j] * a[i * n + j];
        if (i != j) off += a[i * n + j] * a[i * n + j];
      }
    if (!(off > 1e-26 * total)) break;
    for (std::size_t p = 0; p < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        const double apq = a[p * n + q];
        if (apq == 0) continue;
        // The rotation that zeroes a[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const double t = std::copysign(1.0, theta) / (std::fabs(theta) + std::hypot(theta, 1.0));
        const double c = 1 / std::hypot(t, 1.0), s = t * c;
        for (std::size_t k = 0; k < n; ++k) {  // columns p and q
          const double akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < n; ++k) {  // rows p and q
          const double apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < n; ++k) {
          const double vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return a[x * n + x] > a[y * n + y]; });
  std::vector<std::vector<double>> out;
  if (values) values->clear();
  for (std::size_t k = 0; k < std::min(count, n); ++k) {
    std::vector<double> e(n);
    for (std::size_t i = 0; i < n; ++i) e[i] = v[i * n + order[k]];
    out.push_back(std::move(e));
    if (values) values->push_back(a[order[k] * n + order[k]]);
  }
  return out;
}

FurtherFactors further_factors(const std::vector<std::vector<double>>& levels,
                               std::size_t reference, std::size_t factors) {
  FurtherFactors out;
  const std::size_t cases = levels.size();
  const std::size_t nights = cases == 0 ? 0 : levels.front().size();
  out.adjustment.assign(cases, std::vector<double>(nights, 0.0));
  reference = std::min(reference, nights);
  if (factors == 0 || reference < kMinFactorNights || reference <= factors + 2) return out;
  // Each case's reference mean and sd, over its reference nights with a level.
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> mean(cases, kNaN), sd(cases, kNaN);
  std::vector<std::size_t> present(cases, 0);
  std::vector<double> with_level;
  for (std::size_t c = 0; c < cases; ++c) {
    with_level.clear();
    for (std::size_t i = 0; i < reference; ++i)
      if (!std::isnan(levels[c][i])) with_level.push_back(levels[c][i]);
    present[c] = with_level.size();
    if (present[c] < 2) continue;
    const stats::Moments m = stats::moments(with_level);
    mean[c] = m.mean;
    sd[c] = m.sample_sd();
  }
  // z[c][i]: standardized, clamped deviations of the contributing cases (every reference night
  // present, sd above kFlatSd), every night; NaN where there is no level.
  std::vector<std::vector<double>> z(cases, std::vector<double>(nights, kNaN));
  std::vector<bool> contributes(cases, false);
  for (std::size_t c = 0; c < cases; ++c) {
    // A case that does not move (its sd rounding's: 1e-9 in log is a relative 1e-9) has no
    // deviations to standardize.
    if (present[c] != reference || !(sd[c] > kFlatSd)) continue;
    contributes[c] = true;
    ++out.cases;
    for (std::size_t i = 0; i < nights; ++i)
      if (!std::isnan(levels[c][i]))
        z[c][i] = std::clamp((levels[c][i] - mean[c]) / sd[c], -kClampSd, kClampSd);
  }
  if (out.cases < drift::kMinCases + 1) {
    out.cases = 0;
    return out;
  }
  // The reference nights' cross products over the contributing cases.
  std::vector<double> gram(reference * reference, 0);
  for (std::size_t c = 0; c < cases; ++c) {
    if (!contributes[c]) continue;
    for (std::size_t i = 0; i < reference; ++i)
      for (std::size_t k = 0; k < reference; ++k) gram[i * reference + k] += z[c][i] * z[c][k];
  }
  std::size_t removed_any = 0;
  for (std::size_t c = 0; c < cases; ++c) {
    // Too few reference nights of its own to fit its slopes and keep a variance.
    if (present[c] < kMinFactorNights || present[c] <= factors + 2) continue;
    std::vector<double> others = gram;
    if (contributes[c]) {
      for (std::size_t i = 0; i < reference; ++i)
        for (std::size_t k = 0; k < reference; ++k) others[i * reference + k] -= z[c][i] * z[c][k];
    }
    const std::vector<std::vector<double>> components =
        top_eigenvectors(std::move(others), reference, factors);
    // The other contributing cases' loadings: their reference deviations projected on the
    // components.
    std::vector<std::size_t> ids;
    std::vector<std::vector<double>> loadings;
    for (std::size_t j = 0; j < cases; ++j) {
      if (j == c || !contributes[j]) continue;
      std::vector<double> l(factors, 0);
      for (std::size_t a = 0; a < factors; ++a)
        for (std::size_t i = 0; i < reference; ++i) l[a] += z[j][i] * components[a][i];
      ids.push_back(j);
      loadings.push_back(std::move(l));
    }
    // Each night's scores, from the other cases with a level that night.
    std::vector<std::optional<std::vector<double>>> scores(nights);
    for (std::size_t i = 0; i < nights; ++i) {
      if (std::isnan(levels[c][i])) continue;
      std::vector<std::vector<double>> x;
      std::vector<double> y;
      for (std::size_t k = 0; k < ids.size(); ++k) {
        if (std::isnan(z[ids[k]][i])) continue;
        x.push_back(loadings[k]);
        y.push_back(z[ids[k]][i]);
      }
      if (y.size() >= drift::kMinCases) scores[i] = huber_scores(x, y, factors);
    }
    // c's slopes on the scores over its reference nights (both centred there).
    std::vector<double> score_mean(factors, 0);
    std::size_t n = 0;
    for (std::size_t i = 0; i < reference; ++i) {
      if (!scores[i]) continue;
      for (std::size_t a = 0; a < factors; ++a) score_mean[a] += (*scores[i])[a];
      ++n;
    }
    if (n != present[c]) continue;  // a reference night without scores: left as it is
    for (double& m : score_mean) m /= static_cast<double>(n);
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (std::size_t i = 0; i < reference; ++i) {
      if (!scores[i]) continue;
      std::vector<double> row(factors);
      for (std::size_t a = 0; a < factors; ++a) row[a] = (*scores[i])[a] - score_mean[a];
      x.push_back(std::move(row));
      y.push_back(levels[c][i] - mean[c]);
    }
    const std::optional<std::vector<double>> slopes =
        weighted_fit(x, y, std::vector<double>(y.size(), 1.0), factors);
    if (!slopes) continue;
    const double inflate =
        std::sqrt(static_cast<double>(n - 1) / static_cast<double>(n - 1 - factors));
    for (std::size_t i = 0; i < nights; ++i) {
      if (std::isnan(levels[c][i])) continue;
      if (!scores[i]) continue;  // a night under test without scores: as it is
      double fitted = 0;
      for (std::size_t a = 0; a < factors; ++a)
        fitted += (*slopes)[a] * ((*scores[i])[a] - score_mean[a]);
      if (i < reference) {
        // new level = mean + inflate * residual
        const double deviation = levels[c][i] - mean[c];
        out.adjustment[c][i] = deviation - inflate * (deviation - fitted);
      } else {
        out.adjustment[c][i] = fitted;
      }
    }
    ++removed_any;
  }
  out.factors = removed_any > 0 ? factors : 0;
  return out;
}

}  // namespace ptebench::nightly
