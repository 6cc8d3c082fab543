// reclaim_rmap: reclaim's reverse-map young test, mirroring folio_referenced() ->
// folio_referenced_one() (mm/rmap.c) as called from folio_check_references() (mm/vmscan.c).
// Pages are visited in LRU order (LayoutImage::lru_order, a shuffle of the mapped pages); for
// each, the address is computed from the page (vma_address()), the page table is walked from
// the root to its entry (page_vma_mapped_walk()), and the young bit is tested and cleared
// (ptep_clear_flush_young_notify() -> ptep_test_and_clear_young()). A referenced page gets
// PG_referenced (folio_set_referenced() in folio_check_references()).
// Not modelled: the TLB flush of ptep_clear_flush_young() (x86 skips it too), mmu notifiers,
// the anon_vma / i_mmap interval-tree lookup (one VMA maps every page here).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/walkers/mm.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// Returns the number of referenced pages.
template <class F, class Deref>
std::uint64_t reclaim_rmap(Mm<F>& mm, PageArray& pages, const std::vector<std::uint32_t>& lru,
                           std::uint64_t start_addr) {
  std::uint64_t referenced = 0;
  for (const std::uint32_t idx : lru) {
    Page& page = pages.at(idx);
    const std::uint64_t addr = start_addr + std::uint64_t{idx} * kPageSize;  // vma_address()
    typename F::pte_t* pte = mm.pgtable.pte_offset(addr);  // page_vma_mapped_walk()
    if (pte == nullptr) continue;
    const typename F::pte_t ptent = Deref::template get<F>(pte);
    if (!F::present(ptent) || F::pfn(ptent) != pages.base_pfn() + idx) continue;  // check_pte()
    if (Deref::template test_and_clear_young<F>(pte)) {
      ++referenced;
      page.flags.fetch_or(page_flag::kReferenced, std::memory_order_relaxed);
    }
  }
  return referenced;
}

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
