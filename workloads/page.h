// The simulated struct page array: one 64-byte entry per page frame, updated by the walkers the
// way the kernel updates struct page / struct folio (atomics where the kernel uses atomics).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "workloads/check.h"
#include "workloads/codegen_ns.h"
#include "workloads/fresh_memory.h"

namespace ptebench {

// Page flag bits (a subset of include/linux/page-flags.h, renumbered).
namespace page_flag {
inline constexpr std::uint32_t kAnon = 1u << 0;        // folio_test_anon()
inline constexpr std::uint32_t kDirty = 1u << 1;       // PG_dirty
inline constexpr std::uint32_t kReferenced = 1u << 2;  // PG_referenced
inline constexpr std::uint32_t kActive = 1u << 3;      // PG_active
inline constexpr std::uint32_t kFreed = 1u << 4;       // refcount dropped to zero
}  // namespace page_flag

// A copy of one page's state, for snapshots and tests. A large folio keeps its state where the
// kernel keeps it, in the folio (its head page): folio_ref_add(), the folio's mapcount
// (_large_mapcount), its flags and generation; a tail page only names its head
// (page->compound_head, here as head_offset) and keeps zero counts.
struct PageState {
  std::uint32_t flags = 0;
  std::int32_t refcount = 0;
  std::int32_t mapcount = 0;      // PTEs that map the folio (the kernel's mapcount)
  std::uint32_t lru_gen = 0;      // MGLRU generation (folio_update_gen())
  std::uint32_t nr_pages = 1;     // folio_nr_pages() on a head or small page; 0 on a tail page
  std::uint32_t head_offset = 0;  // pages back to the folio's head (0 on a head or small page)
  bool operator==(const PageState&) const = default;
};

inline namespace PTEBENCH_CODEGEN_NS {

struct alignas(64) Page {
  std::atomic<std::uint32_t> flags{0};
  std::atomic<std::int32_t> refcount{0};
  std::atomic<std::int32_t> mapcount{0};
  std::atomic<std::uint32_t> lru_gen{0};
  // Read-only during a walk: folio_nr_pages() (on a head; 0 on a tail) and the distance to the
  // head (page->compound_head).
  std::uint32_t nr_pages = 1;
  std::uint32_t head_offset = 0;
  // The rest of the cache line, as struct page's lru, mapping, index and private fields.
  std::uint64_t unused[5] = {};

  void load(const PageState& s) {
    flags.store(s.flags, std::memory_order_relaxed);
    refcount.store(s.refcount, std::memory_order_relaxed);
    mapcount.store(s.mapcount, std::memory_order_relaxed);
    lru_gen.store(s.lru_gen, std::memory_order_relaxed);
    nr_pages = s.nr_pages;
    head_offset = s.head_offset;
  }
  PageState state() const {
    return PageState{flags.load(std::memory_order_relaxed),
                     refcount.load(std::memory_order_relaxed),
                     mapcount.load(std::memory_order_relaxed),
                     lru_gen.load(std::memory_order_relaxed),
                     nr_pages,
                     head_offset};
  }
  // page_folio(): the folio's head page (compound_head()).
  Page* folio() { return this - head_offset; }
  // folio_test_large().
  bool large() const { return nr_pages > 1; }
};
static_assert(sizeof(Page) == 64, "struct page is 64 bytes on 64-bit kernels");

// The page frames [base_pfn, base_pfn + count): the memmap of the simulated machine.
class PageArray {
 public:
  PageArray(std::uint64_t base_pfn, std::size_t count)
      : base_pfn_(base_pfn),
        count_(count),
        memory_(count * sizeof(Page)),
        pages_(reinterpret_cast<Page*>(memory_.data())) {
    std::uninitialized_default_construct_n(pages_, count_);  // the members' initialisers: zero
  }
  ~PageArray() { std::destroy_n(pages_, count_); }
  PageArray(const PageArray&) = delete;
  PageArray& operator=(const PageArray&) = delete;

  // pfn_to_page() for a pfn the layout created; nullptr for a pfn outside the memmap.
  Page* pfn_to_page(std::uint64_t pfn) {
    const std::uint64_t idx = pfn - base_pfn_;
    return idx < count_ ? &pages_[idx] : nullptr;
  }
  Page& at(std::size_t idx) {
    PTEBENCH_CHECK(idx < count_, "page index inside the memmap");
    return pages_[idx];
  }
  const Page& at(std::size_t idx) const {
    PTEBENCH_CHECK(idx < count_, "page index inside the memmap");
    return pages_[idx];
  }
  std::size_t size() const { return count_; }
  std::uint64_t base_pfn() const { return base_pfn_; }
  // page_to_pfn() (folio_pfn() on a head page).
  std::uint64_t pfn_of(const Page* page) const {
    return base_pfn_ + static_cast<std::uint64_t>(page - pages_);
  }

 private:
  std::uint64_t base_pfn_;
  std::size_t count_;
  FreshMemory memory_;  // see fresh_memory.h: new pages each repetition
  Page* pages_;
};

// mm_struct's rss_stat, the two counters the walkers touch (MM_FILEPAGES, MM_ANONPAGES).
struct Rss {
  std::int64_t file = 0;
  std::int64_t anon = 0;
  bool operator==(const Rss&) const = default;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
