#include "harness/summary_csv.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "harness/results_writer.h"
#include "harness/stats.h"

namespace ptebench::summary {

MedianInterval median_interval(std::size_t n) {
  // P(B <= j) for B ~ Binomial(n, 1/2), summed term by term in log space (n may be large).
  const double nn = static_cast<double>(n);
  const double log_half_n = nn * std::log(0.5);
  double cdf = 0, tail = 0;
  std::size_t k = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const double jj = static_cast<double>(j);
    cdf += std::exp(std::lgamma(nn + 1) - std::lgamma(jj + 1) - std::lgamma(nn - jj + 1) +
                    log_half_n);  // now P(B <= j)
    if (2 * cdf > 0.05) break;
    k = j + 1;  // [x_(j+1), x_(n-j)] misses the median with probability 2 P(B <= j)
    tail = cdf;
  }
  // Fewer than 6 values: [min, max], which misses with probability 2 P(B = 0).
  if (k == 0) return {1, 1 - 2 * std::exp(log_half_n)};
  return {k, 1 - 2 * tail};
}

struct SummaryBuilder::State {
  struct Group {
    results::Row first;  // run columns, case, metric, unit
    std::vector<double> values;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> index;  // run_id + case + metric -> group
};

SummaryBuilder::SummaryBuilder() : state_(std::make_unique<State>()) {}
SummaryBuilder::~SummaryBuilder() = default;

void SummaryBuilder::add(const results::Row& row) {
  results::Row key_row = row;
  key_row.repetition = 0;
  const std::string key = results::row_key(key_row);
  auto [it, inserted] = state_->index.emplace(key, state_->groups.size());
  if (inserted) state_->groups.push_back({row, {}});
  state_->groups[it->second].values.push_back(row.value);
}

std::string SummaryBuilder::csv() const {
  std::string out;
  for (std::string_view c : kSummaryColumns) {
    if (!out.empty()) out += ',';
    out += c;
  }
  out += '\n';
  for (const auto& g : state_->groups) {
    std::vector<double> v = g.values;
    std::sort(v.begin(), v.end());
    const MedianInterval ci = median_interval(v.size());
    const results::Row& r = g.first;
    for (const std::string* f :
         {&r.run_id, &r.started_utc, &r.host, &r.arch, &r.kernel, &r.git_rev, &r.suite, &r.codegen,
          &r.workload, &r.pte_format, &r.variant, &r.layout}) {
      if (f == &r.run_id) out += kSummarySchema;
      out += ',';
      results::append_csv_field(out, *f);
    }
    out += ',' + std::to_string(r.ptes) + ',';
    results::append_csv_field(out, r.metric);
    out += ',';
    results::append_csv_field(out, r.unit);
    out += ',' + std::to_string(v.size());
    out += ',' + results::format_double(stats::median(v));
    out += ',' + results::format_double(stats::mad(v));
    out += ',' + results::format_double(v[ci.k - 1]);
    out += ',' + results::format_double(v[v.size() - ci.k]);
    out += ',' + results::format_double(ci.confidence);
    out += '\n';
  }
  return out;
}

}  // namespace ptebench::summary
