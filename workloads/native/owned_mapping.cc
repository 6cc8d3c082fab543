#include "workloads/native/owned_mapping.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include "workloads/check.h"

namespace ptebench::native {

OwnedMapping::OwnedMapping(OwnedMapping&& other) noexcept
    : range_(std::exchange(other.range_, {})) {}

OwnedMapping& OwnedMapping::operator=(OwnedMapping&& other) noexcept {
  if (this != &other) {
    unmap();
    range_ = std::exchange(other.range_, {});
  }
  return *this;
}

void OwnedMapping::unmap() noexcept {
  if (empty()) return;
  const int rc = ::munmap(data(), range_.size_bytes);
  PTEBENCH_CHECK(rc == 0, "munmap of a range this case mapped");
  range_ = {};
}

OwnedMapping map_anonymous_aligned(std::size_t size_bytes, std::size_t align_bytes,
                                   std::size_t offset_bytes, int prot, MmapFn mmap_fn, int* error) {
  PTEBENCH_CHECK(align_bytes != 0 && (align_bytes & (align_bytes - 1)) == 0,
                 "alignment is a power of two");
  std::size_t padded = 0;
  if (__builtin_add_overflow(size_bytes, align_bytes, &padded) ||
      __builtin_add_overflow(padded, offset_bytes, &padded)) {
    *error = ENOMEM;  // what mmap says for a length beyond the address space
    return {};
  }
  if (mmap_fn == nullptr) mmap_fn = &::mmap;
  void* base = mmap_fn(nullptr, padded, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) {
    *error = errno;
    return {};
  }
  const auto first = reinterpret_cast<std::uintptr_t>(base);
  const std::uintptr_t start = ((first + align_bytes - 1) & ~(align_bytes - 1)) + offset_bytes;
  const std::uintptr_t end = start + size_bytes;
  OwnedMapping head(AddressRange{first, start - first});
  OwnedMapping tail(AddressRange{end, first + padded - end});
  head.unmap();
  tail.unmap();
  return OwnedMapping(AddressRange{start, size_bytes});
}

}  // namespace ptebench::native
