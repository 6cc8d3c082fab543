// One event name -> the perf_event_open(2) attributes that count it, through libpfm4
// (pfm_get_os_event_encoding with PFM_OS_PERF_EVENT_EXT). The attributes are copied into plain
// fields so that neither libpfm4 nor perf_event types leave event_encoding.cc.
//
// Facts designed around (DESIGN.md, Measurement): libpfm4 encodes one event per call (a comma is
// PFM_ERR_INVAL, "invalid parameters", so a comma is refused here with a clearer reason first);
// pfm_initialize() succeeds on a VM without a PMU and hardware events still encode — whether
// the machine can count them shows only at perf_event_open (perf_group.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptebench {

// The perf_event_attr fields that libpfm4's perf_event encoder sets, for counting. The sampling
// modifiers (period=, freq=) are not carried: ptebench only counts.
struct EncodedEvent {
  std::string name;  // as given: "cycles"
  std::string
      canonical;     // libpfm4's name without PMU prefix and modifiers: "PERF_COUNT_HW_CPU_CYCLES"
  std::string pmu;   // libpfm4 PMU: "perf", "perf_raw", "arm_n1", "icl", ...
  std::string fstr;  // libpfm4's fully qualified string, with every modifier (for logs)
  std::uint32_t type = 0;  // perf_event_attr.type (PERF_TYPE_HARDWARE = 0, SOFTWARE = 1, ...)
  std::uint64_t config = 0;
  std::uint64_t config1 = 0;
  std::uint64_t config2 = 0;
  bool exclude_user = false;
  bool exclude_kernel = false;
  bool exclude_hv = false;
  bool exclude_host = false;
  bool exclude_guest = false;
  bool exclusive = false;
  bool pinned = false;
  std::uint8_t precise_ip = 0;

  bool is_software() const;  // type == PERF_TYPE_SOFTWARE
  // Software events the kernel records in kernel mode only (context-switches, cpu-migrations,
  // cgroup-switches: perf_sw_event_sched() passes the scheduler's own registers), so with
  // exclude_kernel they read 0 forever — `perf stat -e context-switches:u` shows 0 anywhere.
  bool recorded_in_kernel_only() const;
  // The clock events (task-clock, cpu-clock) count the task's time on the CPU in both modes;
  // the exclude_* bits filter only their samples, never their count.
  bool is_clock() const;
};

enum class EncodeFailure {
  none,
  unknown_event,  // libpfm4 knows no such event (PFM_ERR_NOTFOUND): bad input
  bad_name,       // malformed: empty, a comma, a bad unit mask or modifier: bad input
  no_libpfm,      // libpfm4 could not be initialised: the environment, not the name
};

struct EncodeResult {
  std::optional<EncodedEvent> event;  // set on success
  std::string error;                  // one line, set on failure: libpfm4's pfm_strerror or ours
  EncodeFailure failure = EncodeFailure::none;
};

// Encodes `name`, counting user mode only (PFM_PLM3) or user and kernel mode (PFM_PLM0 |
// PFM_PLM3) unless the name carries its own :u/:k modifiers. Never throws; thread-safe
// (libpfm4 is initialised once, on first use). Refused with a reason: an empty name, a comma,
// an event pinned to one CPU (cpu=N; ptebench counts its own thread). When libpfm4 cannot be
// initialised, the software events (task-clock, page-faults, ...) are still encoded from a
// built-in table, and every other name fails with the reason.
EncodeResult encode_event(std::string_view name, bool count_kernel);

// The built-in software table that stands in for libpfm4 when it cannot be initialised: the
// perf-style aliases task-clock, cpu-clock, page-faults (faults), minor-faults, major-faults,
// context-switches (cs), cpu-migrations (migrations), and their PERF_COUNT_SW_* names (the
// software events libpfm4 4.13 knows). nullopt for any other name.
std::optional<EncodedEvent> encode_builtin_software_event(std::string_view name, bool count_kernel);

}  // namespace ptebench
