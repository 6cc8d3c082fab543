// The dereference policies: how a walker reads a page-table entry. Each is defined exactly once
// here, typed on the PTE format, and is the only thing that differs between two variants of a
// case. Writes that read nothing back (set_pte_at, ptep_set_wrprotect) are not policies: every
// variant uses the generic atomic write of workloads/pte_ops.h.
//
// A policy provides, for a format F:
//   F::pte_t get(const F::pte_t* ptep)            ptep_get()
//   F::pte_t get_and_clear(F::pte_t* ptep)        ptep_get_and_clear(): the value it returns
//   bool     test_and_clear_young(F::pte_t* ptep) ptep_test_and_clear_young()
#pragma once

#include <cstdint>
#include <string_view>
#include <tuple>

#include "workloads/codegen_ns.h"
#include "workloads/pte_ops.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// The read-modify-write operations of a policy without an arch override: the generic
// __ptep_get_and_clear() (an xchg, whose returned value no read policy changes), and
// ptep_test_and_clear_young() as x86 writes it, `if (pte_young(*ptep)) test_and_clear_bit(...)`,
// with the gating read done by the policy itself (Self::get).
template <class Self>
struct GenericRmw {
  template <class F>
  static typename F::pte_t get_and_clear(typename F::pte_t* ptep) {
    return pte_ops::xchg_clear<F>(ptep);
  }
  template <class F>
  static bool test_and_clear_young(typename F::pte_t* ptep) {
    if (!F::young(Self::template get<F>(ptep))) return false;
    return pte_ops::clear_young_bit<F>(ptep);
  }
};

// plain: `*ptep`, the pre-6.5 kernel's direct dereference. An ordinary load: the compiler may
// merge it with a neighbouring load of the same entry, load it again later instead of keeping
// it in a register, hoist it out of a loop, or vectorise a loop of them (the `user` codegen
// profile does so on a none-scan). It may not reorder it across the atomics that follow.
struct Plain : GenericRmw<Plain> {
  static constexpr std::string_view kName = "plain";
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    return *ptep;
  }
};

// read_once: ptep_get() = READ_ONCE(*ptep) (include/linux/pgtable.h, "mm: ptep_get()
// conversion", Linux 6.5). Exactly one load of the full entry, through a volatile access: the
// compiler may not merge, elide, repeat, tear or vectorise it, and must keep it in program
// order with other volatile accesses. It may still reorder ordinary memory operations around it.
struct ReadOnce : GenericRmw<ReadOnce> {
  static constexpr std::string_view kName = "read_once";
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    return *static_cast<const volatile typename F::pte_t*>(ptep);
  }
};

// arch, arm64: the contpte override (arch/arm64/include/asm/pgtable.h ptep_get(),
// arch/arm64/mm/contpte.c contpte_ptep_get()). A valid entry with the contiguous bit is one of
// 16 that the TLB may cache as a single 64 KiB entry, and the hardware may set the access flag
// or dirty state in any one of them; so the read gathers: every entry of the aligned block is
// read (each with READ_ONCE, as __ptep_get()) and its young and dirty states are ORed into the
// returned value. Entries without CONT are a single READ_ONCE.
// get_and_clear is arm64's ptep_get_and_clear() / get_and_clear_full_ptes() with nr == 1: on a
// valid contiguous entry it first unfolds the block (contpte_try_unfold() -> contpte_convert()):
// every entry of the block is cleared, then rewritten without CONT and with the block's gathered
// young and dirty state; only then is the one entry exchanged with zero. The other 15 entries
// keep the gathered state, so a zap walking on through the block still sees it in each of them
// (as the batched path, contpte_get_and_clear_full_ptes(), reports it once for the whole folio).
// test_and_clear_young is contpte_ptep_test_and_clear_young(): it clears the access flag of all
// 16 entries and reports whether any was young.
struct ArchContpte {
  static constexpr std::string_view kName = "arch";
  template <class F>
  static typename F::pte_t gather(const typename F::pte_t* ptep, typename F::pte_t orig) {
    const typename F::pte_t* p = block_start<F>(ptep);
    for (unsigned i = 0; i < F::kContPtes; ++i) {
      const typename F::pte_t pte = ReadOnce::get<F>(p + i);
      if (F::dirty(pte)) orig = F::mkdirty(orig);
      if (F::young(pte)) orig = F::mkyoung(orig);
    }
    return orig;
  }
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    const typename F::pte_t pte = ReadOnce::get<F>(ptep);
    if (__builtin_expect(!F::valid_cont(pte), 1)) return pte;
    return gather<F>(ptep, pte);
  }
  template <class F>
  static typename F::pte_t get_and_clear(typename F::pte_t* ptep) {
    const typename F::pte_t pte = ReadOnce::get<F>(ptep);
    if (__builtin_expect(F::valid_cont(pte), 0)) unfold<F>(ptep);
    return pte_ops::xchg_clear<F>(ptep);
  }
  // contpte_convert() for an unfold. The kernel rewrites all 16 entries from the converted
  // entry's pgprot, which equals each entry's own for the consistent blocks the kernel builds
  // (__contpte_try_fold() requires matching prots); keeping each entry's own attributes gives
  // the same result there and stays defined for any image. A none entry stays none.
  template <class F>
  static void unfold(typename F::pte_t* ptep) {
    typename F::pte_t* p = const_cast<typename F::pte_t*>(block_start<F>(ptep));
    typename F::pte_t old[F::kContPtes];
    bool young = false, dirty = false;
    for (unsigned i = 0; i < F::kContPtes; ++i) {
      old[i] = pte_ops::xchg_clear<F>(p + i);  // __ptep_get_and_clear()
      young |= F::young(old[i]);
      dirty |= F::dirty(old[i]);
    }
    for (unsigned i = 0; i < F::kContPtes; ++i) {
      if (F::none(old[i])) continue;
      typename F::pte_t pte = old[i] & ~F::kCont;  // pte_mknoncont()
      if (dirty) pte = F::mkdirty(pte);
      if (young) pte = F::mkyoung(pte);
      pte_ops::set<F>(p + i, pte);  // __set_ptes()
    }
  }
  template <class F>
  static bool test_and_clear_young(typename F::pte_t* ptep) {
    const typename F::pte_t pte = ReadOnce::get<F>(ptep);
    if (__builtin_expect(!F::valid_cont(pte), 1)) {
      if (!F::young(pte)) return false;
      return pte_ops::clear_young_bit<F>(ptep);
    }
    typename F::pte_t* p = const_cast<typename F::pte_t*>(block_start<F>(ptep));
    bool young = false;
    for (unsigned i = 0; i < F::kContPtes; ++i) young |= pte_ops::clear_young_bit<F>(p + i);
    return young;
  }

 private:
  // contpte_align_down(): the first entry of the naturally aligned 16-entry block. PTE tables
  // are page-aligned, so aligning the pointer aligns the virtual address.
  template <class F>
  static const typename F::pte_t* block_start(const typename F::pte_t* ptep) {
    const auto addr = reinterpret_cast<std::uintptr_t>(ptep);
    return reinterpret_cast<const typename F::pte_t*>(
        addr & ~(std::uintptr_t{F::kContPtes * sizeof(typename F::pte_t)} - 1));
  }
};

// arch, x86_64: a shadow override, the design the 2023 thread wanted to avoid. Each PTE table
// carries a second page of per-entry shadow words at the same index (as s390 keeps its PGSTEs
// in the upper half of a page table); hardware-like young and dirty bits may live in the shadow
// and are mixed into every read, and the software bits (uffd-wp, soft-dirty) are hidden from
// the reader. get_and_clear and test_and_clear_young consume the shadow's bits as well.
struct ArchShadow {
  static constexpr std::string_view kName = "arch";
  template <class F>
  static typename F::pte_t* shadow_of(const typename F::pte_t* ptep) {
    return const_cast<typename F::pte_t*>(ptep) + kShadowOffsetEntries;
  }
  template <class F>
  static typename F::pte_t merge(typename F::pte_t pte, typename F::pte_t shadow) {
    if (F::none(pte)) return pte;
    return (pte | (shadow & (F::kAccessed | F::kDirty))) & ~F::kSoftwareBits;
  }
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    return merge<F>(ReadOnce::get<F>(ptep), ReadOnce::get<F>(shadow_of<F>(ptep)));
  }
  template <class F>
  static typename F::pte_t get_and_clear(typename F::pte_t* ptep) {
    const typename F::pte_t shadow = pte_ops::xchg_clear<F>(shadow_of<F>(ptep));
    return merge<F>(pte_ops::xchg_clear<F>(ptep), shadow);
  }
  template <class F>
  static bool test_and_clear_young(typename F::pte_t* ptep) {
    if (!F::young(get<F>(ptep))) return false;
    const bool in_pte = pte_ops::clear_young_bit<F>(ptep);
    const bool in_shadow = pte_ops::clear_young_bit<F>(shadow_of<F>(ptep));
    return in_pte || in_shadow;
  }
  // The shadow page directly follows its PTE table (see pagetable.h).
  static constexpr std::size_t kShadowOffsetEntries = 512;
};

// arch: the override of the format under test.
template <class F>
struct ArchOf;
template <>
struct ArchOf<X86_64> {
  using type = ArchShadow;
};
template <>
struct ArchOf<Arm64> {
  using type = ArchContpte;
};

// The variant that the `arch` name stands for, independent of the format until a walker
// resolves it with ArchOf<F>.
struct Arch {
  static constexpr std::string_view kName = "arch";
  template <class F>
  using For = typename ArchOf<F>::type;
};

// Resolves a policy for a format: Plain and ReadOnce are themselves, Arch becomes ArchOf<F>.
template <class Policy, class F>
struct Resolve {
  using type = Policy;
};
template <class F>
struct Resolve<Arch, F> {
  using type = typename ArchOf<F>::type;
};
template <class Policy, class F>
using ResolvedPolicy = typename Resolve<Policy, F>::type;

// The one list of policies: the benchmark matrix and the tests both iterate it.
using DerefPolicies = std::tuple<Plain, ReadOnce, Arch>;

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
