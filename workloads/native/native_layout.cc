#include "workloads/native/native_layout.h"

#include <charconv>
#include <filesystem>
#include <map>
#include <system_error>

#include "workloads/native/native_error.h"
#include "workloads/native/text_file.h"

namespace ptebench::native {
namespace {

constexpr std::size_t kPmdKb = kPmdBytes / 1024;

// The THP knobs as this process sees them. Sizes are in kB, as in the directory names.
struct ThpKnobs {
  std::string dir;
  std::string top;        // selected word of <dir>/enabled; empty when THP is absent
  std::string top_error;  // why <dir>/enabled could not be read
  std::map<std::size_t, std::string> per_size;  // kB -> selected word of hugepages-<kB>kB/enabled
};

// "hugepages-64kB" -> 64; 0 for any other name.
std::size_t size_kb_of_dir(const std::string& name) {
  constexpr std::string_view prefix = "hugepages-", suffix = "kB";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  std::size_t kb = 0;
  const char* first = name.data() + prefix.size();
  const char* last = name.data() + name.size() - suffix.size();
  const auto [ptr, ec] = std::from_chars(first, last, kb);
  return ec == std::errc() && ptr == last ? kb : 0;
}

ThpKnobs read_knobs(const std::string& dir) {
  ThpKnobs k;
  k.dir = dir;
  std::string text;
  const std::string top_path = dir + "/enabled";
  if (const int err = read_text_file(top_path, &text)) {
    k.top_error = top_path + ": " + errno_text(err);
    return k;
  }
  k.top = selected_choice(text);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::size_t kb = size_kb_of_dir(entry.path().filename().string());
    if (kb == 0) continue;
    // A size without `enabled` (e.g. hugepages-8kB, shmem-only order 1) is not an anon layout.
    if (read_text_file(entry.path().string() + "/enabled", &text) == 0)
      k.per_size[kb] = selected_choice(text);
  }
  return k;
}

// The per-size mode; before Linux 6.8 the PMD size has no directory and follows the top level,
// which is what `inherit` means.
std::string mode_of(const ThpKnobs& k, std::size_t kb) {
  const auto it = k.per_size.find(kb);
  if (it != k.per_size.end()) return it->second;
  return kb == kPmdKb ? "inherit" : "";
}

// thp_vma_allowable_orders() for an anonymous VMA with or without VM_HUGEPAGE.
bool allows(const ThpKnobs& k, std::size_t kb, bool vm_hugepage) {
  const std::string mode = mode_of(k, kb);
  if (mode == "always") return true;
  if (mode == "madvise") return vm_hugepage;
  if (mode == "inherit") return k.top == "always" || (vm_hugepage && k.top == "madvise");
  return false;
}

std::string knob_name(std::size_t kb) {
  return "hugepages-" + std::to_string(kb) + "kB/enabled";
}

// The knobs that decide size `kb`, e.g. "hugepages-64kB/enabled is inherit, enabled is never".
std::string describe(const ThpKnobs& k, std::size_t kb) {
  const std::string mode = mode_of(k, kb);
  if (mode != "inherit") return knob_name(kb) + " is " + mode;
  const std::string top = "enabled is " + k.top;
  return k.per_size.count(kb) ? knob_name(kb) + " is inherit, " + top : top;
}

// Plans a THP or mTHP layout of `kb` kB folios (see plan_layout in the header).
LayoutPlan plan_folio_size(const ThpKnobs& k, std::size_t kb, LayoutPlan plan) {
  if (k.top.empty()) {
    plan.availability.reason = "transparent hugepages unavailable (" + k.top_error + ")";
    return plan;
  }
  if (kb != kPmdKb && !k.per_size.count(kb)) {
    plan.availability.reason = "no " + knob_name(kb) + " under " + k.dir + ": this kernel has no " +
                               std::to_string(kb) + " kB anonymous mTHP";
    return plan;
  }
  std::size_t blocker_kb = 0;
  for (const bool vm_hugepage : {true, false}) {
    if (!allows(k, kb, vm_hugepage)) continue;
    std::size_t larger = 0;
    for (const auto& [other_kb, mode] : k.per_size)
      if (other_kb > kb && allows(k, other_kb, vm_hugepage)) larger = other_kb;
    if (kb < kPmdKb && !k.per_size.count(kPmdKb) && allows(k, kPmdKb, vm_hugepage)) larger = kPmdKb;
    if (larger == 0) {
      plan.availability.usable = true;
      plan.advice = vm_hugepage ? LayoutAdvice::hugepage : LayoutAdvice::none;
      return plan;
    }
    if (blocker_kb == 0) blocker_kb = larger;
  }
  if (blocker_kb != 0) {
    plan.availability.reason = "a larger size is enabled too (" + describe(k, blocker_kb) +
                               "), so the kernel would allocate " + std::to_string(blocker_kb) +
                               " kB folios first";
  } else {
    plan.availability.reason = describe(k, kb);
  }
  return plan;
}

}  // namespace

std::string NativeLayout::name() const {
  switch (kind) {
    case Kind::base_pages:
      return "4k";
    case Kind::thp:
      return "thp";
    case Kind::mthp:
      return "mthp-" + std::to_string(folio_bytes / 1024) + "kB";
  }
  return "?";
}

NativeLayout parse_native_layout(std::string_view name) {
  if (name == "4k") return {NativeLayout::Kind::base_pages, kBasePageBytes};
  if (name == "thp") return {NativeLayout::Kind::thp, kPmdBytes};
  constexpr std::string_view mthp = "mthp-";
  const std::size_t kb = name.substr(0, mthp.size()) == mthp
                             ? size_kb_of_dir("hugepages-" + std::string(name.substr(mthp.size())))
                             : 0;
  if (kb >= 8 && kb < kPmdKb && (kb & (kb - 1)) == 0) return {NativeLayout::Kind::mthp, kb * 1024};
  throw NativeError("unknown native layout '" + std::string(name) +
                    "' (expected 4k, thp or mthp-<size>kB with a power-of-two size from 8 to " +
                    std::to_string(kPmdKb / 2) + ")");
}

LayoutPlan plan_layout(const NativeLayout& layout, const std::string& thp_sysfs_dir) {
  const ThpKnobs knobs = read_knobs(thp_sysfs_dir);
  LayoutPlan plan;
  plan.availability.layout = layout.name();
  if (layout.kind == NativeLayout::Kind::base_pages) {
    // Without THP in the kernel, MADV_NOHUGEPAGE is EINVAL; there is nothing to opt out of.
    plan.availability.usable = true;
    plan.advice = knobs.top.empty() ? LayoutAdvice::none : LayoutAdvice::nohugepage;
    return plan;
  }
  return plan_folio_size(knobs, layout.folio_bytes / 1024, plan);
}

std::vector<LayoutAvailability> list_layouts(const std::string& thp_sysfs_dir) {
  const ThpKnobs knobs = read_knobs(thp_sysfs_dir);
  std::vector<LayoutAvailability> out;
  LayoutPlan plan;
  plan.availability = {"4k", true, ""};
  out.push_back(plan.availability);
  plan.availability = {"thp", false, ""};
  out.push_back(plan_folio_size(knobs, kPmdKb, plan).availability);
  for (const auto& [kb, mode] : knobs.per_size) {
    if (kb >= kPmdKb) continue;
    const NativeLayout layout{NativeLayout::Kind::mthp, kb * 1024};
    plan.availability = {layout.name(), false, ""};
    out.push_back(plan_folio_size(knobs, kb, plan).availability);
  }
  return out;
}

}  // namespace ptebench::native
