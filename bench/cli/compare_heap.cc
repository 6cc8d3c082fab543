#include "bench/cli/compare_heap.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>

#include "harness/huge_pages.h"

namespace ptebench::cli {

std::span<std::byte> prepare_compare_heap(std::uintmax_t input_bytes) {
  // Allocations below 1 GiB come from the heap (not mmap), and up to 1 GiB free at its top is
  // kept (not trimmed).
  ::mallopt(M_MMAP_THRESHOLD, 1 << 30);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (input_bytes < kHugeHeapMinInputBytes) return {};
  const auto bytes = static_cast<std::size_t>(std::min(input_bytes, kHugeHeapMaxBytes));
  // One block of `bytes` grows the heap by that much; freed, it joins the heap's top, which the
  // allocations that follow are carved from.
  void* block = std::malloc(bytes);
  if (block == nullptr) return {};
  const std::span<std::byte> advised = advise_huge_pages(block, bytes);
  std::free(block);
  return advised;
}

}  // namespace ptebench::cli
