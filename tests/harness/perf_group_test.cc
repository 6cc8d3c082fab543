// Tests harness/perf_group: a group of software events (which every Linux has, PMU or not) opened,
// enabled around known work, read with its times; and the reason a hardware event cannot be
// opened where there is no PMU.
#include "harness/perf_group.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "counter_test_util.h"
#include "harness/event_encoding.h"
#include "skip.h"

namespace ptebench {
namespace {

EncodedEvent encoded(const char* name) {
  EncodeResult r = encode_event(name, false);
  REQUIRE(r.event);
  return *r.event;
}

// A group of page-faults (leader) and minor-faults, or nullopt with a SKIP when perf_event_open
// itself is unavailable (a kernel without CONFIG_PERF_EVENTS, or an emulator such as qemu-user).
// Not led by task-clock: such a group loses its members after a re-enable on the kernels
// measured here (counters.cc, open_software), which is why CounterSet never builds one.
std::optional<PerfGroup> software_group() {
  std::string error;
  auto group = PerfGroup::open({encoded("page-faults"), encoded("minor-faults")}, &error);
  if (!group) {
    PTEBENCH_SKIP("software events cannot be opened: " << error);
    CHECK_FALSE(error.empty());
  }
  return group;
}

TEST_CASE("a software group counts nothing until enabled") {
  auto group = software_group();
  if (!group) return;
  CHECK(group->size() == 2);
  test::FreshPages pages(64);
  pages.touch();
  const PerfGroup::Reading r = group->read();
  CHECK(r.time_enabled_ns == 0);
  CHECK(r.time_running_ns == 0);
  CHECK(r.raw == std::vector<std::uint64_t>{0, 0});
}

TEST_CASE("a software group counts the faults of fresh pages - and accumulates over enables") {
  auto group = software_group();
  if (!group) return;
  constexpr std::size_t kPages = 256;
  test::FreshPages first(kPages), between(kPages), second(kPages);

  group->enable();
  first.touch();
  group->disable();
  const PerfGroup::Reading one = group->read();
  CHECK(one.raw[0] >= kPages);  // page-faults
  CHECK(one.raw[1] >= kPages);  // minor-faults (every first touch of anonymous memory)
  CHECK(one.time_enabled_ns > 0);
  CHECK(one.time_running_ns == one.time_enabled_ns);  // software events never multiplex

  between.touch();  // disabled: not counted
  CHECK(group->read().raw == one.raw);

  group->enable();
  second.touch();
  group->disable();
  const PerfGroup::Reading two = group->read();
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK(two.raw[i] >= 2 * kPages);              // the member counts again after re-enable, too
    CHECK(two.raw[i] < 2 * kPages + kPages / 2);  // not the `between` ones
  }
  CHECK(two.time_enabled_ns > one.time_enabled_ns);
}

TEST_CASE("a group survives being moved") {
  auto group = software_group();
  if (!group) return;
  PerfGroup moved = std::move(*group);
  moved.enable();
  test::FreshPages pages(16);
  pages.touch();
  moved.disable();
  CHECK(moved.read().raw[1] >= 16);
}

TEST_CASE("opening an empty group is refused with a reason") {
  std::string error;
  CHECK_FALSE(PerfGroup::open({}, &error));
  CHECK_FALSE(error.empty());
}

TEST_CASE("cycles opens where there is a PMU - and says why not where there is none") {
  const std::string reason = perf_open_error(encoded("cycles"));
  if (reason.empty()) {
    PTEBENCH_SKIP("this machine has a PMU that counts cycles; the no-PMU reason cannot be shown");
    return;
  }
  // No PMU (this VM: ENOENT), or perf_event_paranoid: the reason names the errno.
  CHECK(reason.rfind("perf_event_open: ", 0) == 0);
  CHECK(reason.find('(') != std::string::npos);
  WARN("no PMU here: " << reason);
}

}  // namespace
}  // namespace ptebench
