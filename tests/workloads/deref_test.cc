// The dereference policies (workloads/deref.h) on hand-made PTE tables: what each returns and
// what each leaves behind. The policy list is the one the benchmarks register.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "tests/workloads/reference_model.h"
#include "workloads/catalog.h"
#include "workloads/deref.h"
#include "workloads/pte/arm64.h"
#include "workloads/pte/x86_64.h"

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
