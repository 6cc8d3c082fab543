// copy_range: fork's page-table copy, mirroring copy_pte_range() and copy_present_pte()
// (mm/memory.c) for a private (COW) mapping such as a MAP_PRIVATE anonymous or file mapping.
// Per present entry: the page gains a reference and a mapping (folio_get() +
// folio_try_dup_anon_rmap_pte() / folio_dup_file_rmap_pte()), the child's rss counter rises,
// a writable entry is write-protected in the parent (ptep_set_wrprotect()) and in the child's
// copy, the child's copy is made old (pte_mkold()) and installed (set_pte_at()).
// Not modelled: non-present (swap/migration) entries, the 32-entry cond_resched() break, the
// batching of large folios (folio_pte_batch()), anon-exclusive pinned pages that need a copy.
#pragma once

#include <cstdint>

#include "workloads/walkers/mm.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

template <class F, class Deref>
void copy_range(Mm<F>& dst, Mm<F>& src, PageArray& pages, std::uint64_t addr, std::uint64_t end) {
  using pte_t = typename F::pte_t;
  for_each_pmd(src.pgtable, addr, end, [&](auto* src_pmdp, std::uint64_t a, std::uint64_t next) {
    // copy_pmd_range() -> copy_pte_range(): the child's table is allocated once per PMD.
    pte_t* dst_pte = dst.pgtable.pte_alloc(dst.pgtable.pmd_alloc(a));
    dst_pte += pte_index(a);
    pte_t* src_pte = pte_offset_map<F>(src_pmdp, a);
    Rss rss;  // copy_pte_range() counts into a local rss[] and adds it once (add_mm_rss_vec())
    for (; a != next; a += kPageSize, ++src_pte, ++dst_pte) {
      pte_t pte = Deref::template get<F>(src_pte);  // ptent = ptep_get(src_pte)
      if (F::none(pte)) continue;
      // copy_present_pte()
      if (Page* page = vm_normal_page<F>(pages, pte)) {
        page->refcount.fetch_add(1, std::memory_order_relaxed);  // folio_get()
        page->mapcount.fetch_add(1, std::memory_order_relaxed);  // folio_dup_*_rmap_pte()
        if (page->flags.load(std::memory_order_relaxed) & page_flag::kAnon)
          ++rss.anon;
        else
          ++rss.file;
      }
      // is_cow_mapping(): write-protect both the parent's entry and the child's copy.
      if (F::write(pte)) {
        pte_ops::set_wrprotect<F>(src_pte);
        pte = F::wrprotect(pte);
      }
      pte = F::mkold(pte);
      pte_ops::set<F>(dst_pte, pte);
    }
    dst.rss.anon += rss.anon;
    dst.rss.file += rss.file;
  });
}

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
