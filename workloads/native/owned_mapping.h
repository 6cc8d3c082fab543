// RAII for the anonymous mappings of a native case: whatever a case has mapped is unmapped when
// its owner goes, on every path, and a range the kernel already took away (munmap, the source of
// mremap) is forgotten instead — unmapping it again could hit someone else's new mapping.
#pragma once

#include <cstddef>
#include <cstdint>

#include "workloads/native/address_range.h"
#include "workloads/native/native_env.h"

namespace ptebench::native {

class OwnedMapping {
 public:
  OwnedMapping() = default;
  explicit OwnedMapping(AddressRange range) noexcept : range_(range) {}
  OwnedMapping(OwnedMapping&& other) noexcept;
  OwnedMapping& operator=(OwnedMapping&& other) noexcept;
  OwnedMapping(const OwnedMapping&) = delete;
  OwnedMapping& operator=(const OwnedMapping&) = delete;
  ~OwnedMapping() { unmap(); }

  bool empty() const { return range_.size_bytes == 0; }
  AddressRange range() const { return range_; }
  char* data() const { return reinterpret_cast<char*>(range_.start); }

  // munmap()s the range now, if any. munmap of a whole mapping we made cannot fail short of a
  // bug, so a failure aborts with a message (the invariant tier).
  void unmap() noexcept;
  // Drops the range without unmapping it: the kernel already removed or moved it.
  void forget() noexcept { range_ = {}; }

 private:
  AddressRange range_;
};

// Maps `size_bytes` of anonymous private memory whose start is `offset_bytes` past a multiple of
// `align_bytes` (a power of two): over-allocates size + align + offset with `mmap_fn` (nullptr:
// ::mmap) and unmaps the head and the tail. On failure returns an empty mapping and sets *error to
// the errno (ENOMEM when the padded length does not fit in size_t).
OwnedMapping map_anonymous_aligned(std::size_t size_bytes, std::size_t align_bytes,
                                   std::size_t offset_bytes, int prot, MmapFn mmap_fn, int* error);

}  // namespace ptebench::native
