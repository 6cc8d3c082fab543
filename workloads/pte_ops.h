// Generic atomic PTE writes shared by every dereference policy: they model the kernel's
// __ptep_* primitives, which are the same whichever way an entry is read.
#pragma once

#include <cstdint>

#include "workloads/codegen_ns.h"
#include "workloads/pte/arm64.h"
#include "workloads/pte/x86_64.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {
namespace pte_ops {

// set_pte_at() -> WRITE_ONCE(*ptep, pte).
template <class F>
inline void set(typename F::pte_t* ptep, typename F::pte_t pte) {
  *static_cast<volatile typename F::pte_t*>(ptep) = pte;
}

// __ptep_get_and_clear(): x86 native_ptep_get_and_clear() is xchg(); arm64 is xchg_relaxed().
template <class F>
inline typename F::pte_t xchg_clear(typename F::pte_t* ptep) {
  return __atomic_exchange_n(ptep, typename F::pte_t{0}, __ATOMIC_RELAXED);
}

// The atomic half of ptep_test_and_clear_young(): x86 test_and_clear_bit(_PAGE_BIT_ACCESSED)
// (a locked btr, fully ordered); arm64 __ptep_test_and_clear_young() (a cmpxchg loop clearing
// PTE_AF). Returns whether the bit was set.
template <class F>
inline bool clear_young_bit(typename F::pte_t* ptep) {
  const typename F::pte_t old = __atomic_fetch_and(ptep, ~F::kYoungMask, __ATOMIC_SEQ_CST);
  return (old & F::kYoungMask) != 0;
}

// ptep_set_wrprotect(): x86 clear_bit(_PAGE_BIT_RW); arm64 __ptep_set_wrprotect(), a cmpxchg
// loop applying pte_wrprotect() (which also moves hardware-dirty into sw-dirty).
template <class F>
inline void set_wrprotect(typename F::pte_t* ptep) {
  typename F::pte_t old = __atomic_load_n(ptep, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(ptep, &old, F::wrprotect(old), true, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
  }
}

}  // namespace pte_ops
}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
