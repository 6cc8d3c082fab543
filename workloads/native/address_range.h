// A range of this process's virtual address space, [start, start + size_bytes).
#pragma once

#include <cstddef>
#include <cstdint>

namespace ptebench::native {

struct AddressRange {
  std::uintptr_t start = 0;
  std::size_t size_bytes = 0;

  std::uintptr_t end() const { return start + size_bytes; }
};

}  // namespace ptebench::native
