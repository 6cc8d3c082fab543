// The counters as the benchmark loop uses them: the harness CounterSet, plus the conversion of
// its totals into per-PTE (or per-walk) metrics for one case.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ptebench::cli {

struct MetricSample {
  std::string metric;  // cycles_per_pte, page_faults, ...
  std::string unit;
  double value = 0;
  double coverage = 1;  // time running / time enabled
};

class CaseCounters {
 public:
  virtual ~CaseCounters() = default;
  virtual void reset() = 0;
  virtual void start() = 0;
  virtual void stop() = 0;
  // Metrics of everything counted since reset(): *_per_pte metrics divided by walks x ptes,
  // the others (page_faults, context_switches) by walks. Counters that never ran are absent.
  virtual std::vector<MetricSample> samples(std::uint64_t walks, std::uint64_t ptes) const = 0;
  // "user" or "user+kernel": what the counts include.
  virtual std::string scope() const = 0;
  virtual std::vector<std::string> active() const = 0;
};

// The events to count: the defaults when `events` is empty. Events that cannot be opened are
// dropped with one logged line each; unknown names given by the user throw InputError.
std::unique_ptr<CaseCounters> make_case_counters(const std::vector<std::string>& events,
                                                 bool user_given);

}  // namespace ptebench::cli
