#include "harness/metrics.h"

#include <algorithm>

#include "harness/exact_metrics.h"
#include "harness/invariant.h"

namespace ptebench::metrics {

std::optional<Scaled> scale_count(std::uint64_t raw, std::uint64_t time_enabled_ns,
                                  std::uint64_t time_running_ns) {
  if (time_running_ns == 0 || time_enabled_ns == 0) return std::nullopt;
  const double enabled = static_cast<double>(time_enabled_ns);
  const double running = static_cast<double>(time_running_ns);
  return Scaled{static_cast<double>(raw) * (enabled / running),
                running >= enabled ? 1.0 : running / enabled};
}

std::vector<Metric> per_pte_metrics(const Measurement& m) {
  if (m.walks == 0 || m.ptes == 0)
    invariant_violated("per_pte_metrics of a measurement with no walk or no entry",
                       "harness/metrics.h");
  const double walks = static_cast<double>(m.walks);
  const double entries = walks * static_cast<double>(m.ptes);
  std::vector<Metric> out;
  if (m.exact) {
    for (const exact_metrics::Sample& s : exact_metrics::per_pte_metrics(*m.exact, m.walks, m.ptes))
      out.push_back({s.metric, s.unit, s.value, 1.0});
    return out;
  }
  out.push_back({"ns_per_pte", "ns", m.elapsed_ns / entries, 1.0});
  std::vector<Metric> counted;
  for (const CounterValue& c : m.counters) {
    const std::optional<Scaled> scaled = scale_count(c.raw, c.time_enabled_ns, c.time_running_ns);
    if (!scaled) continue;  // did not run: absent, never zero
    counted.push_back(
        {c.metric, c.unit, scaled->value / (c.per_pte ? entries : walks), scaled->coverage});
  }
  std::stable_sort(counted.begin(), counted.end(),
                   [](const Metric& a, const Metric& b) { return a.name < b.name; });
  out.insert(out.end(), counted.begin(), counted.end());
  return out;
}

}  // namespace ptebench::metrics
