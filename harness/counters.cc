#include "harness/counters.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "harness/counter_catalog.h"
#include "harness/event_encoding.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/perf_group.h"

namespace ptebench {
namespace {

// An invariant violation by the caller (the first error tier); stays on in Release.
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "ptebench: internal error: %s\n", what);
  std::abort();
}

std::string_view arm64_fallback_for(std::string_view name) {
  for (const DefaultCounter& d : kDefaultCounters)
    if (d.event == name) return d.arm64_fallback;
  return {};
}

// An event that can be opened here, or the reason it cannot.
struct Resolved {
  std::optional<EncodedEvent> event;
  std::string reason;        // when !event
  std::string substitution;  // a log line, when an arm64 fallback replaced the event
};

Resolved resolve(const std::string& name, CounterScope scope) {
  const EncodeResult enc = encode_event(name, scope == CounterScope::user_and_kernel);
  if (!enc.event) return Resolved{std::nullopt, "libpfm4: " + enc.error, {}};
  EncodedEvent e = *enc.event;
  // See EncodedEvent::recorded_in_kernel_only: user-only would be a fake 0.
  if (e.recorded_in_kernel_only()) e.exclude_kernel = false;
  std::string reason = perf_open_error(e);
  if (reason.empty()) return Resolved{std::move(e), {}, {}};
  if (enc.event->recorded_in_kernel_only() && enc.event->exclude_kernel)
    reason += " (it happens in kernel mode only: a user-only count would always be 0)";

  if (const std::string_view fallback = arm64_fallback_for(name); !fallback.empty()) {
    Resolved alt = resolve(std::string(fallback), scope);
    if (alt.event) {
      alt.substitution = "counter " + name + " cannot be opened (" + reason + "); counting " +
                         std::string(fallback) + " instead";
      return alt;
    }
    reason += "; and its fallback " + std::string(fallback) + ": " + alt.reason;
  }
  return Resolved{std::nullopt, std::move(reason), {}};
}

CounterValue describe(const EncodedEvent& e) {
  const MetricName m = metric_for_event(e.canonical, e.name);
  CounterValue v;
  v.name = e.name;
  v.metric = m.metric;
  v.unit = m.unit;
  v.per_pte = m.per_pte;
  v.includes_kernel = !e.exclude_kernel || e.is_clock();
  return v;
}

// An event on its way into a group.
struct Pending {
  EncodedEvent event;
  CounterValue value;  // the descriptive fields
};

}  // namespace

std::string_view counter_scope_name(CounterScope scope) {
  return scope == CounterScope::user_only ? "user" : "user+kernel";
}

std::string coverage_note(const CounterValue& value) {
  if (!value.value) return "did not run";
  if (value.time_running_ns >= value.time_enabled_ns) return "counted all the time";
  char buf[64];
  std::snprintf(buf, sizeof buf, "scaled from %.1f%% of the time", value.coverage * 100.0);
  return buf;
}

struct CounterSet::Impl {
  struct Slot {
    CounterValue proto;     // descriptive fields of the value read() returns
    std::size_t group = 0;  // index into groups
    std::size_t index = 0;  // position in that group
  };

  CounterScope scope = CounterScope::user_only;
  // Software groups first, hardware groups after: start() enables in this order and stop()
  // disables in the reverse one.
  std::vector<PerfGroup> groups;
  std::vector<PerfGroup::Reading> origin;  // per group, taken by reset()
  std::vector<Slot> slots;
  std::vector<std::string> active;
  std::vector<DroppedCounter> dropped;
  bool started = false;

  void drop(const std::string& name, const std::string& reason) {
    log_line("counter " + name + " dropped: " + reason);
    dropped.push_back(DroppedCounter{name, reason});
  }

  // The hardware events as one group, so that they count the same instructions; when the
  // kernel refuses them together (more events than counters), as groups of one, which the
  // kernel multiplexes.
  void open_hardware(const std::vector<Pending>& pending) {
    if (pending.empty()) return;
    std::vector<EncodedEvent> events;
    for (const Pending& p : pending) events.push_back(p.event);
    std::string error;
    if (auto group = PerfGroup::open(events, &error)) {
      add_group(std::move(*group), pending);
      return;
    }
    log_line("hardware counters cannot be opened as one group (" + error + "): opening them as " +
             std::to_string(pending.size()) +
             " groups of one, which the kernel multiplexes (see each value's coverage)");
    open_one_by_one(pending);
  }

  // The software events as groups of one. They never multiplex, so a group would buy only a
  // single enable; and a group led by a clock event (task-clock, cpu-clock) is broken on the
  // kernels measured here (6.18): after its first disable and re-enable, its members stop
  // counting — page-faults froze at the first round's count, while the same members counted
  // correctly under a page-faults leader or alone.
  void open_software(const std::vector<Pending>& pending) { open_one_by_one(pending); }

  void open_one_by_one(const std::vector<Pending>& pending) {
    std::string error;
    for (const Pending& p : pending) {
      if (auto group = PerfGroup::open({p.event}, &error))
        add_group(std::move(*group), {p});
      else
        drop(p.event.name, error);
    }
  }

  void add_group(PerfGroup group, const std::vector<Pending>& members) {
    for (std::size_t i = 0; i < members.size(); ++i)
      slots.push_back(Slot{members[i].value, groups.size(), i});
    groups.push_back(std::move(group));
  }
};

CounterSet::CounterSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CounterSet::CounterSet(CounterSet&&) noexcept = default;
CounterSet& CounterSet::operator=(CounterSet&&) noexcept = default;
CounterSet::~CounterSet() = default;

CounterSet CounterSet::create(const std::vector<std::string>& names, CounterScope scope) {
  auto impl = std::make_unique<Impl>();
  impl->scope = scope;
  std::vector<Pending> software, hardware;
  std::vector<std::pair<std::string, std::string>> metric_owner;  // metric -> event
  for (const std::string& name : names) {
    Resolved r = resolve(name, scope);
    if (!r.event) {
      impl->drop(name, r.reason);
      continue;
    }
    Pending p{std::move(*r.event), {}};
    p.value = describe(p.event);
    bool duplicate = false;
    for (const auto& [metric, owner] : metric_owner) {
      if (metric != p.value.metric) continue;
      impl->drop(name, "counts the same as " + owner + " (" + metric + ")");
      duplicate = true;
    }
    if (duplicate) continue;
    if (!r.substitution.empty()) log_line(r.substitution);
    metric_owner.emplace_back(p.value.metric, name);
    (p.event.is_software() ? software : hardware).push_back(std::move(p));
  }
  impl->open_software(software);
  impl->open_hardware(hardware);

  // read() and active() follow the order of `names`, not of the groups.
  std::vector<Impl::Slot> ordered;
  for (const auto& [metric, owner] : metric_owner)
    for (const Impl::Slot& s : impl->slots)
      if (s.proto.metric == metric) ordered.push_back(s);
  impl->slots = std::move(ordered);
  for (const Impl::Slot& s : impl->slots) impl->active.push_back(s.proto.name);
  CounterSet set(std::move(impl));
  set.reset();
  return set;
}

CounterSet CounterSet::create_default(CounterScope scope) {
  return create(default_counter_names(), scope);
}

void CounterSet::start() {
  if (impl_->started) die("CounterSet::start() while started");
  impl_->started = true;
  for (PerfGroup& g : impl_->groups) g.enable();
}

void CounterSet::stop() {
  if (!impl_->started) die("CounterSet::stop() while stopped");
  impl_->started = false;
  for (auto it = impl_->groups.rbegin(); it != impl_->groups.rend(); ++it) it->disable();
}

void CounterSet::reset() {
  impl_->origin.clear();
  for (const PerfGroup& g : impl_->groups) impl_->origin.push_back(g.read());
}

std::vector<CounterValue> CounterSet::read() const {
  std::vector<PerfGroup::Reading> now;
  for (const PerfGroup& g : impl_->groups) now.push_back(g.read());
  std::vector<CounterValue> out;
  for (const Impl::Slot& s : impl_->slots) {
    const PerfGroup::Reading& cur = now[s.group];
    const PerfGroup::Reading& org = impl_->origin[s.group];
    CounterValue v = s.proto;
    v.raw = cur.raw[s.index] - org.raw[s.index];
    v.time_enabled_ns = cur.time_enabled_ns - org.time_enabled_ns;
    v.time_running_ns = cur.time_running_ns - org.time_running_ns;
    if (v.time_running_ns > 0 && v.time_enabled_ns > 0) {
      const double enabled = static_cast<double>(v.time_enabled_ns);
      const double running = static_cast<double>(v.time_running_ns);
      v.coverage = running >= enabled ? 1.0 : running / enabled;
      v.value = static_cast<double>(v.raw) * (enabled / running);
    }
    out.push_back(std::move(v));
  }
  return out;
}

const std::vector<std::string>& CounterSet::active() const {
  return impl_->active;
}
const std::vector<DroppedCounter>& CounterSet::dropped() const {
  return impl_->dropped;
}
CounterScope CounterSet::scope() const {
  return impl_->scope;
}
std::string CounterSet::scope_name() const {
  return std::string(counter_scope_name(impl_->scope));
}
std::size_t CounterSet::group_count() const {
  return impl_->groups.size();
}

std::vector<std::string> default_counter_names() {
  std::vector<std::string> names;
  for (const DefaultCounter& d : kDefaultCounters) names.emplace_back(d.event);
  return names;
}

void validate_event_names(const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, std::string>> metric_owner;  // metric -> event
  for (const std::string& name : names) {
    if (name.empty()) throw InputError("empty event name: --counters takes one libpfm4 event name");
    if (name.find(',') != std::string::npos)
      throw InputError("event '" + name +
                       "': one event per --counters (libpfm4 encodes one event at a time); "
                       "repeat --counters for each");
    const EncodeResult enc = encode_event(name, false);
    if (!enc.event) {
      if (enc.failure == EncodeFailure::unknown_event)
        throw InputError("unknown event '" + name + "': " + enc.error);
      if (enc.failure == EncodeFailure::bad_name)
        throw InputError("bad event '" + name + "': " + enc.error);
      continue;  // no libpfm4: the environment; create() drops it with the reason
    }
    const std::string metric = metric_for_event(enc.event->canonical, name).metric;
    for (const auto& [m, owner] : metric_owner)
      if (m == metric)
        throw InputError("events '" + owner + "' and '" + name + "' are the same counter (" +
                         metric + ")");
    metric_owner.emplace_back(metric, name);
  }
}

std::vector<CounterAvailability> probe_counters(CounterScope scope) {
  std::vector<std::string> names = default_counter_names();
  for (const std::string_view extra : kExtraSoftwareCounters) names.emplace_back(extra);
  std::vector<CounterAvailability> out;
  for (const std::string& name : names) {
    CounterAvailability a;
    a.event = name;
    a.counted_as = name;
    const Resolved r = resolve(name, scope);
    if (r.event) {
      const CounterValue v = describe(*r.event);
      a.counted_as = r.event->name;
      a.metric = v.metric;
      a.unit = v.unit;
      a.software = r.event->is_software();
      a.ok = true;
    } else {
      a.reason = r.reason;
      // Describe it all the same, when it encodes, so the listing says what is missing.
      const EncodeResult enc = encode_event(name, scope == CounterScope::user_and_kernel);
      if (enc.event) {
        const CounterValue v = describe(*enc.event);
        a.metric = v.metric;
        a.unit = v.unit;
        a.software = enc.event->is_software();
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace ptebench
