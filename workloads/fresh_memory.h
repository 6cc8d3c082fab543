// Memory for a walk's page tables and memmap, mapped from the kernel (mmap) rather than taken
// from malloc, so that the runner decides when a walk gets new physical pages:
//  - within a repetition, a released mapping is parked and the next walk asking for the same size
//    takes it back as the last walk left it: the variants of one case, run back to back, see the
//    same physical placement, so their ratio — the seed question — is not blurred by it;
//  - between repetitions the runner calls release_parked_memory(), so every repetition draws a
//    new placement (cache and TLB reach, and in a VM whether the host backs the pages with huge
//    pages). Placement then varies within a run, where the statistics see it, instead of biasing
//    a whole run as malloc's recycled heap did (the same pages for every walk of the run).
// Always 4 KiB pages (MADV_NOHUGEPAGE), whatever the machine's THP mode, so that two machines, or
// two runs, do not differ in whether the arena happened to get huge pages. Single-threaded, as
// the runner is.
#pragma once

#include <cstddef>

namespace ptebench {

class FreshMemory {
 public:
  // `bytes` > 0, rounded up to whole pages; page-aligned. A new mapping is zero-filled; a reused
  // one holds what the last walk left, so the owner initialises what it hands out, as both do:
  // TablePool::alloc() zeroes each table (pte_alloc_one()), PageArray constructs each page.
  explicit FreshMemory(std::size_t bytes);
  ~FreshMemory();  // parks the mapping for the next walk of this repetition
  FreshMemory(const FreshMemory&) = delete;
  FreshMemory& operator=(const FreshMemory&) = delete;

  std::byte* data() const { return data_; }
  std::size_t size_bytes() const { return size_bytes_; }

 private:
  std::size_t size_bytes_;
  std::byte* data_ = nullptr;
};

// Unmaps every parked mapping: the walks made after this get new physical pages. Returns how many
// mappings it unmapped.
std::size_t release_parked_memory();

// How many mappings are parked now (for tests).
std::size_t parked_memory_count();

}  // namespace ptebench
