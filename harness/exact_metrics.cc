#include "harness/exact_metrics.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "harness/invariant.h"

namespace ptebench::exact_metrics {
namespace {

// The sum of `events`, nullopt when the dump lacks any of them.
std::optional<std::uint64_t> sum(const callgrind::Dump& dump,
                                 std::initializer_list<std::string_view> events) {
  std::uint64_t total = 0;
  for (const std::string_view e : events) {
    const auto v = dump.total(e);
    if (!v) return std::nullopt;
    total += *v;
  }
  return total;
}

}  // namespace

bool is_exact_metric(std::string_view metric) {
  return std::find(kExactMetrics.begin(), kExactMetrics.end(), metric) != kExactMetrics.end();
}

std::vector<Sample> per_pte_metrics(const callgrind::Dump& dump, std::uint64_t walks,
                                    std::uint64_t ptes) {
  if (walks == 0 || ptes == 0)
    invariant_violated("per_pte_metrics of 0 walks or 0 PTEs", "harness/exact_metrics.h");
  const double entries = static_cast<double>(walks) * static_cast<double>(ptes);
  struct Definition {
    std::string_view metric, unit;
    std::initializer_list<std::string_view> events;
  };
  const std::initializer_list<Definition> definitions = {
      {"instructions_per_pte", "instructions", {"Ir"}},
      {"sim_l1d_misses_per_pte", "events", {"D1mr", "D1mw"}},
      {"sim_ll_misses_per_pte", "events", {"ILmr", "DLmr", "DLmw"}},
      {"sim_branch_mispredicts_per_pte", "events", {"Bcm", "Bim"}},
  };
  std::vector<Sample> out;
  for (const Definition& d : definitions) {
    if (const auto total = sum(dump, d.events))
      out.push_back(
          {std::string(d.metric), std::string(d.unit), static_cast<double>(*total) / entries});
  }
  return out;
}

}  // namespace ptebench::exact_metrics
