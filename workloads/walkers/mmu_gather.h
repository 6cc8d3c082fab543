// The mmu_gather of the zap walkers (mm/mmu_gather.c): pages queued for freeing after the TLB
// flush.
#pragma once

#include <cstddef>
#include <cstdint>

#include "workloads/codegen_ns.h"
#include "workloads/page.h"
#include "workloads/pagetable.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// struct mmu_gather with one batch of MAX_GATHER_BATCH slots
// ((PAGE_SIZE - sizeof(struct mmu_gather_batch)) / sizeof(void *) = 510 with 4 KiB pages). A
// folio batch of more than one page takes two slots (the encoded page, then nr_pages).
class MmuGather {
 public:
  static constexpr std::size_t kMaxGatherBatch = 510;

  // __tlb_remove_folio_pages(): queue nr pages of a folio; true when the batch is full and must
  // be flushed.
  bool remove_folio_pages(Page* folio, unsigned nr) {
    batch_[nr_] = {folio, nr};
    nr_ += 1;
    slots_ += nr > 1 ? 2 : 1;
    return slots_ + 2 > kMaxGatherBatch;
  }
  // tlb_remove_tlb_entries(): widen the range to flush.
  void remove_tlb_entries(std::uint64_t addr, unsigned nr) {
    if (addr < start_) start_ = addr;
    if (addr + nr * kPageSize > end_) end_ = addr + nr * kPageSize;
  }
  // tlb_flush_mmu(): the TLB flush itself is the hardware's; then free_pages_and_swap_cache()
  // drops the gathered references (folio_put_refs()), freeing folios that reach zero.
  void flush() {
    for (std::size_t i = 0; i < nr_; ++i) {
      const std::int32_t refs = static_cast<std::int32_t>(batch_[i].nr);
      if (batch_[i].folio->refcount.fetch_sub(refs, std::memory_order_acq_rel) == refs)
        batch_[i].folio->flags.fetch_or(page_flag::kFreed, std::memory_order_relaxed);
    }
    nr_ = 0;
    slots_ = 0;
    ++flushes_;
  }
  std::uint64_t flushes() const { return flushes_; }

 private:
  struct Entry {
    Page* folio;
    unsigned nr;
  };
  Entry batch_[kMaxGatherBatch];
  std::size_t nr_ = 0;
  std::size_t slots_ = 0;
  std::uint64_t start_ = ~std::uint64_t{0};
  std::uint64_t end_ = 0;
  std::uint64_t flushes_ = 0;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
