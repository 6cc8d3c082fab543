// The dereference policies: how a walker reads a page-table entry. Each is defined exactly once
// here, typed on the PTE format, and is the only thing that differs between two variants of a
// case. A policy is the set of helpers an architecture may override (include/linux/pgtable.h's
// `#ifndef ptep_get` family): plain and read_once differ only in get(); arch replaces the
// helpers the architecture replaces.
//
// A policy provides, for a format F (pte_t = F::pte_t):
//   pte_t    get(const pte_t* ptep)                      ptep_get()
//   unsigned batch_hint(const pte_t* ptep, pte_t pte)    pte_batch_hint()
//   pte_t    get_and_clear(pte_t* ptep)                  ptep_get_and_clear()
//   pte_t    get_and_clear_full_ptes(pte_t* ptep, nr)    get_and_clear_full_ptes()
//   void     clear_full_ptes(pte_t* ptep, nr)            clear_full_ptes()
//   void     wrprotect_ptes(pte_t* ptep, nr)             wrprotect_ptes()
//   void     set_ptes(pte_t* ptep, pte_t pte, nr)        set_ptes()
//   bool     test_and_clear_young(pte_t* ptep)           ptep_test_and_clear_young()
//   bool     test_and_clear_young_ptes(pte_t* ptep, nr)  test_and_clear_young_ptes()
//   bool     clear_flush_young_ptes(pte_t* ptep, nr)     clear_flush_young_ptes()
// Only get() is the core code's read, and only it differs between plain and read_once: every
// read inside the other helpers is the architecture's own (workloads/pte_ops.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <tuple>

#include "workloads/codegen_ns.h"
#include "workloads/pte_ops.h"

// A kernel function in another translation unit: not inlined, and not analysed across the
// call (no IPA-SRA moving its reads into the caller), as without LTO.
#define PTEBENCH_KERNEL_EXTERN __attribute__((noipa))

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

// The nr-entry helpers of include/linux/pgtable.h for an architecture that does not override
// them: each is a loop of the single-entry helper (wrprotect_ptes(), set_ptes(),
// get_and_clear_full_ptes() ORing the dirty and young state of entries 2..nr into the first's,
// clear_full_ptes(), test_and_clear_young_ptes() / clear_flush_young_ptes()); pte_batch_hint()
// is 1. Self supplies get_and_clear() and test_and_clear_young().
template <class Self>
struct LoopPtes {
  template <class F>
  static unsigned batch_hint(const typename F::pte_t*, typename F::pte_t) {
    return 1;
  }
  template <class F>
  static typename F::pte_t get_and_clear_full_ptes(typename F::pte_t* ptep, unsigned nr) {
    typename F::pte_t pte = Self::template get_and_clear<F>(ptep);
    while (--nr) {
      const typename F::pte_t tmp = Self::template get_and_clear<F>(++ptep);
      if (F::dirty(tmp)) pte = F::mkdirty(pte);
      if (F::young(tmp)) pte = F::mkyoung(pte);
    }
    return pte;
  }
  template <class F>
  static void clear_full_ptes(typename F::pte_t* ptep, unsigned nr) {
    for (;;) {
      Self::template get_and_clear<F>(ptep);
      if (--nr == 0) break;
      ++ptep;
    }
  }
  template <class F>
  static void wrprotect_ptes(typename F::pte_t* ptep, unsigned nr) {
    for (;;) {
      pte_ops::set_wrprotect<F>(ptep);
      if (--nr == 0) break;
      ++ptep;
    }
  }
  template <class F>
  static void set_ptes(typename F::pte_t* ptep, typename F::pte_t pte, unsigned nr) {
    for (;;) {
      pte_ops::set<F>(ptep, pte);
      if (--nr == 0) break;
      ++ptep;
      pte = F::advance_pfn(pte, 1);
    }
  }
  template <class F>
  static bool test_and_clear_young_ptes(typename F::pte_t* ptep, unsigned nr) {
    bool young = false;
    for (;;) {
      young |= Self::template test_and_clear_young<F>(ptep);
      if (--nr == 0) break;
      ++ptep;
    }
    return young;
  }
  template <class F>
  static bool clear_flush_young_ptes(typename F::pte_t* ptep, unsigned nr) {
    return test_and_clear_young_ptes<F>(ptep, nr);
  }
};

// The architecture's own read-modify-writes, as a kernel without an override has them:
// __ptep_get_and_clear() (an xchg, whose returned value no read policy changes) and
// ptep_test_and_clear_young() as each architecture writes it (pte_ops.h), with its internal
// read done by the architecture, never by the policy.
template <class Self>
struct NativeRmw : LoopPtes<Self> {
  template <class F>
  static typename F::pte_t get_and_clear(typename F::pte_t* ptep) {
    return pte_ops::xchg_clear<F>(ptep);
  }
  template <class F>
  static bool test_and_clear_young(typename F::pte_t* ptep) {
    return pte_ops::test_and_clear_young<F>(ptep);
  }
};

// plain: `*ptep`, the pre-6.5 kernel's direct dereference. An ordinary load: the compiler may
// merge it with a neighbouring load of the same entry, load it again later instead of keeping
// it in a register, hoist it out of a loop, or vectorise a loop of them (the `user` codegen
// profile does so on a none-scan). It may not reorder it across the atomics that follow.
struct Plain : NativeRmw<Plain> {
  static constexpr std::string_view kName = "plain";
  static constexpr std::string_view kSummary = "*ptep: an ordinary load";
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    return *ptep;
  }
};

// read_once: ptep_get() = READ_ONCE(*ptep) (include/linux/pgtable.h, "mm: ptep_get()
// conversion", Linux 6.5). Exactly one load of the full entry, through a volatile access: the
// compiler may not merge, elide, repeat, tear or vectorise it, and must keep it in program
// order with other volatile accesses. It may still reorder ordinary memory operations around it
// (generic __READ_ONCE; arm64 with CONFIG_LTO makes it an acquire load with a "memory" clobber,
// which this variant does not model: see workloads/FIDELITY.md).
struct ReadOnce : NativeRmw<ReadOnce> {
  static constexpr std::string_view kName = "read_once";
  static constexpr std::string_view kSummary = "ptep_get() = READ_ONCE(*ptep): one volatile load";
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    return pte_ops::read_once<F>(ptep);
  }
};

// arch, arm64: the contpte override as mainline has it (arch/arm64/include/asm/pgtable.h under
// CONFIG_ARM64_CONTPTE, arch/arm64/mm/contpte.c; linux-mm @0075c5f7 and @1ac7a0fe). A valid
// entry with the contiguous bit is one of 16 that the TLB may cache as a single 64 KiB entry,
// and the hardware may set the access flag or dirty state in any one of them.
//   get: __ptep_get(); a valid-cont entry gathers (contpte_ptep_get()): the aligned block is
//     read from its first entry until both young and dirty have been seen (the early exit).
//   batch_hint: pte_batch_hint(): the entries left in the block for a valid-cont entry, else 1.
//   get_and_clear_full_ptes / clear_full_ptes: nr == 1 unfolds a cont block first
//     (contpte_try_unfold() -> contpte_convert()); nr > 1 unfolds only blocks the range covers
//     partly (contpte_try_unfold_partial()), then exchanges each entry (__get_and_clear_full_ptes).
//   wrprotect_ptes: nr == 1 reads, unfolds a cont block and write-protects from the value read;
//     nr > 1 is contpte_wrprotect_ptes(): partial unfold, then __ptep_set_wrprotect() on each.
//   set_ptes: pte_mknoncont(); nr == 1 reads the destination (contpte_try_unfold()) and sets it;
//     nr > 1 is contpte_set_ptes(): each aligned 16-entry chunk with an aligned frame gets CONT.
//   test_and_clear_young(_ptes) / clear_flush_young_ptes: an order-0 non-cont entry is
//     __ptep_test_and_clear_young(); otherwise contpte_test_and_clear_young_ptes() widens the
//     range to whole blocks at cont ends (contpte_align_addr_ptep()) and clears each entry's
//     access flag; the flush variant reads both ends once more for the TLBI range (the TLBI
//     itself is not modelled).
// Raw is the block reads' READ_ONCE (__ptep_get()); tests substitute a counting one.
// The inline wrappers of arch/arm64/include/asm/pgtable.h are inline here; the contpte_*()
// functions of arch/arm64/mm/contpte.c (and __contpte_try_unfold()) are separate, exported
// functions there, so here they are out of line and opaque to the caller (PTEBENCH_KERNEL_EXTERN).
template <class Raw>
struct ArchContpteT {
  static constexpr std::string_view kName = "arch";
  // __get_and_clear_full_ptes() / __clear_full_ptes(): loops of __ptep_get_and_clear().
  struct RawXchg : NativeRmw<RawXchg> {};

  // contpte_ptep_get(): OR young and dirty of the block into orig, stopping once both are seen.
  template <class F>
  PTEBENCH_KERNEL_EXTERN static typename F::pte_t gather(const typename F::pte_t* ptep,
                                                         typename F::pte_t orig) {
    const typename F::pte_t* p = block_start<F>(ptep);
    for (unsigned i = 0; i < F::kContPtes; ++i) {
      typename F::pte_t pte = Raw::template get<F>(p + i);
      if (F::dirty(pte)) {
        orig = F::mkdirty(orig);
        for (; i < F::kContPtes; ++i) {
          pte = Raw::template get<F>(p + i);
          if (F::young(pte)) {
            orig = F::mkyoung(orig);
            break;
          }
        }
        break;
      }
      if (F::young(pte)) {
        orig = F::mkyoung(orig);
        for (++i; i < F::kContPtes; ++i) {
          pte = Raw::template get<F>(p + i);
          if (F::dirty(pte)) {
            orig = F::mkdirty(orig);
            break;
          }
        }
        break;
      }
    }
    return orig;
  }
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    const typename F::pte_t pte = Raw::template get<F>(ptep);
    if (__builtin_expect(!F::valid_cont(pte), 1)) return pte;
    return gather<F>(ptep, pte);
  }
  template <class F>
  static unsigned batch_hint(const typename F::pte_t* ptep, typename F::pte_t pte) {
    if (!F::valid_cont(pte)) return 1;
    return F::kContPtes - ((reinterpret_cast<std::uintptr_t>(ptep) >> 3) & (F::kContPtes - 1));
  }

  // ptep_get_and_clear(): contpte_try_unfold(__ptep_get()), then __ptep_get_and_clear().
  template <class F>
  static typename F::pte_t get_and_clear(typename F::pte_t* ptep) {
    try_unfold<F>(ptep, Raw::template get<F>(ptep));
    return pte_ops::xchg_clear<F>(ptep);
  }
  template <class F>
  static typename F::pte_t get_and_clear_full_ptes(typename F::pte_t* ptep, unsigned nr) {
    if (__builtin_expect(nr == 1, 1)) return get_and_clear<F>(ptep);
    return contpte_get_and_clear_full_ptes<F>(ptep, nr);
  }
  template <class F>
  PTEBENCH_KERNEL_EXTERN static typename F::pte_t contpte_get_and_clear_full_ptes(
      typename F::pte_t* ptep, unsigned nr) {
    try_unfold_partial<F>(ptep, nr);
    return NativeRmw<RawXchg>::template get_and_clear_full_ptes<F>(ptep, nr);
  }
  template <class F>
  static void clear_full_ptes(typename F::pte_t* ptep, unsigned nr) {
    if (__builtin_expect(nr == 1, 1)) {
      get_and_clear<F>(ptep);
      return;
    }
    contpte_clear_full_ptes<F>(ptep, nr);
  }
  template <class F>
  PTEBENCH_KERNEL_EXTERN static void contpte_clear_full_ptes(typename F::pte_t* ptep, unsigned nr) {
    try_unfold_partial<F>(ptep, nr);
    NativeRmw<RawXchg>::template clear_full_ptes<F>(ptep, nr);
  }
  template <class F>
  static void wrprotect_ptes(typename F::pte_t* ptep, unsigned nr) {
    if (__builtin_expect(nr == 1, 1)) {
      typename F::pte_t orig = Raw::template get<F>(ptep);
      if (__builtin_expect(F::cont(orig), 0)) {
        unfold<F>(ptep);
        orig = F::mknoncont(orig);
      }
      pte_ops::set_wrprotect_from<F>(ptep, orig);
      return;
    }
    contpte_wrprotect_ptes<F>(ptep, nr);
  }
  template <class F>
  PTEBENCH_KERNEL_EXTERN static void contpte_wrprotect_ptes(typename F::pte_t* ptep, unsigned nr) {
    try_unfold_partial<F>(ptep, nr);
    for (unsigned i = 0; i < nr; ++i) pte_ops::set_wrprotect<F>(ptep + i);  // __wrprotect_ptes()
  }
  template <class F>
  static void set_ptes(typename F::pte_t* ptep, typename F::pte_t pte, unsigned nr) {
    pte = F::mknoncont(pte);
    if (__builtin_expect(nr == 1, 1)) {
      try_unfold<F>(ptep, Raw::template get<F>(ptep));
      pte_ops::set<F>(ptep, pte);
      // contpte_try_fold(): only the last entry of a block with an aligned frame is a candidate;
      // __contpte_try_fold() then gives up unless one large folio covers the block, which the
      // walkers' nr == 1 calls never have (they batch large folios). Its folio lookup is not
      // modelled.
      return;
    }
    contpte_set_ptes<F>(ptep, pte, nr);
  }
  // contpte_set_ptes(): chunk by block; a whole, frame-aligned block is written with CONT.
  template <class F>
  PTEBENCH_KERNEL_EXTERN static void contpte_set_ptes(typename F::pte_t* ptep,
                                                      typename F::pte_t pte, unsigned nr) {
    while (nr) {
      const unsigned idx = index_in_block<F>(ptep);
      const unsigned chunk = (F::kContPtes - idx) < nr ? (F::kContPtes - idx) : nr;
      const bool aligned =
          idx == 0 && chunk == F::kContPtes && (F::pfn(pte) & (F::kContPtes - 1)) == 0;
      typename F::pte_t v = aligned ? F::mkcont(pte) : F::mknoncont(pte);
      for (unsigned i = 0; i < chunk; ++i, v = F::advance_pfn(v, 1)) pte_ops::set<F>(ptep + i, v);
      ptep += chunk;
      pte = F::advance_pfn(pte, chunk);
      nr -= chunk;
    }
  }
  // ptep_test_and_clear_young(): __ptep_get(); a non-cont entry is __ptep_test_and_clear_young().
  template <class F>
  static bool test_and_clear_young(typename F::pte_t* ptep) {
    const typename F::pte_t orig = Raw::template get<F>(ptep);
    if (__builtin_expect(!F::valid_cont(orig), 1))
      return pte_ops::arm64_test_and_clear_young<F>(ptep);
    return contpte_test_and_clear_young_ptes<F>(ptep, 1);
  }
  // test_and_clear_young_ptes() (linux-mm @fcc629df): nr == 1 and not cont ->
  // __ptep_test_and_clear_young().
  template <class F>
  static bool test_and_clear_young_ptes(typename F::pte_t* ptep, unsigned nr) {
    if (__builtin_expect(nr == 1 && !F::cont(Raw::template get<F>(ptep)), 1))
      return pte_ops::arm64_test_and_clear_young<F>(ptep);
    return contpte_test_and_clear_young_ptes<F>(ptep, nr);
  }
  // clear_flush_young_ptes() -> contpte_clear_flush_young_ptes(): as above, and when young,
  // contpte_align_addr_ptep() again for the range of __flush_tlb_range_nosync().
  template <class F>
  static bool clear_flush_young_ptes(typename F::pte_t* ptep, unsigned nr) {
    if (__builtin_expect(nr == 1 && !F::cont(Raw::template get<F>(ptep)), 1))
      return pte_ops::arm64_test_and_clear_young<F>(ptep);
    return contpte_clear_flush_young_ptes<F>(ptep, nr);
  }
  template <class F>
  PTEBENCH_KERNEL_EXTERN static bool contpte_clear_flush_young_ptes(typename F::pte_t* ptep,
                                                                    unsigned nr) {
    const bool young = contpte_test_and_clear_young_ptes<F>(ptep, nr);
    if (young) {
      unsigned n = nr;
      align_range<F>(ptep, n);
    }
    return young;
  }

  // contpte_try_unfold() for an entry already read.
  template <class F>
  static void try_unfold(typename F::pte_t* ptep, typename F::pte_t pte) {
    if (__builtin_expect(F::valid_cont(pte), 0)) unfold<F>(ptep);
  }
  // contpte_convert() for an unfold. The kernel rewrites all 16 entries from the converted
  // entry's pgprot, which equals each entry's own for the consistent blocks the kernel builds
  // (__contpte_try_fold() requires matching prots); keeping each entry's own attributes gives
  // the same result there and stays defined for any image. A none entry stays none. The TLBI
  // between the clear and the rewrite (skipped only with BBML2_NOABORT) is not modelled.
  template <class F>
  PTEBENCH_KERNEL_EXTERN static void unfold(typename F::pte_t* ptep) {
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
      typename F::pte_t pte = F::mknoncont(old[i]);
      if (dirty) pte = F::mkdirty(pte);
      if (young) pte = F::mkyoung(pte);
      pte_ops::set<F>(p + i, pte);  // __set_ptes()
    }
  }

 private:
  // contpte_try_unfold_partial(): unfold a block the range [ptep, ptep + nr) covers only partly.
  template <class F>
  static void try_unfold_partial(typename F::pte_t* ptep, unsigned nr) {
    if (index_in_block<F>(ptep) != 0 || nr < F::kContPtes)
      try_unfold<F>(ptep, Raw::template get<F>(ptep));
    if (index_in_block<F>(ptep + nr) != 0)
      try_unfold<F>(ptep + nr - 1, Raw::template get<F>(ptep + nr - 1));
  }
  // contpte_align_addr_ptep(): widen [ptep, ptep + nr) to whole blocks at cont ends.
  template <class F>
  static typename F::pte_t* align_range(typename F::pte_t* ptep, unsigned& nr) {
    unsigned end = index_in_block<F>(ptep) + nr;  // relative to ptep's block start
    if (F::cont(Raw::template get<F>(ptep + nr - 1)))
      end = (end + F::kContPtes - 1) & ~(F::kContPtes - 1);
    unsigned start = index_in_block<F>(ptep);
    if (F::cont(Raw::template get<F>(ptep))) start = 0;
    typename F::pte_t* first = ptep - index_in_block<F>(ptep) + start;
    nr = end - start;
    return first;
  }
  // contpte_test_and_clear_young_ptes().
  template <class F>
  PTEBENCH_KERNEL_EXTERN static bool contpte_test_and_clear_young_ptes(typename F::pte_t* ptep,
                                                                       unsigned nr) {
    typename F::pte_t* p = align_range<F>(ptep, nr);
    bool young = false;
    for (unsigned i = 0; i < nr; ++i) young |= pte_ops::arm64_test_and_clear_young<F>(p + i);
    return young;
  }
  template <class F>
  static unsigned index_in_block(const typename F::pte_t* ptep) {
    return static_cast<unsigned>((reinterpret_cast<std::uintptr_t>(ptep) >> 3) &
                                 (F::kContPtes - 1));
  }
  // contpte_align_down(): the first entry of the naturally aligned 16-entry block. PTE tables
  // are page-aligned, so aligning the pointer aligns the virtual address.
  template <class F>
  static const typename F::pte_t* block_start(const typename F::pte_t* ptep) {
    const auto addr = reinterpret_cast<std::uintptr_t>(ptep);
    return reinterpret_cast<const typename F::pte_t*>(
        addr & ~(std::uintptr_t{F::kContPtes * sizeof(typename F::pte_t)} - 1));
  }
};

// The block reads of the arm64 contpte override: __ptep_get() = READ_ONCE.
struct RawReadOnce {
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    return pte_ops::read_once<F>(ptep);
  }
};
using ArchContpte = ArchContpteT<RawReadOnce>;

// arch, x86_64: a shadow override. It has no counterpart in any kernel (x86 has no ptep_get()
// override; see workloads/FIDELITY.md): it stands for "an override that mixes in state from
// another source", which the 2023 ptep_get() conversion was meant to make possible. Each PTE
// table carries a second page of per-entry shadow words at the same index (as s390 keeps its
// PGSTEs in the upper half of a page table); hardware-like young and dirty bits may live in the
// shadow and are mixed into every read, and the software bits (uffd-wp, soft-dirty) are hidden
// from the reader. get_and_clear and test_and_clear_young consume the shadow's bits as well.
// The nr-entry helpers are the generic loops (x86 has no batch hint).
struct ArchShadow : LoopPtes<ArchShadow> {
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
    return merge<F>(pte_ops::read_once<F>(ptep), pte_ops::read_once<F>(shadow_of<F>(ptep)));
  }
  template <class F>
  static typename F::pte_t get_and_clear(typename F::pte_t* ptep) {
    const typename F::pte_t shadow = pte_ops::xchg_clear<F>(shadow_of<F>(ptep));
    return merge<F>(pte_ops::xchg_clear<F>(ptep), shadow);
  }
  // The override's own young test: its gate is its own read (the merged view), in every build.
  template <class F>
  static bool test_and_clear_young(typename F::pte_t* ptep) {
    if (!F::young(get<F>(ptep))) return false;
    const bool in_pte = clear_young_bit<F>(ptep);
    const bool in_shadow = clear_young_bit<F>(shadow_of<F>(ptep));
    return in_pte || in_shadow;
  }
  // The shadow page directly follows its PTE table (see pagetable.h).
  static constexpr std::size_t kShadowOffsetEntries = 512;

 private:
  template <class F>
  static bool clear_young_bit(typename F::pte_t* ptep) {
    const typename F::pte_t old = __atomic_fetch_and(ptep, ~F::kYoungMask, __ATOMIC_SEQ_CST);
    return (old & F::kYoungMask) != 0;
  }
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
  static constexpr std::string_view kSummary =
      "the arch override: arm64 = mainline contpte (batched, early-exit gather); x86_64 = a "
      "synthetic shadow young/dirty override with no kernel counterpart (workloads/FIDELITY.md)";
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

// The one list of policies: the catalogue (catalog.cc variants()), the dispatch
// (walkers/instantiate.cc), the benchmark matrix and the tests all iterate it. A policy's
// VariantKind is its index here; a policy added to the list is a variant at once.
using DerefPolicies = std::tuple<Plain, ReadOnce, Arch>;

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
