// copy_range: fork's page-table copy, mirroring copy_pte_range() -> copy_present_ptes() ->
// __copy_present_ptes() (mm/memory.c, linux-mm @009857a2) for a private (COW) mapping such as a
// MAP_PRIVATE anonymous or file mapping.
// Per present entry: vm_normal_page() and page_folio(); a large folio is batched
// (folio_pte_batch_flags(FPB_MERGE_WRITE)) and gains nr references and mappings at once
// (folio_ref_add(), folio_try_dup_anon_rmap_ptes() / folio_dup_file_rmap_ptes()), a small one
// gains one (folio_get(), ..._rmap_pte()); the child's rss rises by nr; a writable entry is
// write-protected in the parent (wrprotect_ptes(nr)) and in the child's copy, which is made old
// (pte_mkold()) and installed for all nr entries at once (set_ptes(nr)).
// Not modelled: non-present (swap/migration) entries, the cond_resched() break every 32 units
// of progress, anon-exclusive pinned pages that need a copy, the PTL.
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/walkers/folio_batch.h"
#include "workloads/walkers/mm.h"
#include "workloads/walkers/walk_state.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// __copy_present_ptes().
template <class F, class Deref>
inline void copy_present_ptes_nr(typename F::pte_t* dst_pte, typename F::pte_t* src_pte,
                                 typename F::pte_t pte, unsigned nr) {
  if (F::write(pte)) {  // is_cow_mapping() && pte_write()
    Deref::template wrprotect_ptes<F>(src_pte, nr);
    pte = F::wrprotect(pte);
  }
  pte = F::mkold(pte);
  Deref::template set_ptes<F>(dst_pte, pte, nr);
}

// copy_present_ptes(): returns the number of entries copied.
// Always inlined: the kernel's is a static function with one call site, which GCC inlines
// (-finline-functions-called-once); a template in a header is not static, so GCC would weigh it
// as a general function and keep a call per entry that the kernel does not have.
template <class F, class Deref>
__attribute__((always_inline)) inline unsigned copy_present_ptes(typename F::pte_t* dst_pte,
                                                                 typename F::pte_t* src_pte,
                                                                 typename F::pte_t pte,
                                                                 unsigned max_nr, PageArray& pages,
                                                                 Rss& rss) {
  Page* page = vm_normal_page<F>(pages, pte);
  if (!page) {
    copy_present_ptes_nr<F, Deref>(dst_pte, src_pte, pte, 1);
    return 1;
  }
  Page* folio = page->folio();  // page_folio()
  unsigned nr = 1;
  if (__builtin_expect(folio->large() && max_nr != 1, 0))
    nr = folio_pte_batch_flags<F, Deref>(pages, folio, src_pte, &pte, max_nr, fpb::kMergeWrite);
  folio->refcount.fetch_add(static_cast<std::int32_t>(nr), std::memory_order_relaxed);
  folio->mapcount.fetch_add(static_cast<std::int32_t>(nr), std::memory_order_relaxed);
  if (folio->flags.load(std::memory_order_relaxed) & page_flag::kAnon)
    rss.anon += nr;
  else
    rss.file += nr;
  copy_present_ptes_nr<F, Deref>(dst_pte, src_pte, pte, nr);
  return nr;
}

template <class F, class Deref>
__attribute__((noinline)) void copy_range(Mm<F>& dst, Mm<F>& src, PageArray& pages,
                                          std::uint64_t addr, std::uint64_t end) {
  using pte_t = typename F::pte_t;
  for_each_pmd(src.pgtable, addr, end, [&](auto* src_pmdp, std::uint64_t a, std::uint64_t next) {
    // copy_pmd_range() -> copy_pte_range(): the child's table is allocated once per PMD.
    pte_t* dst_pte = dst.pgtable.pte_alloc(dst.pgtable.pmd_alloc(a));
    dst_pte += pte_index(a);
    pte_t* src_pte = pte_offset_map<F>(src_pmdp, a);
    Rss rss;  // copy_pte_range() counts into a local rss[] and adds it once (add_mm_rss_vec())
    unsigned nr;
    for (; a != next; a += nr * kPageSize, src_pte += nr, dst_pte += nr) {
      nr = 1;
      const pte_t ptent = Deref::template get<F>(src_pte);  // ptent = ptep_get(src_pte)
      if (F::none(ptent)) continue;
      const unsigned max_nr = static_cast<unsigned>((next - a) >> kPageShift);
      nr = copy_present_ptes<F, Deref>(dst_pte, src_pte, ptent, max_nr, pages, rss);
    }
    dst.rss.anon += rss.anon;
    dst.rss.file += rss.file;
  });
}

// The walker's row (walkers/walker_table.h).
struct CopyRangeWalker {
  static constexpr std::string_view kName = "copy_range";
  static constexpr std::string_view kSummary = "fork: copy every entry to a child, COW-protect";
  static constexpr std::string_view kMirrors = "copy_pte_range/copy_present_ptes (mm/memory.c)";
  template <class F, class Deref>
  static std::uint64_t run(WalkState<F>& s) {
    copy_range<F, Deref>(s.dst, s.src, s.pages, s.start, s.end);
    return static_cast<std::uint64_t>(s.dst.rss.anon + s.dst.rss.file);
  }
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
