// The initial state of a synthetic case, computed once from a LayoutSpec (layout.h) and loaded
// into a fresh page table before every timed run. Plain integers only: this header is also
// compiled into the kernel codegen profile, which has no floating point.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/page.h"

namespace ptebench {

struct LayoutImage {
  std::string format;  // x86_64 | arm64
  std::string layout;  // dense | sparse | random | contpte
  std::uint64_t seed = 0;
  std::uint64_t start_addr = 0;  // first virtual address; 2 MiB aligned
  std::uint64_t ptes = 0;        // entries in [start_addr, start_addr + ptes * 4 KiB)
  std::uint64_t base_pfn = 0;    // entry i maps pfn base_pfn + i (special ones: outside memmap)
  std::vector<std::uint64_t> entries;    // initial PTE values, one per entry
  std::vector<std::uint64_t> shadow;     // initial shadow words (x86_64), else empty
  std::vector<PageState> pages;          // initial struct page state, one per entry
  std::vector<std::uint32_t> lru_order;  // indices of mapped pages, in LRU (scan) order
};

}  // namespace ptebench
