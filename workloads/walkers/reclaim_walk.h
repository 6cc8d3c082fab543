// reclaim_walk: MGLRU's linear page-table scan, mirroring walk_pte_range() (mm/vmscan.c,
// linux-mm @000fc868).
// Per entry: ptent = ptep_get(); entries without a normal page (get_pte_pfn(): not present,
// special) and old entries are skipped; a large folio is batched
// (folio_pte_batch_flags(FPB_MERGE_YOUNG_DIRTY)), a small one is a batch of 1; the batch is
// test-and-cleared (test_and_clear_young_ptes(nr)) and skipped unless it was young; a dirty
// batch dirties a file folio (walk_update_folio() -> folio_mark_dirty(); the kernel skips
// swap-backed anon folios not in the swap cache), and the folio moves to the youngest
// generation (folio_update_gen()).
// Not modelled: the Bloom filter of PMDs, memcg and node checks in get_pfn_folio(), mmu
// notifiers, the deferral of walk_update_folio() until the folio changes (the same count of
// updates here, where a batch covers its folio), the batched generation-size updates.
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/walkers/folio_batch.h"
#include "workloads/walkers/mm.h"
#include "workloads/walkers/walk_state.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// Returns the number of young entries found (walk->mm_stats[MM_LEAF_YOUNG]).
template <class F, class Deref>
__attribute__((noinline)) std::uint64_t reclaim_walk(Mm<F>& mm, PageArray& pages,
                                                     std::uint64_t addr, std::uint64_t end,
                                                     std::uint32_t new_gen) {
  using pte_t = typename F::pte_t;
  std::uint64_t young = 0;
  for_each_pmd(mm.pgtable, addr, end, [&](auto* pmdp, std::uint64_t a, std::uint64_t next) {
    pte_t* pte = pte_offset_map<F>(pmdp, a);
    std::uint64_t table_young = 0;  // a local count: see none_scan.h
    unsigned nr;
    for (; a != next; a += nr * kPageSize, pte += nr) {
      nr = 1;
      pte_t ptent = Deref::template get<F>(pte);              // ptent = ptep_get(cur_pte)
      if (!F::present(ptent) || F::special(ptent)) continue;  // get_pte_pfn() == -1
      if (!F::young(ptent)) continue;
      Page* folio = vm_normal_page<F>(pages, ptent)->folio();  // get_pfn_folio()
      if (__builtin_expect(folio->large(), 0)) {
        const unsigned max_nr = static_cast<unsigned>((next - a) >> kPageShift);
        nr = folio_pte_batch_flags<F, Deref>(pages, folio, pte, &ptent, max_nr,
                                             fpb::kMergeYoungDirty);
      }
      if (!Deref::template test_and_clear_young_ptes<F>(pte, nr)) continue;
      table_young += nr;
      // walk_update_folio()
      const std::uint32_t flags = folio->flags.load(std::memory_order_relaxed);
      if (F::dirty(ptent) && !(flags & page_flag::kDirty) && !(flags & page_flag::kAnon))
        folio->flags.fetch_or(page_flag::kDirty, std::memory_order_relaxed);
      folio->lru_gen.store(new_gen, std::memory_order_relaxed);  // folio_update_gen()
    }
    young += table_young;
  });
  return young;
}

// The walker's row (walkers/walker_table.h).
struct ReclaimWalkWalker {
  static constexpr std::string_view kName = "reclaim_walk";
  static constexpr std::string_view kSummary =
      "MGLRU aging: linear scan, test-and-clear young, update the generation";
  static constexpr std::string_view kMirrors = "walk_pte_range (mm/vmscan.c)";
  template <class F, class Deref>
  static std::uint64_t run(WalkState<F>& s) {
    return reclaim_walk<F, Deref>(s.src, s.pages, s.start, s.end, s.gen);
  }
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
