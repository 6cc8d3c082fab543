// What the walkers operate on: one simulated mm (page table + rss) and the shared memmap, and
// the per-PMD iteration every range walker starts with.
#pragma once

#include <cstdint>

#include "workloads/codegen_ns.h"
#include "workloads/page.h"
#include "workloads/pagetable.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

template <class F>
struct Mm {
  PageTable<F>& pgtable;
  Rss rss;
};

// vm_normal_page(): the struct page behind a present entry, or nullptr for a special entry
// (VM_PFNMAP, zero page) that has none.
template <class F>
inline Page* vm_normal_page(PageArray& pages, typename F::pte_t pte) {
  if (F::special(pte)) return nullptr;
  Page* page = pages.pfn_to_page(F::pfn(pte));
  PTEBENCH_CHECK(page != nullptr, "a normal entry maps a page of the memmap");
  return page;
}

// The pgd -> pud -> pmd descent of copy_page_range(), zap_page_range_single(),
// walk_page_range() and friends: calls fn(pmdp, addr, next) for each populated PMD entry
// covering [addr, end), with [addr, next) inside one PTE table. Upper-level entries are read
// with READ_ONCE (pXdp_get()) in every variant.
template <class F, class Fn>
inline void for_each_pmd(const PageTable<F>& pt, std::uint64_t addr, std::uint64_t end, Fn&& fn) {
  using entry_t = typename PageTable<F>::entry_t;
  for (std::uint64_t a = addr, anext; a != end; a = anext) {
    anext = addr_end(a, end, kPgdSize);
    entry_t* pud = PageTable<F>::next_table(pt.pgd() + pgd_index(a));
    if (!pud) continue;
    for (std::uint64_t b = a, bnext; b != anext; b = bnext) {
      bnext = addr_end(b, anext, kPudSize);
      entry_t* pmd = PageTable<F>::next_table(pud + pud_index(b));
      if (!pmd) continue;
      for (std::uint64_t c = b, cnext; c != bnext; c = cnext) {
        cnext = addr_end(c, bnext, kPmdSize);
        entry_t* pmdp = pmd + pmd_index(c);
        if (PageTable<F>::next_table(pmdp)) fn(pmdp, c, cnext);
      }
    }
  }
}

// pte_offset_map(): the first entry for `addr` in the PTE table behind a populated PMD entry.
template <class F>
inline typename F::pte_t* pte_offset_map(typename PageTable<F>::entry_t* pmdp, std::uint64_t addr) {
  return reinterpret_cast<typename F::pte_t*>(PageTable<F>::next_table(pmdp)) + pte_index(addr);
}

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
