// Memory for one walk's page tables and memmap, mapped fresh from the kernel (mmap) when the
// walk is made and unmapped (munmap) when it goes — never from malloc, which would hand every
// walk of a run the same recycled heap, and so the same physical pages. The walks of a case are
// built anew each repetition, so each repetition draws its own physical placement: placement
// (cache and TLB reach, and in a VM whether the host backs the pages with huge pages) then
// varies within a run, where the statistics see it, instead of biasing a whole run. Measured on
// the development VM (quick suites of one build, ns_per_pte, 5% injected into one case): with
// the heap, 2 of 2 comparisons missed the injected case and flagged 4 and 8 untouched ones; with
// fresh mappings, 2 of 2 flagged it and no untouched synthetic case (one native case, which this
// does not touch, once). Run-to-run drift of case medians stayed about the same (median 1-2%);
// reclaim_rmap at 262144 entries, whose random walks are TLB-bound, now varies within a run
// about as much as between runs (up to 40-80%).
//
// Always 4 KiB pages (MADV_NOHUGEPAGE), whatever the machine's THP mode, so that two machines,
// or two runs, do not differ in whether the arena happened to get huge pages.
#pragma once

#include <sys/mman.h>

#include <cstddef>

#include "workloads/check.h"

namespace ptebench {

class FreshMemory {
 public:
  // `bytes` > 0, rounded up to whole pages; zero-filled, page-aligned.
  explicit FreshMemory(std::size_t bytes) : size_bytes_((bytes + 4095) & ~std::size_t{4095}) {
    PTEBENCH_CHECK(bytes > 0, "a non-empty mapping");
    void* p =
        ::mmap(nullptr, size_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    PTEBENCH_CHECK(p != MAP_FAILED, "walk memory mapped");
    // Advice only: a kernel without THP refuses it, and then there are no huge pages anyway.
    (void)::madvise(p, size_bytes_, MADV_NOHUGEPAGE);
    data_ = static_cast<std::byte*>(p);
  }
  ~FreshMemory() { ::munmap(data_, size_bytes_); }
  FreshMemory(const FreshMemory&) = delete;
  FreshMemory& operator=(const FreshMemory&) = delete;

  std::byte* data() const { return data_; }
  std::size_t size_bytes() const { return size_bytes_; }

 private:
  std::size_t size_bytes_;
  std::byte* data_ = nullptr;
};

}  // namespace ptebench
