// reclaim_rmap: reclaim's reverse-map young test, mirroring folio_referenced() ->
// folio_referenced_one() (mm/rmap.c, linux-mm @0014dde7) with page_vma_mapped_walk()
// (mm/page_vma_mapped.c) and the MGLRU-off path, as called from folio_check_references()
// (mm/vmscan.c). Folios are visited in LRU order (LayoutImage::lru_order, a shuffle of the
// mapped folios, each listed once by its head page); for each, the address is computed
// (vma_address()), the page table is walked from the root (page_vma_mapped_walk()'s descent),
// and each entry of the folio's range is checked (check_pte(): ptep_get(), present, mapping a
// frame of the folio). A large folio's entry is batched (folio_pte_batch(), out of line as in
// mm/util.c, on a second ptep_get() of the same entry, as the kernel passes ptep_get(pvmw.pte));
// the batch's young bits are tested and cleared (clear_flush_young_ptes(nr)), and the walk ends
// once all the folio's pages were seen. A referenced folio gets PG_referenced
// (folio_set_referenced() in folio_check_references()).
// Not modelled: map_pte()'s ptep_get_lockless() and the PTL taken before check_pte(), the TLB
// flush of ptep_clear_flush_young() (x86 skips it too), mmu notifiers, the anon_vma / i_mmap
// interval-tree lookup (one VMA maps every page here), lru_gen_look_around().
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "workloads/walkers/folio_batch.h"
#include "workloads/walkers/mm.h"
#include "workloads/walkers/walk_state.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// check_pte() inside page_vma_mapped_walk() (mm/page_vma_mapped.c): ptep_get(), then present
// and mapping a frame of the folio. Out of line, as page_vma_mapped_walk() is in the kernel: the
// caller's later ptep_get(pvmw.pte) of the same entry cannot merge with this read under any
// policy (the kernel's two reads sit in two functions). noipa: see pte_ops.h
// x86_test_and_clear_young().
template <class F, class Deref>
__attribute__((noipa)) bool check_pte(const typename F::pte_t* pte, std::uint64_t folio_pfn,
                                      unsigned nr_pages) {
  const typename F::pte_t ptent = Deref::template get<F>(pte);
  const std::uint64_t pfn = F::pfn(ptent);
  return F::present(ptent) && pfn >= folio_pfn && pfn < folio_pfn + nr_pages;
}

// page_vma_mapped_walk()'s descent from the root to the folio's first entry: out of line, as the
// kernel's page_vma_mapped_walk() is (mm/page_vma_mapped.c), so that the caller's inlining
// decisions cannot differ between policies over it.
template <class F>
__attribute__((noipa)) typename F::pte_t* pvmw_descend(const PageTable<F>& pt, std::uint64_t addr) {
  return pt.pte_offset(addr);
}

// Returns the number of referenced folios.
template <class F, class Deref>
__attribute__((noinline)) std::uint64_t reclaim_rmap(Mm<F>& mm, PageArray& pages,
                                                     const std::vector<std::uint32_t>& lru,
                                                     std::uint64_t start_addr,
                                                     std::uint64_t end_addr) {
  std::uint64_t referenced = 0;
  for (const std::uint32_t idx : lru) {
    Page& folio = pages.at(idx);
    const std::uint64_t addr = start_addr + std::uint64_t{idx} * kPageSize;  // vma_address()
    typename F::pte_t* pte = pvmw_descend<F>(mm.pgtable, addr);  // page_vma_mapped_walk()
    if (pte == nullptr) continue;
    const std::uint64_t folio_pfn = pages.base_pfn() + idx;
    const unsigned nr_pages = folio.nr_pages;
    // max_nr: to the end of the PMD or the VMA, whichever is first.
    const std::uint64_t pmd_end = addr_end(addr, end_addr, kPmdSize);
    unsigned ptes = 0;
    bool young = false;
    for (unsigned i = 0; i < nr_pages;) {
      if (!check_pte<F, Deref>(pte + i, folio_pfn, nr_pages)) {
        ++i;
        continue;
      }
      unsigned nr = 1;
      if (__builtin_expect(folio.large(), 0)) {
        typename F::pte_t pteval = Deref::template get<F>(pte + i);  // ptep_get(pvmw.pte)
        const unsigned max_nr = static_cast<unsigned>((pmd_end - addr) >> kPageShift) - i;
        nr = folio_pte_batch<F, Deref>(pages, &folio, pte + i, pteval, max_nr);
      }
      if (Deref::template clear_flush_young_ptes<F>(pte + i, nr)) young = true;
      ptes += nr;
      if (ptes == nr_pages) break;  // the whole folio was batched
      i += nr;
    }
    if (young) {
      ++referenced;
      folio.flags.fetch_or(page_flag::kReferenced, std::memory_order_relaxed);
    }
  }
  return referenced;
}

// The walker's row (walkers/walker_table.h).
struct ReclaimRmapWalker {
  static constexpr std::string_view kName = "reclaim_rmap";
  static constexpr std::string_view kSummary =
      "reclaim: per folio in LRU order, walk from the root, test-and-clear young";
  static constexpr std::string_view kMirrors = "folio_referenced_one (mm/rmap.c)";
  template <class F, class Deref>
  static std::uint64_t run(WalkState<F>& s) {
    return reclaim_rmap<F, Deref>(s.src, s.pages, s.image.lru_order, s.start, s.end);
  }
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
