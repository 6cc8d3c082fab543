#include "bench/compare_flags.h"

namespace ptebench::cli {

void add_compare_flags(FlagParser& flags, CompareFlags& cfg) {
  flags.add_strings("metric", &cfg.options.metrics,
                    "metric to compare, repeatable (default: every metric)");
  flags.add_double("threshold", &cfg.options.threshold_pct,
                   "smallest change in percent that is a verdict (default 2)");
  flags.add_double("alpha", &cfg.options.alpha,
                   "significance level of the BH-adjusted p-values (default 0.05)");
  flags.add_string("format", &cfg.format, "table | md | csv (default table)");
}

}  // namespace ptebench::cli
