#include "bench/cli/compare_flags.h"

namespace ptebench::cli {

void add_compare_flags(FlagParser& flags, CompareFlags& cfg) {
  flags.add_strings("metric", &cfg.options.metrics,
                    "metric to compare, repeatable (default: every metric)");
  flags.add_double("threshold", &cfg.options.threshold_pct,
                   "smallest change in percent that is a verdict");
  flags.add_string("threshold-on", &cfg.threshold_on,
                   "interval | estimate: what must lie --threshold beyond no change (default "
                   "interval, estimate for ab; see README, Comparing)");
  flags.add_double("alpha", &cfg.options.alpha, "significance level of the BH-adjusted p-values");
  flags.add_string("format", &cfg.format, "table | md | csv");
  flags.add_string("drift", &cfg.drift,
                   "none | repetition | run: machine drift removed before the verdicts (default "
                   "run for two files, repetition for --between and ab)");
  flags.add_string("unit", &cfg.unit,
                   "run | repetition: the unit of replication (default run for two files, "
                   "repetition for --between and ab; see README, Comparing)");
  flags.add_bool("all", &cfg.all, "table and md: list unchanged rows too (default: counted only)");
  flags.add_double("shift-limit", &cfg.options.shift_limit_pct,
                   "a common shift of the whole run this large (percent) is a verdict");
  flags.add_double("exact-threshold", &cfg.options.exact_threshold_pct,
                   "smallest change in percent of an exact count that is a verdict");
}

void resolve_compare_flags(CompareFlags& cfg, std::optional<compare::Drift> fallback,
                           std::optional<compare::Unit> fallback_unit,
                           std::optional<compare::ThresholdOn> fallback_threshold_on) {
  cfg.options.drift = cfg.drift.empty() ? fallback : compare::parse_drift(cfg.drift);
  cfg.options.unit = cfg.unit.empty() ? fallback_unit : compare::parse_unit(cfg.unit);
  cfg.options.threshold_on = cfg.threshold_on.empty()
                                 ? fallback_threshold_on
                                 : compare::parse_threshold_on(cfg.threshold_on);
  cfg.options.validate();
}

}  // namespace ptebench::cli
