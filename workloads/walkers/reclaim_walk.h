// reclaim_walk: MGLRU's linear page-table scan, mirroring walk_pte_range() (mm/vmscan.c).
// Per entry: ptent = ptep_get(); entries without a normal page (get_pte_pfn(): not present,
// special) and old entries are skipped; a young entry is test-and-cleared
// (ptep_test_and_clear_young()), a dirty one dirties a file page (folio_mark_dirty(); the kernel
// skips swap-backed anon folios not in the swap cache), and the page is promoted to the
// youngest generation (folio_update_gen()).
// Not modelled: the Bloom filter of PMDs, memcg and node checks in get_pfn_folio(), the batched
// generation-size updates.
#pragma once

#include <cstdint>

#include "workloads/walkers/mm.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// Returns the number of young entries found (walk->mm_stats[MM_LEAF_YOUNG]).
template <class F, class Deref>
std::uint64_t reclaim_walk(Mm<F>& mm, PageArray& pages, std::uint64_t addr, std::uint64_t end,
                           std::uint32_t new_gen) {
  using pte_t = typename F::pte_t;
  std::uint64_t young = 0;
  for_each_pmd(mm.pgtable, addr, end, [&](auto* pmdp, std::uint64_t a, std::uint64_t next) {
    pte_t* pte = pte_offset_map<F>(pmdp, a);
    std::uint64_t table_young = 0;  // a local count: see none_scan.h
    for (; a != next; a += kPageSize, ++pte) {
      const pte_t ptent = Deref::template get<F>(pte);
      if (!F::present(ptent) || F::special(ptent)) continue;  // get_pte_pfn() == -1
      if (!F::young(ptent)) continue;
      Page* page = vm_normal_page<F>(pages, ptent);  // get_pfn_folio()
      Deref::template test_and_clear_young<F>(pte);
      ++table_young;
      const std::uint32_t flags = page->flags.load(std::memory_order_relaxed);
      if (F::dirty(ptent) && !(flags & page_flag::kDirty) && !(flags & page_flag::kAnon))
        page->flags.fetch_or(page_flag::kDirty, std::memory_order_relaxed);
      // folio_update_gen(): move the folio to the youngest generation.
      page->lru_gen.store(new_gen, std::memory_order_relaxed);
    }
    young += table_young;
  });
  return young;
}

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
