#include "harness/event_encoding.h"

#include <perfmon/pfmlib_perf_event.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace ptebench {
namespace {

// pfm_initialize() once per process; its result is kept (PFM_SUCCESS on a VM without a PMU too:
// the "perf" generic PMU is always there).
int libpfm_status() {
  static const int status = pfm_initialize();
  return status;
}

// libpfm4 keeps library-wide state; one encoding at a time.
std::mutex& libpfm_mutex() {
  static std::mutex m;
  return m;
}

struct SoftwareAlias {
  std::string_view name;
  std::string_view canonical;
  std::uint64_t config;
};

// The perf-style aliases libpfm4's "perf" PMU gives to the software events (and their
// PERF_COUNT_SW_* names), for when libpfm4 itself is unavailable.
constexpr std::array<SoftwareAlias, 10> kSoftwareAliases = {{
    {"task-clock", "PERF_COUNT_SW_TASK_CLOCK", PERF_COUNT_SW_TASK_CLOCK},
    {"cpu-clock", "PERF_COUNT_SW_CPU_CLOCK", PERF_COUNT_SW_CPU_CLOCK},
    {"page-faults", "PERF_COUNT_SW_PAGE_FAULTS", PERF_COUNT_SW_PAGE_FAULTS},
    {"faults", "PERF_COUNT_SW_PAGE_FAULTS", PERF_COUNT_SW_PAGE_FAULTS},
    {"minor-faults", "PERF_COUNT_SW_PAGE_FAULTS_MIN", PERF_COUNT_SW_PAGE_FAULTS_MIN},
    {"major-faults", "PERF_COUNT_SW_PAGE_FAULTS_MAJ", PERF_COUNT_SW_PAGE_FAULTS_MAJ},
    {"context-switches", "PERF_COUNT_SW_CONTEXT_SWITCHES", PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cs", "PERF_COUNT_SW_CONTEXT_SWITCHES", PERF_COUNT_SW_CONTEXT_SWITCHES},
    {"cpu-migrations", "PERF_COUNT_SW_CPU_MIGRATIONS", PERF_COUNT_SW_CPU_MIGRATIONS},
    {"migrations", "PERF_COUNT_SW_CPU_MIGRATIONS", PERF_COUNT_SW_CPU_MIGRATIONS},
}};

// fstr is "pmu::EVENT:UMASK...:mod=value:...": the PMU before "::"; the canonical name is the
// event and its unit masks (the parts without '='). A name without "::" has no PMU part.
void split_fstr(std::string_view fstr, std::string* pmu, std::string* canonical) {
  const std::size_t sep = fstr.find("::");
  std::string_view rest = fstr;
  pmu->clear();
  if (sep != std::string_view::npos) {
    *pmu = std::string(fstr.substr(0, sep));
    rest = fstr.substr(sep + 2);
  }
  canonical->clear();
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view part = rest.substr(0, colon);
    if (!part.empty() && part.find('=') == std::string_view::npos) {
      if (!canonical->empty()) canonical->push_back(':');
      canonical->append(part);
    }
    if (colon == std::string_view::npos) break;
    rest = rest.substr(colon + 1);
  }
}

EncodedEvent from_attr(std::string_view name, const perf_event_attr& attr) {
  EncodedEvent e;
  e.name = std::string(name);
  e.type = attr.type;
  e.config = attr.config;
  e.config1 = attr.config1;
  e.config2 = attr.config2;
  e.exclude_user = attr.exclude_user;
  e.exclude_kernel = attr.exclude_kernel;
  e.exclude_hv = attr.exclude_hv;
  e.exclude_host = attr.exclude_host;
  e.exclude_guest = attr.exclude_guest;
  e.exclusive = attr.exclusive;
  e.pinned = attr.pinned;
  e.precise_ip = static_cast<std::uint8_t>(attr.precise_ip);
  return e;
}

EncodeResult rejected(EncodeFailure why, std::string text) {
  return EncodeResult{std::nullopt, std::move(text), why};
}

}  // namespace

bool EncodedEvent::is_software() const {
  return type == PERF_TYPE_SOFTWARE;
}

bool EncodedEvent::recorded_in_kernel_only() const {
  // PERF_COUNT_SW_CGROUP_SWITCHES (11, Linux 5.13) is spelled as a number: older uapi headers
  // lack the name.
  constexpr std::uint64_t kCgroupSwitches = 11;
  return is_software() && (config == PERF_COUNT_SW_CONTEXT_SWITCHES ||
                           config == PERF_COUNT_SW_CPU_MIGRATIONS || config == kCgroupSwitches);
}

bool EncodedEvent::is_clock() const {
  return is_software() && (config == PERF_COUNT_SW_TASK_CLOCK || config == PERF_COUNT_SW_CPU_CLOCK);
}

std::optional<EncodedEvent> encode_builtin_software_event(std::string_view name,
                                                          bool count_kernel) {
  for (const SoftwareAlias& alias : kSoftwareAliases) {
    if (alias.name != name && alias.canonical != name) continue;
    EncodedEvent e;
    e.name = std::string(name);
    e.canonical = std::string(alias.canonical);
    e.pmu = "perf";
    e.fstr = "perf::" + e.canonical;
    e.type = PERF_TYPE_SOFTWARE;
    e.config = alias.config;
    // As libpfm4 encodes them: exclude_hv and exclude_guest always, exclude_kernel per scope.
    e.exclude_kernel = !count_kernel;
    e.exclude_hv = true;
    e.exclude_guest = true;
    return e;
  }
  return std::nullopt;
}

EncodeResult encode_event(std::string_view name, bool count_kernel) {
  if (name.empty()) return rejected(EncodeFailure::bad_name, "empty event name");
  if (name.find(',') != std::string_view::npos)
    return rejected(EncodeFailure::bad_name,
                    "one event per name (libpfm4 encodes one at a time): give each on its own");

  const std::lock_guard<std::mutex> lock(libpfm_mutex());
  if (const int status = libpfm_status(); status != PFM_SUCCESS) {
    if (auto e = encode_builtin_software_event(name, count_kernel)) return EncodeResult{e, {}};
    return EncodeResult{
        std::nullopt,
        std::string("libpfm4 is unavailable: pfm_initialize: ") + pfm_strerror(status),
        EncodeFailure::no_libpfm};
  }

  // The name is passed as a C string: copy it, a string_view need not be terminated.
  const std::string c_name(name);
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  char* fstr = nullptr;
  pfm_perf_encode_arg_t arg;
  std::memset(&arg, 0, sizeof arg);
  arg.attr = &attr;
  arg.fstr = &fstr;
  arg.size = sizeof arg;
  const int plm = count_kernel ? (PFM_PLM0 | PFM_PLM3) : PFM_PLM3;
  const int ret = pfm_get_os_event_encoding(c_name.c_str(), plm, PFM_OS_PERF_EVENT_EXT, &arg);
  // fstr is malloc'd by libpfm4, and left unset for events that take no modifiers.
  const std::string full = fstr ? fstr : c_name;
  std::free(fstr);
  if (ret != PFM_SUCCESS)
    return rejected(
        ret == PFM_ERR_NOTFOUND ? EncodeFailure::unknown_event : EncodeFailure::bad_name,
        pfm_strerror(ret));
  if (arg.cpu >= 0)
    return rejected(EncodeFailure::bad_name, "pinned to cpu=" + std::to_string(arg.cpu) +
                                                 "; ptebench counts its own thread on any CPU");

  EncodedEvent e = from_attr(name, attr);
  e.fstr = full;
  split_fstr(full, &e.pmu, &e.canonical);
  return EncodeResult{std::move(e), {}};
}

}  // namespace ptebench
