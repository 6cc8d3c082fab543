// The x86_64 PTE format (arch/x86/include/asm/pgtable_types.h, pgtable.h), independent of the
// host CPU. Bits: present 0, RW 1, user 2, accessed 5, dirty 6, special 9 (_PAGE_BIT_SOFTW1),
// uffd-wp 10 (SOFTW2), soft-dirty 11 (SOFTW3), PFN 12-51, saved-dirty 58 (SOFTW5), NX 63.
//
// Saved-dirty (_PAGE_SAVED_DIRTY, x86_64 only, for shadow stacks): a read-only entry never
// carries hardware Dirty, which with RW=0 would mean "shadow-stack page". pte_wrprotect() and
// pte_mkdirty() end in pte_mksaveddirty(), which moves Dirty into bit 58 whenever RW is clear;
// pte_dirty() tests both bits (_PAGE_DIRTY_BITS); pte_mkclean() clears both. This is
// unconditional in the code (mksaveddirty_shift(), arch/x86/include/asm/pgtable.h), not gated
// on the CPU feature.
//
// Not modelled: PROT_NONE-as-present (_PAGE_PROTNONE) and the KNL erratum mask in pte_none().
// Neither changes the walkers' per-entry work.
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/codegen_ns.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

struct X86_64 {
  using pte_t = std::uint64_t;
  static constexpr std::string_view kName = "x86_64";

  static constexpr pte_t kPresent = pte_t{1} << 0;
  static constexpr pte_t kRw = pte_t{1} << 1;
  static constexpr pte_t kUser = pte_t{1} << 2;
  static constexpr pte_t kAccessed = pte_t{1} << 5;
  static constexpr pte_t kDirty = pte_t{1} << 6;
  static constexpr pte_t kSpecial = pte_t{1} << 9;
  static constexpr pte_t kUffdWp = pte_t{1} << 10;
  static constexpr pte_t kSoftDirty = pte_t{1} << 11;
  static constexpr pte_t kSavedDirty = pte_t{1} << 58;       // _PAGE_SAVED_DIRTY
  static constexpr pte_t kDirtyBits = kDirty | kSavedDirty;  // _PAGE_DIRTY_BITS
  static constexpr pte_t kNx = pte_t{1} << 63;
  static constexpr int kPfnShift = 12;
  static constexpr pte_t kPfnMask = ((pte_t{1} << 52) - 1) & ~((pte_t{1} << kPfnShift) - 1);
  // Software bits the shadow override hides (see deref.h, ArchShadow).
  static constexpr pte_t kSoftwareBits = kUffdWp | kSoftDirty;

  // x86_64 has no contiguous-PTE hint; its arch override is the shadow (deref.h).
  static constexpr bool kHasContBit = false;
  static constexpr bool kHasShadow = true;

  static constexpr bool none(pte_t p) { return p == 0; }
  static constexpr bool present(pte_t p) { return (p & kPresent) != 0; }
  static constexpr bool young(pte_t p) { return (p & kAccessed) != 0; }
  static constexpr bool dirty(pte_t p) { return (p & kDirtyBits) != 0; }
  static constexpr bool write(pte_t p) { return (p & kRw) != 0; }
  static constexpr bool special(pte_t p) { return (p & kSpecial) != 0; }
  static constexpr bool soft_dirty(pte_t p) { return (p & kSoftDirty) != 0; }
  static constexpr pte_t clear_soft_dirty(pte_t p) { return p & ~kSoftDirty; }
  static constexpr bool cont(pte_t) { return false; }
  static constexpr std::uint64_t pfn(pte_t p) { return (p & kPfnMask) >> kPfnShift; }
  // pte_advance_pfn(): the same entry mapping the frame nr further on.
  static constexpr pte_t advance_pfn(pte_t p, std::uint64_t nr) { return p + (nr << kPfnShift); }

  static constexpr pte_t mkold(pte_t p) { return p & ~kAccessed; }
  static constexpr pte_t mkyoung(pte_t p) { return p | kAccessed; }
  // mksaveddirty_shift(): with RW clear, Dirty moves to saved-dirty (branch-free, as written).
  static constexpr pte_t mksaveddirty(pte_t p) {
    const pte_t cond = (~p >> 1) & 1;  // !RW
    p |= ((p >> 6) & cond) << 58;
    return p & ~(cond << 6);
  }
  // clear_saveddirty_shift(): with RW set, saved-dirty moves back to Dirty.
  static constexpr pte_t clear_saveddirty(pte_t p) {
    const pte_t cond = (p >> 1) & 1;  // RW
    p |= ((p >> 58) & cond) << 6;
    return p & ~(cond << 58);
  }
  static constexpr pte_t mkclean(pte_t p) { return p & ~kDirtyBits; }
  static constexpr pte_t mkdirty(pte_t p) { return mksaveddirty(p | kDirty | kSoftDirty); }
  static constexpr pte_t wrprotect(pte_t p) { return mksaveddirty(p & ~kRw); }
  // pte_mkwrite_novma(): set RW, then clear_saveddirty().
  static constexpr pte_t mkwrite(pte_t p) { return clear_saveddirty(p | kRw); }
  static constexpr pte_t mkspecial(pte_t p) { return p | kSpecial; }

  // pfn_pte(pfn, PAGE_SHARED-like user protection): present, user, NX, writable if asked.
  static constexpr pte_t mk_pte(std::uint64_t pfn, bool writable) {
    return (pfn << kPfnShift) | kPresent | kUser | kNx | (writable ? kRw : 0);
  }

  // The young bit's position, for test_and_clear_bit() in ptep_test_and_clear_young().
  static constexpr pte_t kYoungMask = kAccessed;
  static constexpr pte_t kDirtyMask = kDirty;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
