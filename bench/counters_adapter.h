// The counters as the benchmark loop uses them: the harness CounterSet.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/counters.h"

namespace ptebench::cli {

class CaseCounters {
 public:
  virtual ~CaseCounters() = default;
  virtual void reset() = 0;
  virtual void start() = 0;
  virtual void stop() = 0;
  // The totals since reset() (harness/metrics.h turns them into metrics).
  virtual std::vector<CounterValue> read() const = 0;
  // "user" or "user+kernel": what the counts include.
  virtual std::string scope() const = 0;
  virtual std::vector<std::string> active() const = 0;
};

// The events to count: the defaults when `events` is empty. Events that cannot be opened are
// dropped with one logged line each; unknown names given by the user throw InputError.
std::unique_ptr<CaseCounters> make_case_counters(const std::vector<std::string>& events,
                                                 bool user_given);

}  // namespace ptebench::cli
