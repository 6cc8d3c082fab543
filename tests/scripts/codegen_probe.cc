// Test-only probes of the two codegen profiles, compiled once per profile with exactly the flags
// of the walkers (tests/scripts/codegen_profiles.cmake) and never linked. In the walkers' own
// objects the user profile inlines every walker into WalkImpl::run(), so the none-scan loop has
// no symbol of its own there; here each thing to inspect is an out-of-line function with a
// plain C name that tests/scripts/check_codegen.sh finds in the disassembly.
#include <cstdint>

#include <vector>
#include "workloads/deref.h"

#include "workloads/walkers/none_scan.h"
#include "workloads/walkers/reclaim_rmap.h"
#include "workloads/walkers/reclaim_walk.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {
// The format does not change the none-scan's code (pte_none() is `== 0` in both); the host's is
// the one a reader of the disassembly expects.
#if defined(__aarch64__)
using ProbeFormat = Arm64;
#else
using ProbeFormat = X86_64;
#endif
}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench

using ptebench::Mm;
using ptebench::ProbeFormat;

extern "C" {

// none_scan with plain loads: the user profile may vectorise its loop, the kernel profile may
// not (it has no SIMD registers).
__attribute__((noinline, used)) std::uint64_t ptebench_probe_none_scan_plain(
    const Mm<ProbeFormat>& mm, std::uint64_t addr, std::uint64_t end) {
  return ptebench::none_scan<ProbeFormat, ptebench::Plain>(mm, addr, end);
}

// none_scan with READ_ONCE: never vectorised, in either profile; one 8-byte load per entry.
__attribute__((noinline, used)) std::uint64_t ptebench_probe_none_scan_read_once(
    const Mm<ProbeFormat>& mm, std::uint64_t addr, std::uint64_t end) {
  return ptebench::none_scan<ProbeFormat, ptebench::ReadOnce>(mm, addr, end);
}

// One ptep_get() under read_once: exactly one 8-byte load.
__attribute__((noinline, used)) std::uint64_t ptebench_probe_read_once(const std::uint64_t* ptep) {
  return ptebench::ReadOnce::get<ProbeFormat>(ptep);
}

// Two ptep_get()s of the same entry under read_once: two loads, never merged into one.
__attribute__((noinline, used)) std::uint64_t ptebench_probe_read_once_twice(
    const std::uint64_t* ptep) {
  const std::uint64_t a = ptebench::ReadOnce::get<ProbeFormat>(ptep);
  const std::uint64_t b = ptebench::ReadOnce::get<ProbeFormat>(ptep);
  return a ^ (b >> 1);
}

// The same under plain: the compiler may merge the two loads (reported, not required).
__attribute__((noinline, used)) std::uint64_t ptebench_probe_plain_twice(
    const std::uint64_t* ptep) {
  const std::uint64_t a = ptebench::Plain::get<ProbeFormat>(ptep);
  const std::uint64_t b = ptebench::Plain::get<ProbeFormat>(ptep);
  return a ^ (b >> 1);
}

// Present only when the profile lets the compiler use SIMD registers at all (SSE2 on x86_64,
// Advanced SIMD on arm64): without them there is nothing to vectorise with, and the
// vectorisation check is skipped rather than failed.
#if defined(__SSE2__) || defined(__ARM_NEON)
__attribute__((used)) void ptebench_probe_simd_available() {}
#endif

}  // extern "C"

// The reclaim walkers under plain and read_once, per format, out of line: their young test reads
// the entry inside the architecture's helper (x86: an out-of-line ptep_test_and_clear_young();
// arm64: READ_ONCE before its cmpxchg), never through the policy, so both policies must make the
// same memory accesses (check_codegen.sh same-loads).
namespace probe {
using ptebench::Arm64;
using ptebench::PageArray;
using ptebench::X86_64;
template <class F, class D>
std::uint64_t walk(Mm<F>& mm, PageArray& pages, std::uint64_t a, std::uint64_t e) {
  return ptebench::reclaim_walk<F, D>(mm, pages, a, e, 1);
}
template <class F, class D>
std::uint64_t rmap(Mm<F>& mm, PageArray& pages, const std::vector<std::uint32_t>& lru,
                   std::uint64_t a, std::uint64_t e) {
  return ptebench::reclaim_rmap<F, D>(mm, pages, lru, a, e);
}
}  // namespace probe

extern "C" {
#define PTEBENCH_PROBE_RECLAIM(fmt, F, pol, P)                                             \
  __attribute__((noinline, used)) std::uint64_t ptebench_probe_reclaim_walk_##fmt##_##pol( \
      Mm<probe::F>& mm, probe::PageArray& pages, std::uint64_t a, std::uint64_t e) {       \
    return probe::walk<probe::F, ptebench::P>(mm, pages, a, e);                            \
  }                                                                                        \
  __attribute__((noinline, used)) std::uint64_t ptebench_probe_reclaim_rmap_##fmt##_##pol( \
      Mm<probe::F>& mm, probe::PageArray& pages, const std::vector<std::uint32_t>& lru,    \
      std::uint64_t a, std::uint64_t e) {                                                  \
    return probe::rmap<probe::F, ptebench::P>(mm, pages, lru, a, e);                       \
  }
PTEBENCH_PROBE_RECLAIM(x86_64, X86_64, plain, Plain)
PTEBENCH_PROBE_RECLAIM(x86_64, X86_64, read_once, ReadOnce)
PTEBENCH_PROBE_RECLAIM(arm64, Arm64, plain, Plain)
PTEBENCH_PROBE_RECLAIM(arm64, Arm64, read_once, ReadOnce)
#undef PTEBENCH_PROBE_RECLAIM
}  // extern "C"
