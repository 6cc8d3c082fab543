// zap_range: unmapping a range, mirroring zap_pte_range() / zap_present_ptes() (mm/memory.c)
// with an mmu_gather (mm/mmu_gather.c). Per present entry: ptep_get_and_clear_full(); for a
// file-backed page the cleared entry's dirty state dirties the page (folio_mark_dirty()) and
// its young state marks it accessed (folio_mark_accessed()) — the kernel does both only for
// !folio_test_anon() folios; the rss counter drops, the mapping goes (folio_remove_rmap_pte()),
// and the page joins the gather batch (__tlb_remove_page()); a full batch is flushed
// (tlb_flush_mmu() -> free_pages_and_swap_cache()), dropping one reference per page.
// MADV_DONTNEED is this alone; munmap adds free_pgtables() (PageTable::free_range()).
// Not modelled: swap and migration entries, uffd-wp markers, delayed rmap removal.
#pragma once

#include <cstddef>
#include <cstdint>

#include "workloads/walkers/mm.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// struct mmu_gather with one batch of MAX_GATHER_BATCH pages
// ((PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(void *) = 510 with 4 KiB pages).
class MmuGather {
 public:
  static constexpr std::size_t kMaxGatherBatch = 510;

  // __tlb_remove_page(): queue the page; true when the batch is full and must be flushed.
  bool remove_page(Page* page) {
    batch_[nr_++] = page;
    return nr_ == kMaxGatherBatch;
  }
  // tlb_remove_tlb_entry(): widen the range to flush.
  void remove_tlb_entry(std::uint64_t addr) {
    if (addr < start_) start_ = addr;
    if (addr + kPageSize > end_) end_ = addr + kPageSize;
  }
  // tlb_flush_mmu(): the TLB flush itself is the hardware's; then free_pages_and_swap_cache()
  // drops the gathered references (folio_put_refs()), freeing pages that reach zero.
  void flush() {
    for (std::size_t i = 0; i < nr_; ++i) {
      if (batch_[i]->refcount.fetch_sub(1, std::memory_order_acq_rel) == 1)
        batch_[i]->flags.fetch_or(page_flag::kFreed, std::memory_order_relaxed);
    }
    nr_ = 0;
    ++flushes_;
  }
  std::uint64_t flushes() const { return flushes_; }

 private:
  Page* batch_[kMaxGatherBatch];
  std::size_t nr_ = 0;
  std::uint64_t start_ = ~std::uint64_t{0};
  std::uint64_t end_ = 0;
  std::uint64_t flushes_ = 0;
};

// Returns the number of entries cleared.
template <class F, class Deref>
std::uint64_t zap_range(Mm<F>& mm, PageArray& pages, MmuGather& tlb, std::uint64_t addr,
                        std::uint64_t end) {
  using pte_t = typename F::pte_t;
  std::uint64_t cleared = 0;
  for_each_pmd(mm.pgtable, addr, end, [&](auto* pmdp, std::uint64_t a, std::uint64_t next) {
    pte_t* pte = pte_offset_map<F>(pmdp, a);
    Rss rss;  // zap_pte_range()'s local rss[], added once per table (add_mm_rss_vec())
    std::uint64_t table_cleared = 0;  // a local count: see none_scan.h
    for (; a != next; a += kPageSize, ++pte) {
      const pte_t ptent = Deref::template get<F>(pte);  // ptent = ptep_get(pte)
      if (F::none(ptent)) continue;
      Page* page = vm_normal_page<F>(pages, ptent);
      const pte_t old = Deref::template get_and_clear<F>(pte);  // ptep_get_and_clear_full()
      tlb.remove_tlb_entry(a);
      ++table_cleared;
      if (!page) continue;
      const std::uint32_t flags = page->flags.load(std::memory_order_relaxed);
      if (!(flags & page_flag::kAnon)) {
        if (F::dirty(old)) page->flags.fetch_or(page_flag::kDirty, std::memory_order_relaxed);
        // folio_mark_accessed() (mm/swap.c): inactive,unreferenced -> inactive,referenced;
        // inactive,referenced -> active,unreferenced; active stays active, referenced.
        if (F::young(old)) {
          if (!(flags & page_flag::kReferenced)) {
            page->flags.fetch_or(page_flag::kReferenced, std::memory_order_relaxed);
          } else if (!(flags & page_flag::kActive)) {
            page->flags.fetch_or(page_flag::kActive, std::memory_order_relaxed);
            page->flags.fetch_and(~page_flag::kReferenced, std::memory_order_relaxed);
          }
        }
        --rss.file;
      } else {
        --rss.anon;
      }
      page->mapcount.fetch_sub(1, std::memory_order_relaxed);  // folio_remove_rmap_pte()
      if (tlb.remove_page(page)) tlb.flush();
    }
    mm.rss.anon += rss.anon;
    mm.rss.file += rss.file;
    cleared += table_cleared;
  });
  tlb.flush();  // tlb_finish_mmu()
  return cleared;
}

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
