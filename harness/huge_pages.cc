#include "harness/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace ptebench {

std::span<std::byte> advise_huge_pages(void* start, std::size_t bytes) {
  const auto begin = reinterpret_cast<std::uintptr_t>(start);
  const std::uintptr_t first = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePageBytes - 1);
  if (start == nullptr || last <= first) return {};
  auto* pages = reinterpret_cast<std::byte*>(first);
  if (::madvise(pages, last - first, MADV_HUGEPAGE) != 0) return {};
  return {pages, last - first};
}

}  // namespace ptebench
