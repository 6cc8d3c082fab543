// Walk for one format and one dereference policy: owns the page tables, the memmap and the
// gather batch, loads the layout image in reset() and runs one walker in run(). Included only
// by walkers/instantiate.cc, once per codegen profile.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <tuple>
#include <utility>

#include "workloads/deref.h"
#include "workloads/walk.h"
#include "workloads/walkers/walk_state.h"
#include "workloads/walkers/walker_table.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

template <class F, class Deref>
class WalkImpl final : public Walk {
  using pte_t = typename F::pte_t;

 public:
  WalkImpl(WalkerKind walker, std::shared_ptr<const LayoutImage> image)
      : walker_(walker),
        image_(std::move(image)),
        start_(image_->start_addr),
        end_(image_->start_addr + image_->ptes * kPageSize),
        pte_slots_(pte_tables_for(image_->ptes)),
        upper_pool_(2 * (upper_tables_for(image_->ptes) + 1), kPageSize),
        pte_pool_(2 * pte_slots_, PageTable<F>::kPteTableBytes),
        pages_(image_->base_pfn, image_->ptes),
        src_pt_(upper_pool_, pte_pool_),
        dst_pt_(upper_pool_, pte_pool_),
        src_{src_pt_, {}},
        dst_{dst_pt_, {}},
        tlb_(std::make_unique<MmuGather>()) {
    reset();
  }

  void reset() override {
    dst_pt_.free_range(start_, end_);
    dst_.rss = Rss{};
    freed_ = {};
    result_ = 0;
    ++gen_;
    const std::vector<pte_t>& entries = image_->entries;
    for (std::uint64_t i = 0; i < image_->ptes; i += kPtrsPerTable) {
      const std::uint64_t n = std::min<std::uint64_t>(kPtrsPerTable, image_->ptes - i);
      const std::uint64_t addr = start_ + i * kPageSize;
      const bool any =
          std::any_of(entries.begin() + i, entries.begin() + i + n, [](pte_t e) { return e != 0; });
      pte_t* table = src_pt_.pte_offset(addr);
      if (!any) {
        if (table) src_pt_.free_range(addr, addr + n * kPageSize);
        continue;
      }
      if (!table) table = src_pt_.pte_alloc(src_pt_.pmd_alloc(addr));
      std::memcpy(table, entries.data() + i, n * sizeof(pte_t));
      if constexpr (F::kHasShadow)
        std::memcpy(table + ArchShadow::kShadowOffsetEntries, image_->shadow.data() + i,
                    n * sizeof(pte_t));
    }
    src_.rss = Rss{};
    for (std::uint64_t i = 0; i < image_->ptes; ++i) {
      const PageState& s = image_->pages[i];
      pages_.at(i).load(s);
      // One rss page per mapping entry: a large folio's head carries all of its mappings.
      if (s.mapcount > 0)
        ((s.flags & page_flag::kAnon) ? src_.rss.anon : src_.rss.file) += s.mapcount;
    }
  }

  void run() override {
    WalkState<F> state{src_, dst_, pages_, *tlb_, *image_, start_, end_, gen_, freed_};
    result_ = run_row(state);
  }

  Snapshot snapshot() const override {
    Snapshot s;
    s.entries.resize(image_->ptes);
    if constexpr (F::kHasShadow) s.shadow.resize(image_->ptes);
    const bool copy = walker_ == WalkerKind::copy_range;
    if (copy) s.child_entries.resize(image_->ptes);
    for (std::uint64_t i = 0; i < image_->ptes; ++i) {
      const std::uint64_t addr = start_ + i * kPageSize;
      if (const pte_t* p = src_pt_.pte_offset(addr)) {
        s.entries[i] = *p;
        if constexpr (F::kHasShadow) s.shadow[i] = p[ArchShadow::kShadowOffsetEntries];
      }
      if (copy)
        if (const pte_t* c = dst_pt_.pte_offset(addr)) s.child_entries[i] = *c;
    }
    s.pages.reserve(image_->ptes);
    for (std::uint64_t i = 0; i < image_->ptes; ++i) s.pages.push_back(pages_.at(i).state());
    s.rss_file = src_.rss.file;
    s.rss_anon = src_.rss.anon;
    s.child_rss_file = dst_.rss.file;
    s.child_rss_anon = dst_.rss.anon;
    s.pte_tables = src_pt_.pte_tables();
    s.upper_tables = src_pt_.upper_tables();
    s.freed_pte_tables = freed_.pte;
    s.freed_pmd_tables = freed_.pmd;
    s.freed_pud_tables = freed_.pud;
    s.result = result_;
    return s;
  }

  std::uint64_t ptes() const override { return image_->ptes; }

 private:
  // The row of walkers/walker_table.h whose index is walker_. Each row's walk function (copy_range,
  // zap_range, reclaim_walk, reclaim_rmap, none_scan) is noinline: a walk is a function of its
  // own, as the kernel's is, called once per walk; inlined here, where GCC's choice moves with
  // the walkers' sizes, `ptebench codegen` and the variant table's same-code marks could only
  // compare run() as a whole, every walker together.
  template <std::size_t I = 0>
  std::uint64_t run_row(WalkState<F>& state) {
    if constexpr (I == std::tuple_size_v<Walkers>) {
      PTEBENCH_CHECK(false, "a WalkerKind has a row in walkers/walker_table.h");
      return 0;
    } else {
      if (static_cast<std::size_t>(walker_) == I)
        return std::tuple_element_t<I, Walkers>::template run<F, Deref>(state);
      return run_row<I + 1>(state);
    }
  }
  static std::size_t pte_tables_for(std::uint64_t ptes) {
    return static_cast<std::size_t>((ptes + kPtrsPerTable - 1) / kPtrsPerTable);
  }
  // PMD tables (one per GiB), PUD tables (one per 512 GiB) and the PGD, for a 2 MiB-aligned
  // range: one more of each for a range that straddles a boundary.
  static std::size_t upper_tables_for(std::uint64_t ptes) {
    const std::uint64_t bytes = ptes * kPageSize;
    return static_cast<std::size_t>(bytes / kPudSize + 2 + bytes / kPgdSize + 2 + 1);
  }

  WalkerKind walker_;
  std::shared_ptr<const LayoutImage> image_;
  std::uint64_t start_, end_;
  std::size_t pte_slots_;
  TablePool upper_pool_;
  TablePool pte_pool_;
  PageArray pages_;
  PageTable<F> src_pt_;
  PageTable<F> dst_pt_;
  Mm<F> src_;
  Mm<F> dst_;
  std::unique_ptr<MmuGather> tlb_;
  typename PageTable<F>::Freed freed_;
  std::uint64_t result_ = 0;
  std::uint32_t gen_ = 0;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
