#include "workloads/native/native_op.h"

#include <array>
#include <cstddef>

#include "workloads/check.h"

namespace ptebench::native {
namespace {

// The kernel functions are named as of Linux 6.18 (mm/memory.c, mm/madvise.c, mm/mremap.c,
// fs/proc/task_mmu.c). In thp layouts the PMD-level twin runs instead of the PTE loop
// (copy_huge_pmd, zap_huge_pmd, the pmd_trans_huge branch of the madvise and clear_refs walks);
// mremap splits each huge PMD first because its target is not PMD-aligned.
constexpr std::array<NativeOpInfo, 7> kOps = {{
    {NativeOp::fork, "native_fork",
     "the parent's fork() of a process with the mapping written; the child _exits at once and is "
     "reaped untimed",
     "dup_mmap -> copy_page_range -> copy_pte_range -> copy_present_ptes (COW wrprotect, "
     "mapcount/refcount++)"},
    {NativeOp::munmap, "native_munmap", "munmap() of the whole populated mapping",
     "unmap_vmas -> zap_pte_range -> zap_present_ptes, then free_pgtables"},
    {NativeOp::dontneed, "native_dontneed", "madvise(MADV_DONTNEED) of the whole mapping",
     "madvise_dontneed_single_vma -> zap_page_range_single_batched -> zap_pte_range -> "
     "zap_present_ptes (tables kept)"},
    {NativeOp::cold, "native_cold", "madvise(MADV_COLD) of the whole mapping",
     "madvise_cold_or_pageout_pte_range: ptep_test_and_clear_young, folio_deactivate"},
    {NativeOp::pageout, "native_pageout",
     "madvise(MADV_PAGEOUT) of the whole mapping (anon with swap, else clean file pages)",
     "madvise_cold_or_pageout_pte_range: ptep_test_and_clear_young, isolate, reclaim_pages"},
    {NativeOp::clear_refs, "native_clear_refs",
     "write(\"1\") to /proc/self/clear_refs, which walks every VMA of the process",
     "clear_refs_write -> walk_page_range -> clear_refs_pte_range: ptep_test_and_clear_young, "
     "folio_clear_referenced"},
    {NativeOp::mremap, "native_mremap",
     "mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of the whole mapping to a target 4 KiB past a 2 MiB "
     "boundary",
     "move_vma -> move_page_tables -> move_ptes (get_extent() stops every step at the target's "
     "PMD boundary, so no PMD-level move)"},
}};

}  // namespace

std::span<const NativeOpInfo> native_ops() {
  return kOps;
}

const NativeOpInfo& op_info(NativeOp op) {
  const auto index = static_cast<std::size_t>(op);
  PTEBENCH_CHECK(index < kOps.size() && kOps[index].op == op, "kOps is in enumerator order");
  return kOps[index];
}

std::optional<NativeOp> parse_native_op(std::string_view name) {
  for (const NativeOpInfo& info : kOps)
    if (info.name == name) return info.op;
  return std::nullopt;
}

}  // namespace ptebench::native
