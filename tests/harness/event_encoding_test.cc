// Tests harness/event_encoding: names encoded through libpfm4 into perf_event_open attributes.
// Encoding needs no PMU (libpfm4's generic "perf" PMU is always there), so nothing here skips.
#include "harness/event_encoding.h"

#include <linux/perf_event.h>

#include <catch2/catch.hpp>
#include <string>

namespace ptebench {
namespace {

TEST_CASE("cycles and instructions encode to the generic hardware events - user mode only") {
  const EncodeResult cycles = encode_event("cycles", /*count_kernel=*/false);
  REQUIRE(cycles.event);
  CHECK(cycles.error.empty());
  CHECK(cycles.failure == EncodeFailure::none);
  CHECK(cycles.event->name == "cycles");
  CHECK(cycles.event->pmu == "perf");
  CHECK(cycles.event->canonical == "PERF_COUNT_HW_CPU_CYCLES");
  CHECK(cycles.event->type == PERF_TYPE_HARDWARE);
  CHECK(cycles.event->config == PERF_COUNT_HW_CPU_CYCLES);
  CHECK_FALSE(cycles.event->exclude_user);
  CHECK(cycles.event->exclude_kernel);
  CHECK(cycles.event->exclude_hv);
  CHECK_FALSE(cycles.event->is_software());

  const EncodeResult instructions = encode_event("instructions", false);
  REQUIRE(instructions.event);
  CHECK(instructions.event->canonical == "PERF_COUNT_HW_INSTRUCTIONS");
  CHECK(instructions.event->type == PERF_TYPE_HARDWARE);
  CHECK(instructions.event->config == PERF_COUNT_HW_INSTRUCTIONS);
  CHECK(instructions.event->exclude_kernel);
}

TEST_CASE("every spelling of one event encodes alike") {
  const std::string spelling = GENERATE("cycles", "perf::cycles", "PERF_COUNT_HW_CPU_CYCLES",
                                        "perf::PERF_COUNT_HW_CPU_CYCLES:u");
  CAPTURE(spelling);
  const EncodeResult e = encode_event(spelling, false);
  REQUIRE(e.event);
  CHECK(e.event->canonical == "PERF_COUNT_HW_CPU_CYCLES");
  CHECK(e.event->config == PERF_COUNT_HW_CPU_CYCLES);
  CHECK(e.event->exclude_kernel);
}

TEST_CASE("the cache events encode as PERF_TYPE_HW_CACHE id | op << 8 | result << 16") {
  const EncodeResult l1d = encode_event("L1-dcache-load-misses", false);
  REQUIRE(l1d.event);
  CHECK(l1d.event->canonical == "PERF_COUNT_HW_CACHE_L1D:READ:MISS");
  CHECK(l1d.event->type == PERF_TYPE_HW_CACHE);
  CHECK(l1d.event->config == (PERF_COUNT_HW_CACHE_L1D | PERF_COUNT_HW_CACHE_OP_READ << 8 |
                              PERF_COUNT_HW_CACHE_RESULT_MISS << 16));

  const EncodeResult dtlb = encode_event("PERF_COUNT_HW_CACHE_DTLB:READ:MISS", false);
  REQUIRE(dtlb.event);
  CHECK(dtlb.event->canonical == "PERF_COUNT_HW_CACHE_DTLB:READ:MISS");
  CHECK(dtlb.event->config == (PERF_COUNT_HW_CACHE_DTLB | PERF_COUNT_HW_CACHE_OP_READ << 8 |
                               PERF_COUNT_HW_CACHE_RESULT_MISS << 16));
}

TEST_CASE("the scope sets exclude_kernel unless the name has its own modifiers") {
  CHECK_FALSE(encode_event("cycles", /*count_kernel=*/true).event->exclude_kernel);
  CHECK(encode_event("cycles", false).event->exclude_kernel);
  const EncodeResult kernel_only = encode_event("cycles:k", false);
  REQUIRE(kernel_only.event);
  CHECK_FALSE(kernel_only.event->exclude_kernel);
  CHECK(kernel_only.event->exclude_user);
}

TEST_CASE("software events encode as PERF_TYPE_SOFTWARE - and say how they treat the scope") {
  const EncodeResult faults = encode_event("page-faults", false);
  REQUIRE(faults.event);
  CHECK(faults.event->is_software());
  CHECK(faults.event->config == PERF_COUNT_SW_PAGE_FAULTS);
  CHECK_FALSE(faults.event->recorded_in_kernel_only());
  CHECK_FALSE(faults.event->is_clock());

  const EncodeResult cs = encode_event("context-switches", false);
  REQUIRE(cs.event);
  CHECK(cs.event->config == PERF_COUNT_SW_CONTEXT_SWITCHES);
  CHECK(cs.event->recorded_in_kernel_only());
  CHECK(encode_event("cpu-migrations", false).event->recorded_in_kernel_only());

  const EncodeResult clock = encode_event("task-clock", false);
  REQUIRE(clock.event);
  CHECK(clock.event->config == PERF_COUNT_SW_TASK_CLOCK);
  CHECK(clock.event->is_clock());
  CHECK_FALSE(clock.event->recorded_in_kernel_only());
}

TEST_CASE("the built-in software table encodes as libpfm4 does") {
  const std::string name = GENERATE("task-clock", "cpu-clock", "page-faults", "faults",
                                    "minor-faults", "major-faults", "context-switches", "cs",
                                    "cpu-migrations", "migrations", "PERF_COUNT_SW_PAGE_FAULTS");
  const bool count_kernel = GENERATE(false, true);
  CAPTURE(name, count_kernel);
  const std::optional<EncodedEvent> builtin = encode_builtin_software_event(name, count_kernel);
  const EncodeResult libpfm = encode_event(name, count_kernel);
  REQUIRE(builtin);
  REQUIRE(libpfm.event);
  CHECK(builtin->canonical == libpfm.event->canonical);
  CHECK(builtin->type == libpfm.event->type);
  CHECK(builtin->config == libpfm.event->config);
  CHECK(builtin->exclude_user == libpfm.event->exclude_user);
  CHECK(builtin->exclude_kernel == libpfm.event->exclude_kernel);
  CHECK(builtin->exclude_hv == libpfm.event->exclude_hv);
  CHECK(builtin->exclude_guest == libpfm.event->exclude_guest);
  CHECK(builtin->exclude_host == libpfm.event->exclude_host);

  CHECK_FALSE(encode_builtin_software_event("cycles", false));
}

TEST_CASE("an unknown name fails with libpfm4's reason - as bad input") {
  const EncodeResult e = encode_event("no_such_event_foo", false);
  CHECK_FALSE(e.event);
  CHECK(e.failure == EncodeFailure::unknown_event);
  CHECK(e.error == "event not found");
}

TEST_CASE("a comma - an empty name and a bad unit mask are malformed names") {
  const EncodeResult comma = encode_event("cycles,instructions", false);
  CHECK_FALSE(comma.event);
  CHECK(comma.failure == EncodeFailure::bad_name);
  CHECK(comma.error.find("one event per name") != std::string::npos);

  const EncodeResult empty = encode_event("", false);
  CHECK_FALSE(empty.event);
  CHECK(empty.failure == EncodeFailure::bad_name);

  const EncodeResult umask = encode_event("PERF_COUNT_HW_CACHE_L1D:NOT_A_UMASK", false);
  CHECK_FALSE(umask.event);
  CHECK(umask.failure == EncodeFailure::bad_name);
  CHECK_FALSE(umask.error.empty());
}

TEST_CASE("raw events have no canonical name but encode") {
  const EncodeResult raw = encode_event("r003c", false);
  REQUIRE(raw.event);
  CHECK(raw.event->type == PERF_TYPE_RAW);
  CHECK(raw.event->config == 0x3c);
  CHECK(raw.event->pmu == "perf_raw");
  CHECK(raw.event->canonical.empty());
}

}  // namespace
}  // namespace ptebench
