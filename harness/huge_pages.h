// Transparent huge pages for large allocations (README, Speed). On a VM the first touch of a
// 4 KiB page is dear (compare of 2 x 1,000,000 rows took 44,000 page faults on the development
// VM, 2026-12-02); a 2 MiB page is one fault where 512 were. Most kernels ship THP in "madvise"
// mode (this VM: /sys/kernel/mm/transparent_hugepage/enabled is "always [madvise] never"), so a
// region gets huge pages only when asked.
#pragma once

#include <cstddef>
#include <span>

namespace ptebench {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// Advises the kernel to back the whole 2 MiB pages inside [start, start + bytes) with
// transparent huge pages (madvise MADV_HUGEPAGE), best effort: call before the memory is first
// touched. Returns the pages advised: empty for a region holding no whole 2 MiB page, or where
// the kernel has no THP (with THP "never" the advice is taken and has no effect).
std::span<std::byte> advise_huge_pages(void* start, std::size_t bytes);

}  // namespace ptebench
