// Hardware and software counters around the timed region of a benchmark: libpfm4 names encoded
// with pfm_get_os_event_encoding(PFM_OS_PERF_EVENT_EXT) and counted with perf_event_open(2)
// groups read as PERF_FORMAT_GROUP | TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING (DESIGN.md,
// Measurement). Every value carries its coverage (time running / time enabled); a counter that
// cannot be had — no PMU in this VM, perf_event_paranoid — is dropped with one logged line and
// is absent from read(), never a zero.
//
// Groups: the hardware events form one group, so that they count the same instructions; when
// the kernel will not take them together (more events than counters), each becomes its own
// group and the kernel multiplexes them — coverage then says for how much of the time each
// counted, and values are scaled as raw x enabled / running. The software events (task-clock,
// page-faults, context-switches, ...) never multiplex and are opened as groups of one each: a
// group led by a clock event loses its members after the first re-enable on the kernels
// measured here (see open_software in counters.cc).
//
// Scope: user-only by default (exclude_kernel, exclude_hv), which is what an unprivileged user
// may count with kernel.perf_event_paranoid = 2; user_and_kernel needs paranoid <= 1 or
// CAP_PERFMON. Four software events do not follow the scope, and each value says whether it
// includes kernel mode (CounterValue::includes_kernel): task-clock and cpu-clock count time in
// both modes whatever the scope, and context-switches and cpu-migrations happen in kernel mode
// only, so they are always counted with kernel mode on (a user-only count is 0 forever) — which
// an unprivileged user with paranoid = 2 is refused, and they are then dropped.
//
// Threads: the events count the thread that called create() (pid 0, any CPU), not its children
// or other threads; call start() and stop() on that thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench {

enum class CounterScope { user_only, user_and_kernel };

// "user" or "user+kernel": the context sidecar's counter_scope.
std::string_view counter_scope_name(CounterScope scope);

// One counter's total since the last reset().
struct CounterValue {
  std::string name;     // the event counted, as named ("cycles", or an arm64 fallback)
  std::string metric;   // results metric: cycles_per_pte, page_faults, ... (counter_catalog.h)
  std::string unit;     // results unit: cycles, instructions, events, count, ns
  bool per_pte = true;  // divide by the PTEs walked (else a count per walk)
  bool includes_kernel = false;  // kernel-mode events are in the count
  // raw x time_enabled / time_running, in double; nullopt when the counter did not run
  // (time_running == 0): report it as absent, never as 0.
  std::optional<double> value;
  std::uint64_t raw = 0;
  std::uint64_t time_enabled_ns = 0;
  std::uint64_t time_running_ns = 0;
  double coverage = 0;  // time_running / time_enabled, in (0, 1]; 0 when it did not run
};

// "counted all the time", "scaled from 43.1% of the time" or "did not run".
std::string coverage_note(const CounterValue& value);

// An event that create() left out, and why (one line).
struct DroppedCounter {
  std::string name;
  std::string reason;
};

class CounterSet {
 public:
  // Counts `names` (libpfm4 event strings, e.g. "cycles", "PERF_COUNT_HW_CACHE_L1D:READ:MISS",
  // "page-faults") in `scope`. Always returns a usable set: an event that cannot be had is
  // dropped with one logged line naming it and the reason, and listed in dropped(). A default
  // event (kDefaultCounters) with an arm64 fallback counts the fallback instead when it cannot
  // be opened. Events that name the same counter as an earlier one are dropped. Names from the
  // user should go through validate_event_names() first, so that a typo is an error.
  static CounterSet create(const std::vector<std::string>& names,
                           CounterScope scope = CounterScope::user_only);
  // create(default_counter_names(), scope).
  static CounterSet create_default(CounterScope scope = CounterScope::user_only);

  // Move-only (it owns the perf_event fds); a moved-from set may only be assigned or destroyed.
  CounterSet(CounterSet&&) noexcept;
  CounterSet& operator=(CounterSet&&) noexcept;
  CounterSet(const CounterSet&) = delete;
  CounterSet& operator=(const CounterSet&) = delete;
  ~CounterSet();

  // Enable and disable every group: call around the timed region only. Counts and times
  // accumulate over start()/stop() pairs until reset(), so a benchmark run that starts and
  // stops around each iteration reads its total once at the end. Software groups are enabled
  // before and disabled after the hardware ones, so the hardware counts hold as little of this
  // bookkeeping as possible. start() while started, or stop() while stopped, aborts.
  void start();
  void stop();
  // Zeroes every total (by taking the current counts as the new origin: PERF_EVENT_IOC_RESET
  // would zero the counts but not time_enabled/time_running).
  void reset();

  // The totals since reset() (or create()), one per active() event, in that order.
  std::vector<CounterValue> read() const;

  const std::vector<std::string>& active() const;  // the events counted, in order
  const std::vector<DroppedCounter>& dropped() const;
  CounterScope scope() const;
  std::string scope_name() const;  // counter_scope_name(scope())
  // perf_event groups open: one per software event, plus one of all hardware events or, when
  // those did not fit together, one per hardware event.
  std::size_t group_count() const;

 private:
  struct Impl;
  explicit CounterSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The default events (kDefaultCounters' names): cycles, instructions, branch-misses,
// L1-dcache-load-misses, dTLB-load-misses, task-clock, page-faults, context-switches.
std::vector<std::string> default_counter_names();

// For event names given by the user (--counters): throws InputError with one line at the first
// bad one — "unknown event 'foo': event not found" (libpfm4's pfm_strerror), an empty name, a
// comma ("event 'a,b': one event per --counters ..."), or two names for one counter. Whether the
// machine can count an event is not checked here (that is the environment: create() drops it).
void validate_event_names(const std::vector<std::string>& names);

// What this machine can count, for `ptebench counters`: one row per default event and per extra
// software event (kExtraSoftwareCounters), each opened on its own.
struct CounterAvailability {
  std::string event;       // as listed in the catalog
  std::string counted_as;  // the event that would be counted (the arm64 fallback, or `event`)
  std::string metric;
  std::string unit;
  bool software = false;
  bool ok = false;
  std::string reason;  // why not, when !ok (one line)
};
std::vector<CounterAvailability> probe_counters(CounterScope scope = CounterScope::user_only);

}  // namespace ptebench
