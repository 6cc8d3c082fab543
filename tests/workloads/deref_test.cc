// The dereference policies (workloads/deref.h) on hand-made PTE tables: what each returns and
// what each leaves behind. The policy list is the one the benchmarks register.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "tests/workloads/reference_model.h"
#include "workloads/catalog.h"
#include "workloads/deref.h"
#include "workloads/layout.h"
#include "workloads/pte/arm64.h"
#include "workloads/pte/x86_64.h"
#include "workloads/walk.h"

namespace {

using ptebench::Arch;
using ptebench::ArchContpte;
using ptebench::ArchShadow;
using ptebench::Arm64;
using ptebench::Plain;
using ptebench::ReadOnce;
using ptebench::ResolvedPolicy;
using ptebench::X86_64;

// One PTE table and, for x86_64, its shadow page right after it, page-aligned as the walkers'
// tables are (contpte blocks are found by aligning the entry pointer).
struct alignas(4096) Table {
  std::uint64_t e[2 * 512] = {};
};

static_assert(std::tuple_size_v<ptebench::DerefPolicies> == 3);
static_assert(std::is_same_v<ResolvedPolicy<Plain, X86_64>, Plain>);
static_assert(std::is_same_v<ResolvedPolicy<ReadOnce, Arm64>, ReadOnce>);
static_assert(std::is_same_v<ResolvedPolicy<Arch, X86_64>, ArchShadow>);
static_assert(std::is_same_v<ResolvedPolicy<Arch, Arm64>, ArchContpte>);
static_assert(ArchShadow::kShadowOffsetEntries == 512);

}  // namespace

TEMPLATE_LIST_TEST_CASE("every policy names a variant of the catalog", "[deref]",
                        ptebench::DerefPolicies) {
  const auto variant = ptebench::parse_variant(TestType::kName);
  REQUIRE(variant.has_value());
  CHECK(ptebench::name_of(*variant) == TestType::kName);
}

TEMPLATE_LIST_TEST_CASE("on an ordinary entry every policy reads - ages and clears it as stored",
                        "[deref]", ptebench::DerefPolicies) {
  // No contiguous bit, no shadow bits: the arch overrides have nothing to add.
  Table t;
  SECTION("x86_64") {
    using P = ResolvedPolicy<TestType, X86_64>;
    // Hardware dirty only: soft-dirty is a software bit the shadow override hides.
    const std::uint64_t young = X86_64::mkyoung(X86_64::mk_pte(0x1234, true)) | X86_64::kDirty;
    const std::uint64_t old = X86_64::mk_pte(0x1235, false);
    t.e[3] = young;
    t.e[4] = old;
    CHECK(P::template get<X86_64>(&t.e[3]) == young);
    CHECK(P::template get<X86_64>(&t.e[4]) == old);
    CHECK(P::template get<X86_64>(&t.e[5]) == 0);
    CHECK(P::template test_and_clear_young<X86_64>(&t.e[3]));
    CHECK(t.e[3] == X86_64::mkold(young));
    CHECK_FALSE(P::template test_and_clear_young<X86_64>(&t.e[4]));
    CHECK(t.e[4] == old);
    CHECK(P::template get_and_clear<X86_64>(&t.e[4]) == old);
    CHECK(t.e[4] == 0);
  }
  SECTION("arm64") {
    using P = ResolvedPolicy<TestType, Arm64>;
    const std::uint64_t young = Arm64::mkyoung(Arm64::mkdirty(Arm64::mk_pte(0x1234, true)));
    const std::uint64_t old = Arm64::mk_pte(0x1235, false);
    t.e[3] = young;
    t.e[4] = old;
    CHECK(P::template get<Arm64>(&t.e[3]) == young);
    CHECK(P::template get<Arm64>(&t.e[4]) == old);
    CHECK(P::template test_and_clear_young<Arm64>(&t.e[3]));
    CHECK(t.e[3] == Arm64::mkold(young));
    CHECK_FALSE(P::template test_and_clear_young<Arm64>(&t.e[4]));
    CHECK(P::template get_and_clear<Arm64>(&t.e[4]) == old);
    CHECK(t.e[4] == 0);
  }
}

TEST_CASE("ArchContpte gathers young and dirty across the aligned 16-entry block",
          "[deref][arm64][contpte]") {
  Table t;
  // Blocks 0 (0..15) and 1 (16..31), every entry valid with CONT, clean and old; entry 5 young,
  // entry 9 dirty (software bit).
  for (unsigned i = 0; i < 32; ++i) t.e[i] = Arm64::mkcont(Arm64::mk_pte(0x10000 + i, true));
  t.e[5] = Arm64::mkyoung(t.e[5]);
  t.e[9] |= Arm64::kSwDirty;

  SECTION("get: every entry of the block reads young and dirty, the next block does not") {
    for (unsigned i = 0; i < 16; ++i) {
      INFO("entry " << i);
      const std::uint64_t v = ArchContpte::get<Arm64>(&t.e[i]);
      CHECK(Arm64::young(v));
      CHECK(Arm64::dirty(v));
      CHECK(Arm64::pfn(v) == 0x10000 + i);  // each entry keeps its own frame
      CHECK(Plain::get<Arm64>(&t.e[i]) == t.e[i]);
    }
    for (unsigned i = 16; i < 32; ++i) {
      CHECK_FALSE(Arm64::young(ArchContpte::get<Arm64>(&t.e[i])));
      CHECK_FALSE(Arm64::dirty(ArchContpte::get<Arm64>(&t.e[i])));
    }
    int plain_young = 0;
    for (unsigned i = 0; i < 16; ++i) plain_young += Arm64::young(Plain::get<Arm64>(&t.e[i]));
    CHECK(plain_young == 1);
  }
  SECTION("an entry without the valid bit is read alone, CONT or not") {
    t.e[2] &= ~Arm64::kValid;
    CHECK(ArchContpte::get<Arm64>(&t.e[2]) == t.e[2]);
  }
  SECTION("test_and_clear_young clears the access flag in all 16 entries") {
    t.e[12] = Arm64::mkyoung(t.e[12]);
    CHECK(ArchContpte::test_and_clear_young<Arm64>(&t.e[0]));  // entry 0 itself was old
    for (unsigned i = 0; i < 16; ++i) CHECK_FALSE(Arm64::young(t.e[i]));
    CHECK((t.e[9] & Arm64::kSwDirty) != 0);  // only AF is touched
    CHECK_FALSE(ArchContpte::test_and_clear_young<Arm64>(&t.e[3]));
  }
  SECTION("get_and_clear unfolds the block: the other 15 keep the gathered state") {
    const std::uint64_t got = ArchContpte::get_and_clear<Arm64>(&t.e[0]);
    CHECK(Arm64::young(got));
    CHECK(Arm64::dirty(got));
    CHECK(Arm64::pfn(got) == 0x10000);
    CHECK(t.e[0] == 0);
    for (unsigned i = 1; i < 16; ++i) {
      INFO("entry " << i);
      CHECK_FALSE(Arm64::cont(t.e[i]));
      CHECK(Arm64::young(t.e[i]));
      CHECK(Arm64::dirty(t.e[i]));
      CHECK(Arm64::pfn(t.e[i]) == 0x10000 + i);
    }
    for (unsigned i = 16; i < 32; ++i) CHECK(Arm64::cont(t.e[i]));  // the next block is intact
    // The next clear in the block is an ordinary one and still sees the gathered state.
    const std::uint64_t next = ArchContpte::get_and_clear<Arm64>(&t.e[1]);
    CHECK(Arm64::young(next));
    CHECK(Arm64::dirty(next));
  }
}

TEST_CASE("ArchShadow mixes in the shadow's young and dirty and hides the software bits",
          "[deref][x86_64][shadow]") {
  Table t;
  std::uint64_t* shadow = t.e + ArchShadow::kShadowOffsetEntries;
  const std::uint64_t base = X86_64::mk_pte(0x777, true);
  t.e[0] = base | X86_64::kSoftDirty | X86_64::kUffdWp;
  shadow[0] = X86_64::kAccessed | X86_64::kDirty;
  t.e[1] = 0;
  shadow[1] = X86_64::kAccessed;

  CHECK(ArchShadow::get<X86_64>(&t.e[0]) == (base | X86_64::kAccessed | X86_64::kDirty));
  CHECK(ArchShadow::get<X86_64>(&t.e[1]) == 0);  // none stays none whatever the shadow holds
  CHECK(Plain::get<X86_64>(&t.e[0]) == t.e[0]);

  SECTION("test_and_clear_young clears the bit in the entry and in the shadow") {
    t.e[0] |= X86_64::kAccessed;
    CHECK(ArchShadow::test_and_clear_young<X86_64>(&t.e[0]));
    CHECK_FALSE(X86_64::young(t.e[0]));
    CHECK(shadow[0] == X86_64::kDirty);
    CHECK_FALSE(ArchShadow::test_and_clear_young<X86_64>(&t.e[0]));
  }
  SECTION("get_and_clear consumes the shadow") {
    CHECK(ArchShadow::get_and_clear<X86_64>(&t.e[0]) ==
          (base | X86_64::kAccessed | X86_64::kDirty));
    CHECK(t.e[0] == 0);
    CHECK(shadow[0] == 0);
  }
}

namespace {

// The contpte override with its block reads (__ptep_get()) counted.
struct CountingRaw {
  static inline unsigned loads = 0;
  template <class F>
  static typename F::pte_t get(const typename F::pte_t* ptep) {
    ++loads;
    return ptebench::pte_ops::read_once<F>(ptep);
  }
};
using CountingContpte = ptebench::ArchContpteT<CountingRaw>;

// The loads contpte_ptep_get() (arch/arm64/mm/contpte.c, linux-mm @1ac7a0fe) makes on a block,
// worked out from its loops rather than run: it scans from the block's first entry to the
// first entry k that is dirty or young. Dirty at k: the inner loop starts again at k (re-reading
// it) and stops at the first young entry j >= k, or runs to the end. Young (not dirty) at k:
// the inner loop starts at k + 1 and stops at the first dirty entry j > k, or runs to the end.
// Neither anywhere: all 16.
unsigned mainline_gather_loads(const std::uint64_t* block) {
  for (unsigned k = 0; k < 16; ++k) {
    if (Arm64::dirty(block[k])) {
      for (unsigned j = k; j < 16; ++j)
        if (Arm64::young(block[j])) return (k + 1) + (j - k + 1);
      return (k + 1) + (16 - k);
    }
    if (Arm64::young(block[k])) {
      for (unsigned j = k + 1; j < 16; ++j)
        if (Arm64::dirty(block[j])) return (k + 1) + (j - k);
      return (k + 1) + (16 - k - 1);
    }
  }
  return 16;
}

std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
bool chance(std::uint64_t& s, double p) {
  return static_cast<double>(splitmix(s) >> 11) * 0x1.0p-53 < p;
}

}  // namespace

TEST_CASE("the contpte gather stops once young and dirty were both seen, as mainline's does",
          "[deref][arm64][contpte]") {
  struct Mix {
    double young, dirty;
  };
  // The layouts' default (0.5 / 0.25), the extremes, and lopsided mixes.
  const Mix mixes[] = {{0.5, 0.25}, {0.0, 0.0}, {1.0, 1.0},  {1.0, 0.0},
                       {0.0, 1.0},  {0.1, 0.1}, {0.9, 0.05}, {0.05, 0.9}};
  std::uint64_t seed = 42;
  for (const Mix& mix : mixes) {
    unsigned total = 0, blocks = 0;
    for (int b = 0; b < 400; ++b) {
      Table t;
      for (unsigned i = 0; i < 16; ++i) {
        std::uint64_t v = Arm64::mkcont(Arm64::mk_pte(0x20000 + i, chance(seed, 0.5)));
        if (chance(seed, mix.young)) v = Arm64::mkyoung(v);
        if (chance(seed, mix.dirty)) v = Arm64::mkdirty(v);
        t.e[i] = v;
      }
      const unsigned want = mainline_gather_loads(t.e);
      for (unsigned at : {0u, 7u, 15u}) {
        CountingRaw::loads = 0;
        const std::uint64_t got = CountingContpte::get<Arm64>(&t.e[at]);
        INFO("young " << mix.young << " dirty " << mix.dirty << " block " << b << " entry " << at);
        // One __ptep_get() of the entry itself, then the gather.
        REQUIRE(CountingRaw::loads == 1 + want);
        // The result is still the whole block's young and dirty state.
        bool young = false, dirty = false;
        for (unsigned i = 0; i < 16; ++i) {
          young |= Arm64::young(t.e[i]);
          dirty |= Arm64::dirty(t.e[i]);
        }
        CHECK(Arm64::young(got) == young);
        CHECK(Arm64::dirty(got) == dirty);
        CHECK(Arm64::pfn(got) == 0x20000 + at);
      }
      total += want;
      ++blocks;
    }
    const double mean = static_cast<double>(total) / blocks;
    // Recorded for the catalogue (workloads/FIDELITY.md): the per-entry model read 16.
    WARN("contpte gather at young " << mix.young << " dirty " << mix.dirty << ": " << mean
                                    << " loads per block (was 16)");
    if (mix.young == 0.0 && mix.dirty == 0.0) CHECK(mean == 16.0);
    if (mix.young == 1.0 && mix.dirty == 1.0) CHECK(mean == 2.0);  // entry 0 twice
    if (mix.young == 0.5 && mix.dirty == 0.25) CHECK(mean < 7.0);
  }
}

TEST_CASE("contpte nr-entry helpers on a whole block neither unfold nor read the ends",
          "[deref][arm64][contpte]") {
  Table t;
  for (unsigned i = 0; i < 32; ++i) t.e[i] = Arm64::mkcont(Arm64::mk_pte(0x30000 + i, true));
  t.e[3] = Arm64::mkyoung(t.e[3]);
  t.e[20] = Arm64::mkyoung(Arm64::mkdirty(t.e[20]));

  SECTION("wrprotect_ptes(16): each entry write-protected, CONT kept, no block read") {
    CountingRaw::loads = 0;
    CountingContpte::wrprotect_ptes<Arm64>(&t.e[0], 16);
    CHECK(CountingRaw::loads == 0);  // contpte_try_unfold_partial() has nothing to do
    for (unsigned i = 0; i < 16; ++i) {
      CHECK(Arm64::cont(t.e[i]));
      CHECK_FALSE(Arm64::write(t.e[i]));
    }
    CHECK(Arm64::young(t.e[3]));
    CHECK_FALSE(Arm64::young(t.e[4]));  // no gathered state spread
  }
  SECTION("wrprotect_ptes(1) on a cont entry unfolds the block first") {
    CountingContpte::wrprotect_ptes<Arm64>(&t.e[5], 1);
    for (unsigned i = 0; i < 16; ++i) CHECK_FALSE(Arm64::cont(t.e[i]));
    CHECK(Arm64::young(t.e[4]));  // contpte_convert() spread the block's young state
    CHECK_FALSE(Arm64::write(t.e[5]));
    CHECK(Arm64::write(t.e[6]));
  }
  SECTION("get_and_clear_full_ptes(16) returns the block's young and dirty state") {
    CountingRaw::loads = 0;
    const std::uint64_t v = CountingContpte::get_and_clear_full_ptes<Arm64>(&t.e[16], 16);
    CHECK(CountingRaw::loads == 0);
    CHECK(Arm64::young(v));
    CHECK(Arm64::dirty(v));
    CHECK(Arm64::pfn(v) == 0x30010);
    for (unsigned i = 16; i < 32; ++i) CHECK(t.e[i] == 0);
    for (unsigned i = 0; i < 16; ++i) CHECK(Arm64::cont(t.e[i]));  // the other block untouched
  }
  SECTION("clear_full_ptes(8) covers half a block: that block is unfolded first") {
    CountingContpte::clear_full_ptes<Arm64>(&t.e[16], 8);
    for (unsigned i = 16; i < 24; ++i) CHECK(t.e[i] == 0);
    for (unsigned i = 24; i < 32; ++i) {
      CHECK_FALSE(Arm64::cont(t.e[i]));
      CHECK(Arm64::young(t.e[i]));  // gathered from entry 20 by the unfold
    }
  }
  SECTION("test_and_clear_young_ptes(16) clears the block's 16 access flags once") {
    CHECK(CountingContpte::test_and_clear_young_ptes<Arm64>(&t.e[0], 16));
    for (unsigned i = 0; i < 32; ++i) CHECK(Arm64::young(t.e[i]) == (i == 20));
    CHECK_FALSE(CountingContpte::test_and_clear_young_ptes<Arm64>(&t.e[0], 16));
  }
  SECTION("set_ptes(16) writes a frame-aligned block with CONT, a misaligned one without") {
    Table d;
    CountingContpte::set_ptes<Arm64>(&d.e[0], Arm64::mk_pte(0x40000, false), 16);
    CountingContpte::set_ptes<Arm64>(&d.e[16], Arm64::mk_pte(0x40001, false), 16);
    for (unsigned i = 0; i < 16; ++i) {
      CHECK(Arm64::cont(d.e[i]));
      CHECK(Arm64::pfn(d.e[i]) == 0x40000 + i);
      CHECK_FALSE(Arm64::cont(d.e[16 + i]));
    }
  }
}

TEST_CASE("the young test's read is the architecture's, whatever the policy", "[deref][young]") {
  // x86: ptep_test_and_clear_young() gates on pte_young(*ptep) inside an out-of-line function:
  // an old entry is not written. arm64: __ptep_test_and_clear_young() has no gate: READ_ONCE and
  // an unconditional cmpxchg. Both report the young state they replaced, under every policy.
  Table t;
  t.e[0] = X86_64::mkyoung(X86_64::mk_pte(0x10, true));
  t.e[1] = X86_64::mk_pte(0x11, true);
  CHECK(Plain::test_and_clear_young<X86_64>(&t.e[0]));
  CHECK_FALSE(ReadOnce::test_and_clear_young<X86_64>(&t.e[1]));
  CHECK_FALSE(X86_64::young(t.e[0]));
  t.e[2] = Arm64::mkyoung(Arm64::mk_pte(0x12, true));
  CHECK(ReadOnce::test_and_clear_young_ptes<Arm64>(&t.e[2], 1));
  CHECK(t.e[2] == Arm64::mk_pte(0x12, true));
  CHECK_FALSE(Plain::clear_flush_young_ptes<Arm64>(&t.e[2], 1));
}

TEST_CASE("the catalogue's variants are DerefPolicies, in order, and each one dispatches",
          "[deref][catalog]") {
  // catalog.cc variants() and walkers/instantiate.cc both iterate the type list: a policy added
  // there is listed and runnable with no other edit.
  const auto& variants = ptebench::variants();
  REQUIRE(variants.size() == std::tuple_size_v<ptebench::DerefPolicies>);
  struct Row {
    std::string_view name, summary;
  };
  const std::vector<Row> want = std::apply(
      [](auto... policy) {
        return std::vector<Row>{{decltype(policy)::kName, decltype(policy)::kSummary}...};
      },
      ptebench::DerefPolicies{});
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("policy " << i);
    CHECK(variants[i].name == want[i].name);
    CHECK(variants[i].summary == want[i].summary);
    CHECK(static_cast<std::size_t>(variants[i].kind) == i);
  }
  ptebench::LayoutSpec spec;
  spec.ptes = 512;
  for (const std::string_view format : ptebench::pte_formats()) {
    const auto image =
        std::make_shared<const ptebench::LayoutImage>(ptebench::make_layout(format, spec));
    for (const ptebench::VariantInfo& v : variants) {
      INFO(format << " " << v.name);
      auto walk = ptebench::make_walk(ptebench::WalkSpec{ptebench::WalkerKind::none_scan, v.kind,
                                                         ptebench::ProfileKind::kernel},
                                      image);
      walk->run();
      CHECK(walk->snapshot().result == 0);  // dense: nothing is none
    }
  }
}
