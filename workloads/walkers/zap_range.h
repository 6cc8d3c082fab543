// zap_range: unmapping a range, mirroring zap_pte_range() -> do_zap_pte_range() ->
// zap_present_ptes() -> zap_present_folio_ptes() (mm/memory.c, linux-mm @009857a2) with an
// mmu_gather (mm/mmu_gather.c). Per present entry: vm_normal_page(); an entry without a page is
// cleared alone (ptep_get_and_clear_full()); a large folio is batched (folio_pte_batch(), out of
// line as in mm/util.c), a small one is a batch of 1. A file folio's batch is cleared with
// get_and_clear_full_ptes(nr), whose young and dirty state (ORed over the nr entries) dirties the
// folio (folio_mark_dirty()) and marks it accessed (folio_mark_accessed()); an anon folio's with
// clear_full_ptes(nr), which returns nothing. The rss counter drops by nr, the folio loses nr
// mappings (folio_remove_rmap_ptes()), and joins the gather batch (__tlb_remove_folio_pages()); a
// full batch is flushed (tlb_flush_mmu() -> free_pages_and_swap_cache()), dropping nr references.
// MADV_DONTNEED is this alone; munmap adds free_pgtables() (PageTable::free_range()).
// Not modelled: swap and migration entries, uffd-wp markers, delayed rmap removal, the skip loop
// over runs of none entries (one read per entry either way), chained gather batches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "workloads/walkers/folio_batch.h"
#include "workloads/walkers/mm.h"
#include "workloads/walkers/mmu_gather.h"
#include "workloads/walkers/walk_state.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// folio_mark_accessed() (mm/swap.c): inactive,unreferenced -> inactive,referenced;
// inactive,referenced -> active,unreferenced; active stays active, referenced.
inline void folio_mark_accessed(Page* folio) {
  const std::uint32_t flags = folio->flags.load(std::memory_order_relaxed);
  if (!(flags & page_flag::kReferenced)) {
    folio->flags.fetch_or(page_flag::kReferenced, std::memory_order_relaxed);
  } else if (!(flags & page_flag::kActive)) {
    folio->flags.fetch_or(page_flag::kActive, std::memory_order_relaxed);
    folio->flags.fetch_and(~page_flag::kReferenced, std::memory_order_relaxed);
  }
}

// zap_present_ptes(): returns the number of entries cleared.
// Always inlined: the kernel's is a static function with one call site, which GCC inlines
// (-finline-functions-called-once); a template in a header is not static, so GCC would weigh it
// as a general function and keep a call per entry that the kernel does not have.
template <class F, class Deref>
__attribute__((always_inline)) inline unsigned zap_present_ptes(typename F::pte_t* pte,
                                                                typename F::pte_t ptent,
                                                                unsigned max_nr, std::uint64_t addr,
                                                                PageArray& pages, MmuGather& tlb,
                                                                Rss& rss, bool& force_flush) {
  Page* page = vm_normal_page<F>(pages, ptent);
  if (!page) {
    Deref::template get_and_clear_full_ptes<F>(pte, 1);  // ptep_get_and_clear_full()
    tlb.remove_tlb_entries(addr, 1);
    return 1;
  }
  Page* folio = page->folio();  // page_folio()
  unsigned nr = 1;
  if (__builtin_expect(folio->large() && max_nr != 1, 0))
    nr = folio_pte_batch<F, Deref>(pages, folio, pte, ptent, max_nr);
  // zap_present_folio_ptes()
  if (!(folio->flags.load(std::memory_order_relaxed) & page_flag::kAnon)) {
    ptent = Deref::template get_and_clear_full_ptes<F>(pte, nr);
    if (F::dirty(ptent)) folio->flags.fetch_or(page_flag::kDirty, std::memory_order_relaxed);
    if (F::young(ptent)) folio_mark_accessed(folio);
    rss.file -= nr;
  } else {
    Deref::template clear_full_ptes<F>(pte, nr);  // "We don't need up-to-date accessed/dirty bits."
    rss.anon -= nr;
  }
  tlb.remove_tlb_entries(addr, nr);
  folio->mapcount.fetch_sub(static_cast<std::int32_t>(nr), std::memory_order_relaxed);
  if (tlb.remove_folio_pages(folio, nr)) force_flush = true;
  return nr;
}

// Returns the number of entries cleared.
template <class F, class Deref>
__attribute__((noinline)) std::uint64_t zap_range(Mm<F>& mm, PageArray& pages, MmuGather& tlb,
                                                  std::uint64_t addr, std::uint64_t end) {
  using pte_t = typename F::pte_t;
  std::uint64_t cleared = 0;
  for_each_pmd(mm.pgtable, addr, end, [&](auto* pmdp, std::uint64_t a, std::uint64_t next) {
    pte_t* pte = pte_offset_map<F>(pmdp, a);
    Rss rss;  // zap_pte_range()'s local rss[], added once per table (add_mm_rss_vec())
    std::uint64_t table_cleared = 0;  // a local count: see none_scan.h
    unsigned nr;
    for (; a != next; a += nr * kPageSize, pte += nr) {
      nr = 1;
      const pte_t ptent = Deref::template get<F>(pte);  // ptent = ptep_get(pte)
      if (F::none(ptent)) continue;
      bool force_flush = false;
      const unsigned max_nr = static_cast<unsigned>((next - a) >> kPageShift);
      nr = zap_present_ptes<F, Deref>(pte, ptent, max_nr, a, pages, tlb, rss, force_flush);
      table_cleared += nr;
      if (force_flush) tlb.flush();
    }
    mm.rss.anon += rss.anon;
    mm.rss.file += rss.file;
    cleared += table_cleared;
  });
  tlb.flush();  // tlb_finish_mmu()
  return cleared;
}

// The walker's row (walkers/walker_table.h).
struct ZapRangeWalker {
  static constexpr std::string_view kName = "zap_range";
  static constexpr std::string_view kSummary = "MADV_DONTNEED: clear every entry, batch page frees";
  static constexpr std::string_view kMirrors = "zap_pte_range/zap_present_ptes (mm/memory.c)";
  template <class F, class Deref>
  static std::uint64_t run(WalkState<F>& s) {
    return zap_range<F, Deref>(s.src, s.pages, s.tlb, s.start, s.end);
  }
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
