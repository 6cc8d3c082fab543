// munmap: unmap_vmas() -> zap_pte_range() (zap_range.h), then free_pgtables() (mm/memory.c),
// here PageTable::free_range() for a lone VMA.
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/walkers/walk_state.h"
#include "workloads/walkers/zap_range.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// The walker's row (walkers/walker_table.h).
struct MunmapWalker {
  static constexpr std::string_view kName = "munmap";
  static constexpr std::string_view kSummary = "munmap: zap_range, then free the page tables";
  static constexpr std::string_view kMirrors = "zap_pte_range + free_pgtables (mm/memory.c)";
  template <class F, class Deref>
  static std::uint64_t run(WalkState<F>& s) {
    const std::uint64_t cleared = zap_range<F, Deref>(s.src, s.pages, s.tlb, s.start, s.end);
    const auto freed = s.src.pgtable.free_range(s.start, s.end);  // free_pgtables()
    s.freed.pte += freed.pte;
    s.freed.pmd += freed.pmd;
    s.freed.pud += freed.pud;
    return cleared;
  }
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
