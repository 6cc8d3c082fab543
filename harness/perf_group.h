// perf_event_open(2) groups on the calling thread: a leader and its members, enabled, disabled and
// read together, so their counts cover exactly the same instructions and their coverage (time
// running / time enabled) is one figure. perf_event types stay in perf_group.cc.
//
// Every event is opened with pid = 0, cpu = -1 (this thread, on whichever CPU it runs), not
// inherited by children, close-on-exec, and the leader disabled: nothing counts until enable().
// Counts and times accumulate over enable()/disable() pairs for as long as the group is open.
//
// Permissions (kernel.perf_event_paranoid; root and CAP_PERFMON bypass it): 2 lets unprivileged
// users count their own threads in user mode only — exclude_kernel set, which ptebench's default
// user-only scope does; 1 also allows kernel mode; 3 (Debian's default) forbids everything to
// unprivileged users. A refusal is EACCES, and the reason says which setting is needed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/event_encoding.h"

namespace ptebench {

class PerfGroup {
 public:
  // One read of the whole group.
  struct Reading {
    std::uint64_t time_enabled_ns = 0;  // time the group was enabled
    std::uint64_t time_running_ns = 0;  // of which on the PMU (less when multiplexed)
    std::vector<std::uint64_t> raw;     // one count per event, in the order given to open()
  };

  // Opens `events` (at least one) as one group, disabled: all or nothing. On failure returns
  // nullopt and sets *error to the reason: "perf_event_open: <strerror> (<ERRNO>): <hint>",
  // prefixed with "<event name>: " when the group has several events.
  static std::optional<PerfGroup> open(const std::vector<EncodedEvent>& events, std::string* error);

  PerfGroup(PerfGroup&& other) noexcept;
  PerfGroup& operator=(PerfGroup&& other) noexcept;
  PerfGroup(const PerfGroup&) = delete;
  PerfGroup& operator=(const PerfGroup&) = delete;
  ~PerfGroup();

  void enable();   // ioctl(PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) on the leader
  void disable();  // ioctl(PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP) on the leader
  Reading read() const;
  std::size_t size() const { return fds_.size(); }

 private:
  PerfGroup() = default;
  void close_all();

  std::vector<int> fds_;            // fds_[0] is the leader
  std::vector<std::uint64_t> ids_;  // PERF_EVENT_IOC_ID of each event, same order
};

// Whether `event` can be opened here on its own: empty when it can, else the reason.
std::string perf_open_error(const EncodedEvent& event);

}  // namespace ptebench
