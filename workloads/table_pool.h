// Page-table pages, allocated like the kernel's (one zeroed page per table, pte_alloc_one())
// from a pool sized up front, so that a walker that allocates tables (copy_range allocates the
// child's, once per PMD as copy_pte_range() does) never calls malloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "workloads/check.h"
#include "workloads/codegen_ns.h"
#include "workloads/fresh_memory.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

class TablePool {
 public:
  // `slots` tables of `slot_bytes` each (a multiple of 4096), all page-aligned.
  TablePool(std::size_t slots, std::size_t slot_bytes)
      : slot_bytes_(slot_bytes), capacity_(slots), arena_(slots * slot_bytes) {
    PTEBENCH_CHECK(slot_bytes % 4096 == 0 && slots > 0, "table slots are whole pages");
    free_.reserve(slots);
    for (std::size_t i = slots; i-- > 0;) free_.push_back(arena_.data() + i * slot_bytes);
  }
  TablePool(const TablePool&) = delete;
  TablePool& operator=(const TablePool&) = delete;

  // pte_alloc_one()/pmd_alloc_one(): a zeroed table. Running out is an invariant violation:
  // the pool is sized for the worst case of the layout.
  void* alloc() {
    PTEBENCH_CHECK(!free_.empty(), "page-table pool sized for the layout");
    void* t = free_.back();
    free_.pop_back();
    std::memset(t, 0, slot_bytes_);
    return t;
  }
  // pte_free()/pmd_free(): back to the pool (never grows: capacity was reserved).
  void free(void* table) { free_.push_back(static_cast<std::byte*>(table)); }

  std::size_t in_use() const { return capacity_ - free_.size(); }
  std::size_t slot_bytes() const { return slot_bytes_; }

 private:
  std::size_t slot_bytes_;
  std::size_t capacity_;
  FreshMemory arena_;  // see fresh_memory.h: new pages each repetition
  std::vector<std::byte*> free_;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
