// The architectures' own PTE primitives, shared by every dereference policy: they model the
// kernel's __ptep_* helpers and the arch helpers the ptep_get() conversion never touched, which
// are the same whichever way the core code reads an entry. Every read these helpers do is the
// architecture's own (READ_ONCE or a plain dereference inside an out-of-line function), never
// the policy's: so plain and read_once differ only at the core code's ptep_get() sites.
#pragma once

#include <cstdint>
#include <type_traits>

#include "workloads/codegen_ns.h"
#include "workloads/pte/arm64.h"
#include "workloads/pte/x86_64.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {
namespace pte_ops {

// __READ_ONCE() (include/asm-generic/rwonce.h): one volatile load.
template <class F>
inline typename F::pte_t read_once(const typename F::pte_t* ptep) {
  return *static_cast<const volatile typename F::pte_t*>(ptep);
}

// set_pte() -> WRITE_ONCE(*ptep, pte) (x86 native_set_pte(), arm64 __set_pte_nosync()).
template <class F>
inline void set(typename F::pte_t* ptep, typename F::pte_t pte) {
  *static_cast<volatile typename F::pte_t*>(ptep) = pte;
}

// __ptep_get_and_clear(): x86 native_ptep_get_and_clear() is xchg(); arm64 is xchg_relaxed()
// (ptdesc_xchg_relaxed()). On x86 every xchg is a locked, fully ordered instruction anyway.
template <class F>
inline typename F::pte_t xchg_clear(typename F::pte_t* ptep) {
  return __atomic_exchange_n(ptep, typename F::pte_t{0}, __ATOMIC_RELAXED);
}

// x86 ptep_test_and_clear_young() (arch/x86/mm/pgtable.c): an out-of-line function,
//   if (pte_young(*ptep)) ret = test_and_clear_bit(_PAGE_BIT_ACCESSED, (unsigned long
//   *)&ptep->pte);
// The gate is a plain dereference inside the callee: no caller's read can merge with it, under
// any policy. noipa, not just noinline: GCC's IPA-SRA would otherwise hoist the read into the
// caller (passing the value), where a plain read merges with the caller's own; a kernel caller
// in another translation unit (no LTO) cannot see it. test_and_clear_bit() is a fully ordered
// `lock btr`.
template <class F>
__attribute__((noipa)) bool x86_test_and_clear_young(typename F::pte_t* ptep) {
  if (!F::young(*ptep)) return false;
  const typename F::pte_t old = __atomic_fetch_and(ptep, ~F::kYoungMask, __ATOMIC_SEQ_CST);
  return (old & F::kYoungMask) != 0;
}

// arm64 __ptep_test_and_clear_young() (arch/arm64/include/asm/pgtable.h): __ptep_get() (a
// READ_ONCE), then an unconditional cmpxchg_relaxed() loop applying pte_mkold(); returns
// pte_young() of the value replaced. No young gate: an old entry is still written.
template <class F>
inline bool arm64_test_and_clear_young(typename F::pte_t* ptep) {
  typename F::pte_t old = read_once<F>(ptep);
  while (!__atomic_compare_exchange_n(ptep, &old, F::mkold(old), false, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
  return F::young(old);
}

// The format's ptep_test_and_clear_young() without any contpte override (x86, or arm64's
// __ptep_test_and_clear_young(), which is ptep_test_and_clear_young() when !CONFIG_ARM64_CONTPTE).
// ptep_clear_flush_young() is the same on both for the walkers: x86 does not flush, arm64's
// __ptep_clear_flush_young() adds a TLBI that is not modelled.
template <class F>
inline bool test_and_clear_young(typename F::pte_t* ptep) {
  if constexpr (std::is_same_v<F, X86_64>)
    return x86_test_and_clear_young<F>(ptep);
  else
    return arm64_test_and_clear_young<F>(ptep);
}

// The cmpxchg loop of ptep_set_wrprotect() starting from a value already read: x86
// ptep_set_wrprotect() (READ_ONCE, then try_cmpxchg(pte_wrprotect())), arm64
// ___ptep_set_wrprotect() (cmpxchg_relaxed(pte_wrprotect()) until it sticks).
template <class F>
inline void set_wrprotect_from(typename F::pte_t* ptep, typename F::pte_t old) {
  while (!__atomic_compare_exchange_n(ptep, &old, F::wrprotect(old), true, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
}

// ptep_set_wrprotect(): x86 READ_ONCE + try_cmpxchg; arm64 __ptep_set_wrprotect() = __ptep_get()
// + ___ptep_set_wrprotect() (pte_wrprotect() also moves hardware-dirty into sw-dirty; x86's moves
// Dirty into saved-dirty).
template <class F>
inline void set_wrprotect(typename F::pte_t* ptep) {
  set_wrprotect_from<F>(ptep, read_once<F>(ptep));
}

}  // namespace pte_ops
}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
