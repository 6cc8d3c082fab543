#include "harness/counter_catalog.h"

namespace ptebench {

MetricName metric_for_event(std::string_view canonical, std::string_view given_name) {
  for (const CounterMetric& row : kCounterMetrics)
    if (row.event == canonical)
      return MetricName{std::string(row.metric), std::string(row.unit), row.per_pte};
  const std::string_view name = canonical.empty() ? given_name : canonical;
  return MetricName{sanitize_metric_name(name) + "_per_pte", "events", true};
}

std::string sanitize_metric_name(std::string_view event_name) {
  std::string out;
  bool pending_separator = false;
  for (const char c : event_name) {
    const bool lower = c >= 'a' && c <= 'z';
    const bool upper = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (!lower && !upper && !digit) {
      pending_separator = !out.empty();
      continue;
    }
    if (pending_separator) out.push_back('_');
    pending_separator = false;
    out.push_back(upper ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out.empty() ? "event" : out;
}

}  // namespace ptebench
