#include "harness/exact_verdict.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "harness/exact_metrics.h"
#include "harness/input_error.h"
#include "harness/results_writer.h"

namespace ptebench::compare::exact {
namespace {

bool all_equal(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(),
                     [&values](double v) { return v == values.front(); });
}

}  // namespace

bool is_exact(std::string_view metric, std::span<const double> base,
              std::span<const double> current) {
  return exact_metrics::is_exact_metric(metric) && base.size() >= kMinExactSamples &&
         current.size() >= kMinExactSamples && all_equal(base) && all_equal(current);
}

void decide(ComparisonRow& row, double threshold_pct) {
  row.exact = true;
  const double base = row.median_base;
  const double current = row.median_new;
  if (base == current) {
    row.verdict = Verdict::unchanged;
    if (base > 0) {
      row.ratio = row.ratio_low = row.ratio_high = 1;
      row.basis = ChangeBasis::log_ratio;
    }
    return;
  }
  const bool larger = current > base;
  if (!(base > 0)) {  // no relative size: the sign decides, as compare.h does for basis none
    row.basis = ChangeBasis::none;
    row.verdict = larger ? Verdict::regression : Verdict::improvement;
    return;
  }
  row.ratio = row.ratio_low = row.ratio_high = current / base;
  row.basis = ChangeBasis::log_ratio;
  const double t = threshold_pct / 100;
  if (row.ratio - 1 >= t && larger) {
    row.verdict = Verdict::regression;
  } else if (1 - row.ratio >= t && !larger) {
    row.verdict = Verdict::improvement;
  } else {
    row.verdict = Verdict::unchanged;
  }
}

std::string format_change(const ComparisonRow& row) {
  if (row.median_base == row.median_new) return "same " + row.unit + " (exact)";
  if (row.basis == ChangeBasis::none) {
    const double d = row.median_new - row.median_base;
    char buffer[64];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, d, std::chars_format::general, 4);
    return (d > 0 ? "+" : "") + std::string(buffer, r.ptr) + " (exact, base 0)";
  }
  // Three decimals of a percent: an exact change as small as 0.01% is real and is shown.
  const double pct = std::round((row.ratio - 1) * 100000) / 1000;
  const std::string sign = pct > 0 ? "+" : (pct < 0 ? "" : (row.ratio > 1 ? "+" : "-"));
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, pct, std::chars_format::fixed, 3);
  return sign + std::string(buffer, r.ptr) + "% (exact)";
}

std::string legend(const CompareOptions& options) {
  return "exact = every sample of each side the same count (Valgrind's exact engine): no "
         "interval, no p-value; flagged when the change is >= " +
         results::format_double(options.exact_threshold_pct) + "% (--exact-threshold)";
}

void validate_threshold(double exact_threshold_pct) {
  if (std::isfinite(exact_threshold_pct) && exact_threshold_pct >= 0) return;
  throw InputError("--exact-threshold " + results::format_double(exact_threshold_pct) +
                   ": must be a finite percentage >= 0");
}

bool any_exact(const Comparison& comparison) {
  return std::any_of(comparison.rows.begin(), comparison.rows.end(),
                     [](const ComparisonRow& row) { return row.exact; });
}

}  // namespace ptebench::compare::exact
