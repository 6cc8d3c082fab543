#include "harness/run_choice.h"

#include <algorithm>

namespace ptebench::html {

std::vector<std::size_t> start_order(std::span<const RunHeader> runs) {
  std::vector<std::size_t> order(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return runs[a].started_utc < runs[b].started_utc;
  });
  return order;
}

std::optional<std::size_t> latest_drawn(std::span<const RunHeader> runs,
                                        std::span<const std::size_t> order, std::string_view host,
                                        std::string_view suite,
                                        const std::function<bool(std::size_t)>& holds_metric) {
  for (std::size_t k = order.size(); k-- > 0;) {
    const RunHeader& r = runs[order[k]];
    if ((!host.empty() && r.host != host) || (!suite.empty() && r.suite != suite)) continue;
    if (holds_metric(order[k])) return order[k];
  }
  return std::nullopt;
}

void LeftOut::add(std::string_view host, std::string_view suite, std::size_t n) {
  runs += n;
  others.insert(std::string(host) + ", suite " + std::string(suite));
}

}  // namespace ptebench::html
