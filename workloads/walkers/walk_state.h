// What a walker's table row (walkers/walker_table.h) runs on: the state WalkImpl owns, by
// reference, so that each walker file states its own wiring and WalkImpl needs no per-walker
// code.
#pragma once

#include <cstdint>

#include "workloads/codegen_ns.h"
#include "workloads/layout_image.h"
#include "workloads/walkers/mm.h"
#include "workloads/walkers/mmu_gather.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

template <class F>
struct WalkState {
  Mm<F>& src;  // the mm walked
  Mm<F>& dst;  // copy_range's child
  PageArray& pages;
  MmuGather& tlb;
  const LayoutImage& image;
  std::uint64_t start, end;             // the range
  std::uint32_t gen;                    // MGLRU generation reclaim_walk writes
  typename PageTable<F>::Freed& freed;  // tables munmap freed, summed over runs
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
