// How the pages of a native case's mapping are backed: `4k` (MADV_NOHUGEPAGE: every PTE maps a
// base page), `thp` (PMD-mapped 2 MiB folios), `mthp-<size>kB` (PTE-mapped large folios of one
// size, Linux 6.8+). Which of them this machine can give is read from the THP sysfs knobs, never
// changed: a layout it cannot give is listed with the reason, to become a SKIP.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::native {

inline constexpr std::size_t kBasePageBytes = 4096;
inline constexpr std::size_t kPmdBytes = std::size_t{2} << 20;  // PMD span with 4 KiB pages
inline constexpr const char* kThpSysfsDir = "/sys/kernel/mm/transparent_hugepage";

struct NativeLayout {
  enum class Kind { base_pages, thp, mthp };
  Kind kind = Kind::base_pages;
  std::size_t folio_bytes = kBasePageBytes;  // 4096, kPmdBytes, or the mTHP size

  // "4k", "thp", "mthp-64kB".
  std::string name() const;
  bool operator==(const NativeLayout&) const = default;
};

// Parses a layout name as name() writes it. Throws NativeError (one line) for anything else,
// including an mTHP size that is not a power of two from 8 kB to below the PMD size.
NativeLayout parse_native_layout(std::string_view name);

// Whether this machine can back a mapping with the layout, and if not, why.
struct LayoutAvailability {
  std::string layout;
  bool usable = false;
  std::string reason;  // empty when usable; else one line, for the SKIP
};

// What a case does to the VMA before populating it so that the kernel picks the layout's folio
// size at fault time.
enum class LayoutAdvice { none, hugepage, nohugepage };

struct LayoutPlan {
  LayoutAvailability availability;
  LayoutAdvice advice = LayoutAdvice::none;
};

// Decides a layout from the knobs under `thp_sysfs_dir`, mirroring thp_vma_allowable_orders()
// (include/linux/huge_mm.h): an order is allowed when its hugepages-<size>kB/enabled is
// `always`; `madvise` and the VMA has VM_HUGEPAGE; or `inherit` and the top-level `enabled` is
// `always`, or `madvise` with VM_HUGEPAGE. The fault path then takes the largest allowed order
// (PMD first, __handle_mm_fault; then alloc_anon_folio), so `mthp-S` is usable only when, with
// MADV_HUGEPAGE or with no advice, S is allowed and no larger size is. Before Linux 6.8 there is
// no per-size directory and the PMD size follows the top-level knob.
LayoutPlan plan_layout(const NativeLayout& layout, const std::string& thp_sysfs_dir = kThpSysfsDir);

// Every layout this kernel knows, usable or not: 4k, thp, then mthp-<size>kB for each
// hugepages-<size>kB directory with an `enabled` knob below the PMD size (the PMD size itself is
// `thp`), ascending.
std::vector<LayoutAvailability> list_layouts(const std::string& thp_sysfs_dir = kThpSysfsDir);

}  // namespace ptebench::native
