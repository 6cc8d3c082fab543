// none_scan: a read-only scan counting empty entries, the per-entry work of pte_range_none()
// (mm/memory.c, choosing an mTHP order in alloc_anon_folio()) and of the none_or_zero count in
// hpage_collapse_scan_pmd() (mm/khugepaged.c). It is the purest measure of the read itself,
// and the loop a compiler vectorises when the read is a plain load (`user` profile only: the
// `kernel` profile forbids SIMD, as the kernel does).
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/walkers/mm.h"
#include "workloads/walkers/walk_state.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// Returns the number of none entries in [addr, end) among populated PTE tables.
template <class F, class Deref>
__attribute__((noinline)) std::uint64_t none_scan(const Mm<F>& mm, std::uint64_t addr,
                                                  std::uint64_t end) {
  std::uint64_t none = 0;
  for_each_pmd(mm.pgtable, addr, end, [&](auto* pmdp, std::uint64_t a, std::uint64_t next) {
    const typename F::pte_t* pte = pte_offset_map<F>(pmdp, a);
    const std::uint64_t n = (next - a) >> kPageShift;
    // A local count, added once per table: `none` is reached through the closure, and a store
    // to it may alias the entries (both are 64-bit integers), so counting into it directly
    // makes the compiler reload the closure and read-modify-write the counter on every entry —
    // two memory operations the kernel's loops do not have, in every variant alike.
    std::uint64_t table_none = 0;
    for (std::uint64_t i = 0; i < n; ++i) table_none += F::none(Deref::template get<F>(pte + i));
    none += table_none;
  });
  return none;
}

// The walker's row (walkers/walker_table.h).
struct NoneScanWalker {
  static constexpr std::string_view kName = "none_scan";
  static constexpr std::string_view kSummary = "read-only scan counting empty entries";
  static constexpr std::string_view kMirrors =
      "the none count of hpage_collapse_scan_pmd (mm/khugepaged.c); not pte_range_none";
  template <class F, class Deref>
  static std::uint64_t run(WalkState<F>& s) {
    return none_scan<F, Deref>(s.src, s.start, s.end);
  }
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
