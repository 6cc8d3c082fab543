// The arm64 PTE format with the 4K granule (arch/arm64/include/asm/pgtable-hwdef.h,
// pgtable-prot.h, pgtable.h), independent of the host CPU. Bits: valid 0, page 1, user 6,
// RDONLY 7, AF 10, nG 11, PFN 12-49 (PTE_ADDR_LOW), DBM (PTE_WRITE) 51, CONT 52, PXN 53, UXN 54,
// sw-dirty (PTE_DIRTY) 55, special 56.
//
// Dirtiness is split in two (pgtable.h): the hardware-dirty state is DBM set and RDONLY clear
// (pte_hw_dirty), the software-dirty state is bit 55 (pte_sw_dirty); pte_dirty() is either.
// pte_wrprotect() keeps a hardware-dirty entry dirty by moving the state to sw-dirty before it
// clears DBM and sets RDONLY.
//
// Not modelled: PTE_PROT_NONE (present but not valid) and the attribute/shareability fields
// beyond what mk_pte() sets; no walker reads them.
#pragma once

#include <cstdint>
#include <string_view>

#include "workloads/codegen_ns.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

struct Arm64 {
  using pte_t = std::uint64_t;
  static constexpr std::string_view kName = "arm64";

  static constexpr pte_t kValid = pte_t{1} << 0;
  static constexpr pte_t kTablePage = pte_t{1} << 1;   // PTE_TYPE_PAGE
  static constexpr pte_t kAttrNormal = pte_t{0} << 2;  // AttrIndx (MT_NORMAL = 0)
  static constexpr pte_t kUser = pte_t{1} << 6;
  static constexpr pte_t kRdonly = pte_t{1} << 7;
  static constexpr pte_t kShared = pte_t{3} << 8;  // inner shareable
  static constexpr pte_t kAf = pte_t{1} << 10;
  static constexpr pte_t kNg = pte_t{1} << 11;
  static constexpr int kPfnShift = 12;
  // PTE_ADDR_LOW: bits 12..49, ((1 << (50 - PAGE_SHIFT)) - 1) << PAGE_SHIFT in current
  // pgtable-hwdef.h (bits 12..47 before the 52-bit PA rework).
  static constexpr pte_t kPfnMask = ((pte_t{1} << 50) - 1) & ~((pte_t{1} << kPfnShift) - 1);
  static constexpr pte_t kDbm = pte_t{1} << 51;  // PTE_WRITE
  static constexpr pte_t kCont = pte_t{1} << 52;
  static constexpr pte_t kPxn = pte_t{1} << 53;
  static constexpr pte_t kUxn = pte_t{1} << 54;
  static constexpr pte_t kSwDirty = pte_t{1} << 55;  // PTE_DIRTY
  static constexpr pte_t kSpecial = pte_t{1} << 56;

  // CONT_PTES with the 4K granule: 16 entries map one naturally aligned 64 KiB block.
  static constexpr unsigned kContPtes = 16;
  static constexpr bool kHasContBit = true;
  static constexpr bool kHasShadow = false;

  static constexpr bool none(pte_t p) { return p == 0; }
  static constexpr bool present(pte_t p) { return (p & kValid) != 0; }
  static constexpr bool young(pte_t p) { return (p & kAf) != 0; }
  static constexpr bool write(pte_t p) { return (p & kDbm) != 0; }
  static constexpr bool hw_dirty(pte_t p) { return (p & kDbm) != 0 && (p & kRdonly) == 0; }
  static constexpr bool sw_dirty(pte_t p) { return (p & kSwDirty) != 0; }
  static constexpr bool dirty(pte_t p) { return sw_dirty(p) || hw_dirty(p); }
  static constexpr bool special(pte_t p) { return (p & kSpecial) != 0; }
  static constexpr bool cont(pte_t p) { return (p & kCont) != 0; }
  // pte_valid_cont(): the condition under which ptep_get() takes the contpte path.
  static constexpr bool valid_cont(pte_t p) { return (p & (kValid | kCont)) == (kValid | kCont); }
  static constexpr std::uint64_t pfn(pte_t p) { return (p & kPfnMask) >> kPfnShift; }
  // pte_advance_pfn(): the same entry mapping the frame nr further on.
  static constexpr pte_t advance_pfn(pte_t p, std::uint64_t nr) { return p + (nr << kPfnShift); }

  static constexpr pte_t mkold(pte_t p) { return p & ~kAf; }
  static constexpr pte_t mkyoung(pte_t p) { return p | kAf; }
  // pte_mkclean(): clear sw-dirty and set RDONLY, which also ends hardware-dirty.
  static constexpr pte_t mkclean(pte_t p) { return (p & ~kSwDirty) | kRdonly; }
  // pte_mkdirty(): set sw-dirty; a writable entry also loses RDONLY (becomes hw-dirty).
  static constexpr pte_t mkdirty(pte_t p) {
    p |= kSwDirty;
    return write(p) ? (p & ~kRdonly) : p;
  }
  // pte_wrprotect(): preserve hardware-dirty as sw-dirty, clear DBM, set RDONLY.
  static constexpr pte_t wrprotect(pte_t p) {
    if (hw_dirty(p)) p |= kSwDirty;
    return (p & ~kDbm) | kRdonly;
  }
  // pte_mkwrite_novma(): set PTE_WRITE (DBM); clear RDONLY only if sw-dirty.
  static constexpr pte_t mkwrite(pte_t p) {
    p |= kDbm;
    return sw_dirty(p) ? (p & ~kRdonly) : p;
  }
  static constexpr pte_t mkspecial(pte_t p) { return p | kSpecial; }
  static constexpr pte_t mkcont(pte_t p) { return p | kCont; }
  static constexpr pte_t mknoncont(pte_t p) { return p & ~kCont; }
  // arm64 has no soft-dirty bit in the kernels read: pte_clear_soft_dirty() is the identity.
  static constexpr pte_t clear_soft_dirty(pte_t p) { return p; }

  // pfn_pte(pfn, PAGE_READONLY / PAGE_SHARED-like user protection). A clean writable entry is
  // DBM|RDONLY (writable, not yet hardware-dirty), as the kernel installs it.
  static constexpr pte_t mk_pte(std::uint64_t pfn, bool writable) {
    return (pfn << kPfnShift) | kValid | kTablePage | kAttrNormal | kUser | kShared | kNg | kPxn |
           kUxn | kRdonly | (writable ? kDbm : 0);
  }

  static constexpr pte_t kYoungMask = kAf;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
