#include "harness/compare_options.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "harness/exact_verdict.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/results_writer.h"

namespace ptebench::compare {
Between parse_between(std::string_view spec) {
  const auto fail = [&spec]() -> Between {
    throw InputError("--between " + std::string(spec) +
                     ": expected column=base,new, e.g. variant=plain,read_once");
  };
  const std::size_t equals = spec.find('=');
  if (equals == std::string_view::npos) return fail();
  const std::string_view values = spec.substr(equals + 1);
  const std::size_t comma = values.find(',');
  if (comma == std::string_view::npos || values.find(',', comma + 1) != std::string_view::npos) {
    return fail();
  }
  Between between{std::string(spec.substr(0, equals)), std::string(values.substr(0, comma)),
                  std::string(values.substr(comma + 1))};
  CompareOptions probe;
  probe.between = between;
  probe.validate();
  return between;
}

void CompareOptions::validate() const {
  if (!(std::isfinite(alpha) && alpha > 0 && alpha < 1)) {
    throw InputError("--alpha " + results::format_double(alpha) + ": must be in (0, 1)");
  }
  if (!(std::isfinite(shift_limit_pct) && shift_limit_pct >= 0)) {
    throw InputError("--shift-limit " + results::format_double(shift_limit_pct) +
                     ": must be a finite percentage >= 0");
  }
  if (!(std::isfinite(threshold_pct) && threshold_pct >= 0)) {
    throw InputError("--threshold " + results::format_double(threshold_pct) +
                     ": must be a finite percentage >= 0");
  }
  for (const std::string& metric : metrics) {
    if (metric.empty()) throw InputError("--metric: the name must not be empty");
  }
  exact::validate_threshold(exact_threshold_pct);  // harness/exact_verdict.h
  if (!between) return;
  const Between& b = *between;
  if (drift == Drift::run) {
    throw InputError(
        "--drift run: with --between both sides are one run and their common "
        "shift is the answer; use repetition or none");
  }
  if (unit == Unit::run) {
    throw InputError(
        "--unit run: with --between both sides are one run; only its repetitions replicate");
  }
  if (std::find(kBetweenColumns.begin(), kBetweenColumns.end(), b.column) ==
      kBetweenColumns.end()) {
    std::string names;
    for (const std::string_view name : kBetweenColumns) {
      names += names.empty() ? "" : ", ";
      names += name;
    }
    throw InputError("--between column '" + b.column + "' is not one of " + names);
  }
  if (b.base_value.empty() || b.new_value.empty()) {
    throw InputError("--between " + b.column + ": both values must be non-empty");
  }
  if (b.base_value == b.new_value) {
    throw InputError("--between " + b.column + "=" + b.base_value + "," + b.new_value +
                     ": the two values are the same");
  }
}

Drift CompareOptions::resolved_drift() const {
  if (drift) return *drift;
  return between ? Drift::repetition : Drift::run;
}

Unit CompareOptions::resolved_unit() const {
  if (unit) return *unit;
  return between ? Unit::repetition : Unit::run;
}

std::string_view drift_name(Drift drift) {
  switch (drift) {
    case Drift::none:
      return "none";
    case Drift::repetition:
      return "repetition";
    case Drift::run:
      return "run";
  }
  invariant_violated("drift " + std::to_string(static_cast<int>(drift)) + " has no name",
                     "harness/compare_options.h");
}

Drift parse_drift(std::string_view name) {
  for (const Drift d : {Drift::none, Drift::repetition, Drift::run}) {
    if (drift_name(d) == name) return d;
  }
  throw InputError("--drift " + std::string(name) + ": expected none, repetition or run");
}

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::run:
      return "run";
    case Unit::repetition:
      return "repetition";
  }
  invariant_violated("unit " + std::to_string(static_cast<int>(unit)) + " has no name",
                     "harness/compare_options.h");
}

Unit parse_unit(std::string_view name) {
  for (const Unit u : {Unit::run, Unit::repetition}) {
    if (unit_name(u) == name) return u;
  }
  throw InputError("--unit " + std::string(name) + ": expected run or repetition");
}

std::string_view threshold_on_name(ThresholdOn on) {
  switch (on) {
    case ThresholdOn::interval:
      return "interval";
    case ThresholdOn::estimate:
      return "estimate";
  }
  invariant_violated("threshold_on " + std::to_string(static_cast<int>(on)) + " has no name",
                     "harness/compare_options.h");
}

ThresholdOn parse_threshold_on(std::string_view name) {
  for (const ThresholdOn on : {ThresholdOn::interval, ThresholdOn::estimate}) {
    if (threshold_on_name(on) == name) return on;
  }
  throw InputError("--threshold-on " + std::string(name) + ": expected interval or estimate");
}

}  // namespace ptebench::compare
