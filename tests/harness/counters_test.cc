// Tests harness/counters where this machine allows: software events read around known work,
// totals over start/stop pairs, the graceful drop of hardware events where there is no PMU (one
// logged line, the column absent), a SKIP with the reason for what needs a PMU, and the
// validation of user-given event names.
#include "harness/counters.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "counter_test_util.h"
#include "harness/input_error.h"
#include "skip.h"

namespace ptebench {
namespace {

const CounterValue* find(const std::vector<CounterValue>& values, const std::string& metric) {
  for (const CounterValue& v : values)
    if (v.metric == metric) return &v;
  return nullptr;
}

std::size_t count_lines_containing(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

// Software events need perf_event_open itself, which a kernel without CONFIG_PERF_EVENTS or an
// emulator (qemu-user) lacks: then every event of `set` is dropped, and the test SKIPs with the
// reason.
bool software_events_unavailable(const CounterSet& set) {
  if (!set.active().empty()) return false;
  REQUIRE_FALSE(set.dropped().empty());
  PTEBENCH_SKIP("software events cannot be opened: " << set.dropped().front().reason);
  CHECK_FALSE(set.dropped().front().reason.empty());
  return true;
}

TEST_CASE("software events read around fresh-page touches: time - faults - full coverage") {
  CounterSet set = CounterSet::create({"task-clock", "page-faults", "context-switches"});
  if (software_events_unavailable(set)) return;
  // context-switches is counted in kernel mode, which perf_event_paranoid >= 2 refuses to
  // unprivileged users: then it alone is dropped (its own test says why).
  const bool have_switches = set.active().size() == 3;
  CHECK(set.active().size() >= 2);
  CHECK(set.group_count() == set.active().size());  // software events: groups of one
  CHECK(set.scope_name() == "user");

  constexpr std::size_t kPages = 512;
  test::FreshPages pages(kPages);
  set.start();
  pages.touch();
  test::spin_ns(2'000'000);
  set.stop();

  const std::vector<CounterValue> values = set.read();
  REQUIRE(values.size() == set.active().size());
  const CounterValue* clock = find(values, "task_clock_ns");
  const CounterValue* faults = find(values, "page_faults");
  REQUIRE(clock);
  REQUIRE(faults);

  REQUIRE(clock->value);
  CHECK(*clock->value >= 1'900'000);  // the spin's 2 ms of CPU time
  CHECK(clock->unit == "ns");
  CHECK_FALSE(clock->per_pte);
  CHECK(clock->includes_kernel);  // a clock counts both modes whatever the scope

  REQUIRE(faults->value);
  CHECK(*faults->value >= kPages);
  CHECK(faults->raw >= kPages);
  CHECK(faults->unit == "count");
  CHECK_FALSE(faults->includes_kernel);

  if (have_switches) {
    // Counted in kernel mode, where context switches happen: present, not a fake user-only 0.
    const CounterValue* switches = find(values, "context_switches");
    REQUIRE(switches);
    CHECK(switches->includes_kernel);
    CHECK(switches->value);
  }

  for (const CounterValue& v : values) {
    CAPTURE(v.name);
    CHECK(v.coverage == 1.0);
    CHECK(v.time_running_ns == v.time_enabled_ns);
    CHECK(v.time_enabled_ns > 0);
    CHECK(*v.value == static_cast<double>(v.raw));
    CHECK(coverage_note(v) == "counted all the time");
  }
}

TEST_CASE("context switches are counted (in kernel mode) in the default user-only scope") {
  CounterSet set = CounterSet::create({"context-switches"});
  if (!set.dropped().empty()) {
    // As an unprivileged user with perf_event_paranoid >= 2, kernel-mode counting is refused.
    PTEBENCH_SKIP("context-switches cannot be counted here: " << set.dropped().front().reason);
    CHECK(set.dropped().front().reason.find("perf_event_open") != std::string::npos);
    return;
  }
  set.start();
  for (int i = 0; i < 5; ++i) usleep(1000);  // each sleep switches away and back
  set.stop();
  const std::vector<CounterValue> values = set.read();
  REQUIRE(values.size() == 1);
  REQUIRE(values[0].value);
  CHECK(*values[0].value >= 5);
}

TEST_CASE("totals accumulate over start/stop pairs and exclude what runs between them") {
  // task-clock first: a group led by it would freeze page-faults after the first stop().
  CounterSet set = CounterSet::create({"task-clock", "page-faults"});
  if (software_events_unavailable(set)) return;
  constexpr std::size_t kPages = 256;
  test::FreshPages first(kPages), between(4 * kPages), second(kPages);

  set.start();
  first.touch();
  set.stop();
  const CounterValue one = *find(set.read(), "page_faults");
  between.touch();  // stopped: not counted
  set.start();
  second.touch();
  set.stop();
  const CounterValue two = *find(set.read(), "page_faults");

  REQUIRE(one.value);
  REQUIRE(two.value);
  CHECK(one.raw >= kPages);
  CHECK(two.raw >= 2 * kPages);
  CHECK(two.raw < 2 * kPages + kPages);  // none of the 4 x kPages touched while stopped
  CHECK(two.time_enabled_ns > one.time_enabled_ns);

  SECTION("reset() zeroes the totals: nothing ran since, so every value is absent") {
    set.reset();
    for (const CounterValue& v : set.read()) {
      CAPTURE(v.name);
      CHECK(v.raw == 0);
      CHECK(v.time_enabled_ns == 0);
      CHECK_FALSE(v.value);
      CHECK(v.coverage == 0);
      CHECK(coverage_note(v) == "did not run");
    }
    test::FreshPages after(kPages);
    set.start();
    after.touch();
    set.stop();
    const CounterValue three = *find(set.read(), "page_faults");
    CHECK(three.raw >= kPages);
    CHECK(three.raw < 2 * kPages);
  }
}

TEST_CASE("a set that was never started reports every counter as absent - not zero") {
  CounterSet set = CounterSet::create({"task-clock", "page-faults"});
  if (software_events_unavailable(set)) return;
  for (const CounterValue& v : set.read()) {
    CHECK_FALSE(v.value);
    CHECK(v.coverage == 0);
  }
}

TEST_CASE("a hardware event this machine cannot count is dropped with one logged line") {
  std::optional<CounterSet> set;
  const std::string log = test::capture_stderr([&] {
    set = CounterSet::create({"cycles", "task-clock"});
  });
  const bool cycles_active =
      std::find(set->active().begin(), set->active().end(), "cycles") != set->active().end();
  if (cycles_active) {
    PTEBENCH_SKIP("this machine counts cycles; the drop cannot be shown here");
    CHECK(set->dropped().empty());
    return;
  }
  // Dropped: listed with the reason, logged once, and absent from read() — never a zero.
  REQUIRE(set->dropped().size() >= 1);
  CHECK(set->dropped().front().name == "cycles");
  CHECK(set->dropped().front().reason.find("perf_event_open") != std::string::npos);
  CHECK(count_lines_containing(log, "ptebench: counter cycles dropped: ") == 1);
  CHECK(std::count(log.begin(), log.end(), '\n') == static_cast<long>(set->dropped().size()));
  for (const CounterValue& v : set->read()) CHECK(v.name != "cycles");
  // The software event is unaffected (where perf_event_open exists at all).
  if (set->dropped().size() == 1) {
    CHECK(set->active() == std::vector<std::string>{"task-clock"});
    set->start();
    test::spin_ns(100'000);
    set->stop();
    REQUIRE(set->read().size() == 1);
    CHECK(set->read()[0].value);
  }
}

TEST_CASE("the default set keeps what this machine can count and drops the rest") {
  std::optional<CounterSet> set;
  const std::string log = test::capture_stderr([&] { set = CounterSet::create_default(); });
  CHECK(set->active().size() + set->dropped().size() == default_counter_names().size());
  CHECK(count_lines_containing(log, " dropped: ") == set->dropped().size());
  for (const DroppedCounter& d : set->dropped()) {
    CAPTURE(d.name);
    CHECK_FALSE(d.reason.empty());
  }
  set->start();
  test::FreshPages pages(32);
  pages.touch();
  set->stop();
  const std::vector<CounterValue> values = set->read();
  REQUIRE(values.size() == set->active().size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    CHECK(values[i].name == set->active()[i]);
    CHECK(values[i].coverage >= 0);
    CHECK(values[i].coverage <= 1);
    if (!values[i].value) CHECK(values[i].coverage == 0);
  }
}

TEST_CASE("with a PMU cycles and instructions count in one group with coverage above 0 up to 1") {
  CounterSet probe = CounterSet::create({"cycles"});
  if (!probe.dropped().empty()) {
    const std::string reason = probe.dropped().front().reason;
    PTEBENCH_SKIP("no PMU: " << reason);
    CHECK_FALSE(reason.empty());
    return;
  }
  CounterSet set = CounterSet::create({"cycles", "instructions"});
  set.start();
  test::spin_ns(1'000'000);
  set.stop();
  for (const CounterValue& v : set.read()) {
    CAPTURE(v.name, coverage_note(v));
    REQUIRE(v.value);
    CHECK(*v.value > 0);
    CHECK(v.coverage > 0);
    CHECK(v.coverage <= 1);
    CHECK_FALSE(v.includes_kernel);
  }
}

TEST_CASE("events naming the same counter are dropped after the first") {
  CounterSet set = CounterSet::create({"page-faults", "faults", "PERF_COUNT_SW_PAGE_FAULTS"});
  if (set.active().empty()) {
    PTEBENCH_SKIP("software events cannot be opened: " << set.dropped().front().reason);
    CHECK_FALSE(set.dropped().empty());
    return;
  }
  CHECK(set.active() == std::vector<std::string>{"page-faults"});
  REQUIRE(set.dropped().size() == 2);
  CHECK(set.dropped()[0].reason == "counts the same as page-faults (page_faults)");
}

TEST_CASE("user-and-kernel scope is recorded - and refused only by permission") {
  CounterSet set = CounterSet::create({"page-faults"}, CounterScope::user_and_kernel);
  CHECK(set.scope_name() == "user+kernel");
  CHECK(set.scope() == CounterScope::user_and_kernel);
  if (!set.dropped().empty()) {
    PTEBENCH_SKIP("kernel-mode counting refused here: " << set.dropped().front().reason);
    CHECK_FALSE(set.dropped().front().reason.empty());
    return;
  }
  set.start();
  test::FreshPages pages(64);
  pages.touch();
  set.stop();
  REQUIRE(set.read()[0].value);
  CHECK(set.read()[0].includes_kernel);
  CHECK(*set.read()[0].value >= 64);
}

TEST_CASE("an unknown event in a set is dropped - not fatal") {
  std::optional<CounterSet> set;
  const std::string log = test::capture_stderr([&] {
    set = CounterSet::create({"no_such_event_foo", "cycles,instructions"});
  });
  CHECK(set->active().empty());
  REQUIRE(set->dropped().size() == 2);
  CHECK(set->dropped()[0].reason == "libpfm4: event not found");
  CHECK(count_lines_containing(log, " dropped: ") == 2);
  set->start();  // an empty set starts, stops and reads nothing
  set->stop();
  CHECK(set->read().empty());
}

TEST_CASE("validate_event_names accepts libpfm4 names and throws InputError on bad ones") {
  CHECK_NOTHROW(validate_event_names(
      {"cycles", "instructions", "page-faults", "PERF_COUNT_HW_CACHE_L1D:READ:MISS", "r003c"}));
  CHECK_NOTHROW(validate_event_names(default_counter_names()));
  CHECK_NOTHROW(validate_event_names({}));

  CHECK_THROWS_WITH(validate_event_names({"cycles", "foo"}),
                    "unknown event 'foo': event not found");
  CHECK_THROWS_AS(validate_event_names({"foo"}), InputError);
  CHECK_THROWS_WITH(validate_event_names({"cycles,instructions"}),
                    Catch::StartsWith("event 'cycles,instructions': one event per --counters"));
  CHECK_THROWS_WITH(validate_event_names({""}), Catch::StartsWith("empty event name"));
  CHECK_THROWS_WITH(validate_event_names({"PERF_COUNT_HW_CACHE_L1D:NOT_A_UMASK"}),
                    Catch::StartsWith("bad event 'PERF_COUNT_HW_CACHE_L1D:NOT_A_UMASK': "));
  CHECK_THROWS_WITH(validate_event_names({"cycles", "PERF_COUNT_HW_CPU_CYCLES"}),
                    "events 'cycles' and 'PERF_COUNT_HW_CPU_CYCLES' are the same counter "
                    "(cycles_per_pte)");
}

TEST_CASE("probe_counters lists every default and extra software event - ok or why not") {
  const std::vector<CounterAvailability> rows = probe_counters();
  REQUIRE(rows.size() == default_counter_names().size() + 1);
  CHECK(rows.back().event == "cpu-migrations");
  for (const CounterAvailability& a : rows) {
    CAPTURE(a.event, a.reason);
    CHECK(a.ok == a.reason.empty());
    CHECK_FALSE(a.metric.empty());  // every listed event encodes, so it has its metric
    CHECK_FALSE(a.counted_as.empty());
  }
  const auto row = [&](const std::string& name) {
    return *std::find_if(rows.begin(), rows.end(),
                         [&](const CounterAvailability& a) { return a.event == name; });
  };
  CHECK(row("cycles").metric == "cycles_per_pte");
  CHECK_FALSE(row("cycles").software);
  CHECK(row("page-faults").software);
  CHECK(row("page-faults").metric == "page_faults");
  // Whatever the machine, the probe agrees with what a CounterSet gets.
  CounterSet set = CounterSet::create({"cycles", "task-clock"});
  const auto is_active = [&](const std::string& name) {
    return std::find(set.active().begin(), set.active().end(), name) != set.active().end();
  };
  CHECK(row("cycles").ok == is_active("cycles"));
  CHECK(row("task-clock").ok == is_active("task-clock"));
}

TEST_CASE("coverage_note says how much of the time a multiplexed counter ran") {
  CounterValue v;
  v.raw = 100;
  v.time_enabled_ns = 1000;
  v.time_running_ns = 431;
  v.coverage = 0.431;
  v.value = 100 * 1000.0 / 431;
  CHECK(coverage_note(v) == "scaled from 43.1% of the time");
  v.value.reset();
  CHECK(coverage_note(v) == "did not run");
}

}  // namespace
}  // namespace ptebench
