// What the kernel did to a range, read back from /proc/self: which pages are present (pagemap),
// how much of the range is mapped (maps), and the smaps totals of the VMAs over it. The tests
// check every native op with these; NativeCase uses smaps to verify that a thp layout got huge
// pages. A /proc file that cannot be read gives a SKIP reason, not an error.
#pragma once

#include <cstddef>
#include <string>

#include "workloads/native/address_range.h"

namespace ptebench::native {

struct PresentScan {
  std::string skip_reason;  // non-empty: the file could not be read, counts are 0
  std::size_t pages = 0;    // 4 KiB pages in the range
  std::size_t present = 0;  // pages whose pagemap entry has bit 63 (present) set
};

// Reads one pagemap entry per 4 KiB page of `range` (range.start page-aligned). The present bit
// needs no privilege (only the PFN field is hidden without CAP_SYS_ADMIN). Reading pagemap does
// not fault pages in.
PresentScan scan_present(AddressRange range,
                         const std::string& pagemap_path = "/proc/self/pagemap");

struct MappedScan {
  std::string skip_reason;
  std::size_t mapped_bytes = 0;  // bytes of the range inside some line of maps
};

MappedScan scan_mapped(AddressRange range, const std::string& maps_path = "/proc/self/maps");

struct SmapsTotals {
  std::string skip_reason;
  std::size_t vmas = 0;  // VMAs that intersect the range
  // Sums over those VMAs, whole (smaps has no finer grain): the range's own VMA when it is not
  // merged with a neighbour — the case for a native mapping, whose madvise flags differ.
  std::size_t rss_bytes = 0;
  std::size_t referenced_bytes = 0;  // young PTE/PMD, or folio young/referenced
  std::size_t anon_huge_bytes = 0;   // PMD-mapped THP
};

SmapsTotals smaps_totals(AddressRange range, const std::string& smaps_path = "/proc/self/smaps");

}  // namespace ptebench::native
