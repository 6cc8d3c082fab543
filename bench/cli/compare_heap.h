// compare's heap (README, Speed): compare of 2 x 1,000,000 rows allocates about 180 MiB in
// tables, groups and rows, and on a VM the first touch of each 4 KiB page is what costs: 44,000
// page faults, 21% of them in the default construction of the 100,000 result rows alone (perf
// record -e page-faults, this VM, 2026-12-02), each far dearer than on bare metal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ptebench::cli {

// Inputs of fewer bytes in all get no huge-page heap: tests and small runs are left as they were.
inline constexpr std::uintmax_t kHugeHeapMinInputBytes = std::uintmax_t{64} << 20;
// The most the heap is grown ahead (below compare's trim threshold, 1 GiB, so it is kept).
inline constexpr std::uintmax_t kHugeHeapMaxBytes = std::uintmax_t{768} << 20;

// Before any table is read: keeps freed memory in the heap instead of mapping and unmapping it
// per allocation (the pages one file's table touched serve the next one's), and, for inputs of
// `input_bytes` in all (at least kHugeHeapMinInputBytes), grows the heap by that much (at most
// kHugeHeapMaxBytes) in one step and asks the kernel to back it with transparent huge pages
// (madvise MADV_HUGEPAGE; the growth is address space, not memory, until touched), so a 2 MiB
// page is one fault where 512 were. Where the kernel has no THP, or THP is "never", the advice
// has no effect. Returns the advised whole 2 MiB pages, the heap's free top from which the
// allocations that follow are carved, lowest first; empty where nothing was advised.
std::span<std::byte> prepare_compare_heap(std::uintmax_t input_bytes);

}  // namespace ptebench::cli
