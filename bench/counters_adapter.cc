#include "bench/counters_adapter.h"

#include <string>

#include "harness/counters.h"
#include "harness/input_error.h"

namespace ptebench::cli {
namespace {

class HarnessCounters final : public CaseCounters {
 public:
  explicit HarnessCounters(CounterSet set) : set_(std::move(set)) {}
  void reset() override { set_.reset(); }
  void start() override { set_.start(); }
  void stop() override { set_.stop(); }
  std::vector<CounterValue> read() const override { return set_.read(); }
  std::string scope() const override { return set_.scope_name(); }
  std::vector<std::string> active() const override { return set_.active(); }

 private:
  CounterSet set_;
};

}  // namespace

std::unique_ptr<CaseCounters> make_case_counters(const std::vector<std::string>& events,
                                                 bool user_given) {
  if (user_given) {
    try {
      validate_event_names(events);
    } catch (const InputError& e) {
      throw InputError(std::string("ptebench run: --counters: ") + e.what());
    }
  }
  return std::make_unique<HarnessCounters>(events.empty() ? CounterSet::create_default()
                                                          : CounterSet::create(events));
}

}  // namespace ptebench::cli
