#include "harness/perf_group.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <utility>

namespace ptebench {
namespace {

// An invariant violation (the first error tier): a perf fd that we opened cannot be read or
// controlled. Stays on in Release.
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "ptebench: internal error: %s\n", what);
  std::abort();
}

[[noreturn]] void die_errno(const char* what) {
  std::fprintf(stderr, "ptebench: internal error: %s: %s\n", what, std::strerror(errno));
  std::abort();
}

constexpr std::uint64_t kReadFormat = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
                                      PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID;

perf_event_attr make_attr(const EncodedEvent& e, bool leader) {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = e.type;
  attr.config = e.config;
  attr.config1 = e.config1;
  attr.config2 = e.config2;
  attr.exclude_user = e.exclude_user;
  attr.exclude_kernel = e.exclude_kernel;
  attr.exclude_hv = e.exclude_hv;
  attr.exclude_host = e.exclude_host;
  attr.exclude_guest = e.exclude_guest;
  attr.exclusive = e.exclusive;
  attr.pinned = e.pinned && leader;  // only a group leader may be pinned
  attr.precise_ip = e.precise_ip;
  attr.read_format = kReadFormat;
  // Members follow the leader: enabling the leader with PERF_IOC_FLAG_GROUP starts them all.
  attr.disabled = leader;
  return attr;
}

int open_event(const EncodedEvent& e, int group_fd) {
  perf_event_attr attr = make_attr(e, group_fd < 0);
  return static_cast<int>(
      syscall(SYS_perf_event_open, &attr, /*pid=*/0, /*cpu=*/-1, group_fd, PERF_FLAG_FD_CLOEXEC));
}

std::string paranoid_setting() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  std::string value;
  if (!(in >> value)) return "kernel.perf_event_paranoid (unreadable)";
  return "kernel.perf_event_paranoid=" + value;
}

// errno from perf_event_open -> "perf_event_open: TEXT (ENAME): hint".
std::string describe_open_errno(int err, const EncodedEvent& e) {
  std::string out = std::string("perf_event_open: ") + std::strerror(err);
  if (const char* name = strerrorname_np(err)) out += std::string(" (") + name + ")";
  switch (err) {
    case ENOENT:
    case ENODEV:
    case EOPNOTSUPP:
      return out +
             ": no PMU here counts this event (a VM without a virtual PMU, or a CPU that lacks it)";
    case EACCES:
    case EPERM:
      return out + ": " + paranoid_setting() +
             (e.exclude_kernel
                  ? " forbids it to this user (2 allows own-thread user-mode counting; or "
                    "CAP_PERFMON)"
                  : " forbids kernel-mode counting to this user (needs <= 1, or CAP_PERFMON)");
    case EINVAL:
      return out +
             ": the kernel rejected the event's attributes (code or modifier not valid on this "
             "PMU, or the group does not fit)";
    case EBUSY:
      return out + ": the PMU is held exclusively by another user";
    case ENOSYS:
      return out +
             ": no perf_event_open here (a kernel without CONFIG_PERF_EVENTS, or an emulator such "
             "as qemu-user)";
    case EMFILE:
    case ENFILE:
      return out + ": too many open files";
    default:
      return out;
  }
}

}  // namespace

std::optional<PerfGroup> PerfGroup::open(const std::vector<EncodedEvent>& events,
                                         std::string* error) {
  if (events.empty()) {
    *error = "an empty group";
    return std::nullopt;
  }
  PerfGroup group;
  for (const EncodedEvent& e : events) {
    const int fd = open_event(e, group.fds_.empty() ? -1 : group.fds_.front());
    if (fd < 0) {
      *error = describe_open_errno(errno, e);
      if (events.size() > 1) *error = e.name + ": " + *error;
      return std::nullopt;  // ~PerfGroup closes what was opened
    }
    group.fds_.push_back(fd);
    std::uint64_t id = 0;
    if (ioctl(fd, PERF_EVENT_IOC_ID, &id) != 0) die_errno("PERF_EVENT_IOC_ID");
    group.ids_.push_back(id);
  }
  return group;
}

PerfGroup::PerfGroup(PerfGroup&& other) noexcept
    : fds_(std::exchange(other.fds_, {})), ids_(std::exchange(other.ids_, {})) {}

PerfGroup& PerfGroup::operator=(PerfGroup&& other) noexcept {
  if (this != &other) {
    close_all();
    fds_ = std::exchange(other.fds_, {});
    ids_ = std::exchange(other.ids_, {});
  }
  return *this;
}

PerfGroup::~PerfGroup() {
  close_all();
}

void PerfGroup::close_all() {
  // Members first, the leader last.
  for (auto it = fds_.rbegin(); it != fds_.rend(); ++it) ::close(*it);
  fds_.clear();
  ids_.clear();
}

void PerfGroup::enable() {
  if (ioctl(fds_.front(), PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP) != 0)
    die_errno("PERF_EVENT_IOC_ENABLE");
}

void PerfGroup::disable() {
  if (ioctl(fds_.front(), PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP) != 0)
    die_errno("PERF_EVENT_IOC_DISABLE");
}

PerfGroup::Reading PerfGroup::read() const {
  // What read(2) on the leader returns with read_format = PERF_FORMAT_GROUP |
  // PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING | PERF_FORMAT_ID
  // (include/uapi/linux/perf_event.h, "struct read_format"), all u64:
  //   [0] nr             number of events in the group
  //   [1] time_enabled   ns the group was enabled
  //   [2] time_running   ns it was actually on the PMU (< enabled when multiplexed)
  //   [3 + 2i]     value of event i, in the order the events were opened (leader first)
  //   [3 + 2i + 1] id of event i (PERF_EVENT_IOC_ID), checked against ours
  const std::size_t n = fds_.size();
  std::vector<std::uint64_t> buf(3 + 2 * n);
  const ssize_t want = static_cast<ssize_t>(buf.size() * sizeof(std::uint64_t));
  if (::read(fds_.front(), buf.data(), static_cast<std::size_t>(want)) != want)
    die_errno("read of a perf_event group");
  if (buf[0] != n) die("perf_event group read returned another number of events");
  Reading r;
  r.time_enabled_ns = buf[1];
  r.time_running_ns = buf[2];
  r.raw.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (buf[3 + 2 * i + 1] != ids_[i]) die("perf_event group read out of order");
    r.raw[i] = buf[3 + 2 * i];
  }
  return r;
}

std::string perf_open_error(const EncodedEvent& event) {
  std::string error;
  if (PerfGroup::open({event}, &error)) return {};
  return error;
}

}  // namespace ptebench
