// folio_pte_batch_flags() (mm/internal.h, linux-mm @009857a2): how many consecutive entries from
// ptep map consecutive pages of the same large folio, so that copy, zap and both reclaim walks
// can treat them with one nr-entry helper. Entries 2..nr are read with the policy's ptep_get(),
// stepping by pte_batch_hint() (1 everywhere but arm64 contpte, where a valid-cont entry vouches
// for the rest of its block, which is then not read at all). The kernel's is a static inline,
// inlined into the callers with flags, copy_present_ptes() and walk_pte_range(); the callers
// without, zap_present_ptes() and folio_referenced_one(), call folio_pte_batch(), its flagless
// form out of line in mm/util.c (linux-mm @0a1e70b4), as the walkers do below.
#pragma once

#include <cstdint>

#include "workloads/walkers/mm.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// fpb_t flags the walkers use (FPB_MERGE_WRITE, FPB_MERGE_YOUNG_DIRTY); no FPB_RESPECT_*: the
// walkers model private mappings without soft-dirty tracking.
namespace fpb {
inline constexpr unsigned kMergeWrite = 1u << 0;
inline constexpr unsigned kMergeYoungDirty = 1u << 1;
}  // namespace fpb

// __pte_batch_clear_ignored() without FPB_RESPECT_*: dirty, soft-dirty, write and young are
// ignored when comparing entries.
template <class F>
inline typename F::pte_t pte_batch_clear_ignored(typename F::pte_t pte) {
  return F::mkold(F::wrprotect(F::clear_soft_dirty(F::mkclean(pte))));
}

// Returns nr in [1, max_nr]; with the merge flags, ORs write / young / dirty of entries 2..nr
// into *ptentp as the kernel does. Always inlined: the kernel's is a static inline "inlined to
// optimize based on the input parameters" (its comment), one call site per translation unit;
// this template has all of them in one (walkers/instantiate.cc), where GCC kept it out of line
// under the kernel profile (an .isra clone shared by the walkers, outside the code `ptebench
// codegen` compared).
template <class F, class Deref>
__attribute__((always_inline)) inline unsigned folio_pte_batch_flags(
    const PageArray& pages, const Page* folio, typename F::pte_t* ptep, typename F::pte_t* ptentp,
    unsigned max_nr, unsigned flags) {
  using pte_t = typename F::pte_t;
  bool any_writable = false, any_young = false, any_dirty = false;
  pte_t pte = *ptentp;
  // Limit max_nr to the frames left in the folio.
  const std::uint64_t left = pages.pfn_of(folio) + folio->nr_pages - F::pfn(pte);
  if (left < max_nr) max_nr = static_cast<unsigned>(left);
  unsigned nr = Deref::template batch_hint<F>(ptep, pte);
  pte_t expected = pte_batch_clear_ignored<F>(F::advance_pfn(pte, nr));
  ptep += nr;
  while (nr < max_nr) {
    pte = Deref::template get<F>(ptep);  // ptep_get()
    if (pte_batch_clear_ignored<F>(pte) != expected) break;
    if (flags & fpb::kMergeWrite) any_writable |= F::write(pte);
    if (flags & fpb::kMergeYoungDirty) {
      any_young |= F::young(pte);
      any_dirty |= F::dirty(pte);
    }
    const unsigned cur = Deref::template batch_hint<F>(ptep, pte);
    expected = F::advance_pfn(expected, cur);
    ptep += cur;
    nr += cur;
  }
  if (any_writable) *ptentp = F::mkwrite(*ptentp);
  if (any_young) *ptentp = F::mkyoung(*ptentp);
  if (any_dirty) *ptentp = F::mkdirty(*ptentp);
  return nr < max_nr ? nr : max_nr;
}

// folio_pte_batch() (mm/util.c): folio_pte_batch_flags() without flags, the first entry taken by
// value. Out of line and opaque (noipa, as pte_ops.h explains): a call into another translation
// unit, in a kernel built without LTO, so the caller's first read of the entry and the batch's
// reads of the others are compiled apart, and each batch pays a call. `ptebench codegen` and the
// variant table's same-code marks count it with the walkers that call it
// (harness/codegen_diff.h, out_of_line_helpers()).
template <class F, class Deref>
__attribute__((noipa)) unsigned folio_pte_batch(const PageArray& pages, const Page* folio,
                                                typename F::pte_t* ptep, typename F::pte_t pte,
                                                unsigned max_nr) {
  return folio_pte_batch_flags<F, Deref>(pages, folio, ptep, &pte, max_nr, 0);
}

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
