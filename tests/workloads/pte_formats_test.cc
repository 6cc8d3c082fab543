// The PTE formats (workloads/pte/x86_64.h, arm64.h): bit positions exactly as the kernel has
// them (DESIGN.md, Workloads), the helpers' truth tables, and agreement with the reference
// model's independently written helpers on arbitrary values.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "tests/workloads/reference_model.h"
#include "workloads/pte/arm64.h"
#include "workloads/pte/x86_64.h"

namespace {

using ptebench::Arm64;
using ptebench::X86_64;
namespace ref = ptebench::reference;

constexpr std::uint64_t bit(int n) {
  return std::uint64_t{1} << n;
}

// splitmix64, for arbitrary bit patterns (reproducible on every host).
std::uint64_t next_value(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

TEST_CASE("x86_64 bit positions are the kernel's", "[pte][x86_64]") {
  CHECK(X86_64::kPresent == bit(0));
  CHECK(X86_64::kRw == bit(1));
  CHECK(X86_64::kUser == bit(2));
  CHECK(X86_64::kAccessed == bit(5));
  CHECK(X86_64::kDirty == bit(6));
  CHECK(X86_64::kSpecial == bit(9));
  CHECK(X86_64::kUffdWp == bit(10));
  CHECK(X86_64::kSoftDirty == bit(11));
  CHECK(X86_64::kNx == bit(63));
  CHECK(X86_64::kPfnShift == 12);
  CHECK(X86_64::kPfnMask == 0x000ffffffffff000ULL);  // bits 12..51
  CHECK(X86_64::kYoungMask == X86_64::kAccessed);
  CHECK(X86_64::kSoftwareBits == (bit(10) | bit(11)));
}

TEST_CASE("arm64 bit positions are the kernel's", "[pte][arm64]") {
  CHECK(Arm64::kValid == bit(0));
  CHECK(Arm64::kTablePage == bit(1));
  CHECK(Arm64::kUser == bit(6));
  CHECK(Arm64::kRdonly == bit(7));
  CHECK(Arm64::kAf == bit(10));
  CHECK(Arm64::kNg == bit(11));
  CHECK(Arm64::kPfnShift == 12);
  CHECK(Arm64::kPfnMask == 0x0003fffffffff000ULL);  // bits 12..49 (PTE_ADDR_LOW)
  CHECK(Arm64::kDbm == bit(51));
  CHECK(Arm64::kCont == bit(52));
  CHECK(Arm64::kPxn == bit(53));
  CHECK(Arm64::kUxn == bit(54));
  CHECK(Arm64::kSwDirty == bit(55));
  CHECK(Arm64::kSpecial == bit(56));
  CHECK(Arm64::kContPtes == 16);
  CHECK(Arm64::kYoungMask == Arm64::kAf);
}

TEST_CASE("arm64 dirty is sw-dirty or (DBM and not RDONLY)", "[pte][arm64]") {
  const std::uint64_t base = Arm64::mk_pte(0x1234, false) & ~(Arm64::kRdonly | Arm64::kDbm);
  for (int sw = 0; sw < 2; ++sw)
    for (int dbm = 0; dbm < 2; ++dbm)
      for (int rdonly = 0; rdonly < 2; ++rdonly) {
        const std::uint64_t v = base | (sw ? Arm64::kSwDirty : 0) | (dbm ? Arm64::kDbm : 0) |
                                (rdonly ? Arm64::kRdonly : 0);
        INFO("sw-dirty=" << sw << " DBM=" << dbm << " RDONLY=" << rdonly);
        CHECK(Arm64::dirty(v) == (sw || (dbm && !rdonly)));
        CHECK(Arm64::hw_dirty(v) == (dbm && !rdonly));
        CHECK(Arm64::write(v) == (dbm != 0));
      }
}

TEST_CASE("arm64 wrprotect keeps the dirty state: hw-dirty moves to sw-dirty", "[pte][arm64]") {
  const std::uint64_t clean_writable = Arm64::mk_pte(0x42, true);
  REQUIRE(clean_writable & Arm64::kDbm);
  REQUIRE(clean_writable & Arm64::kRdonly);  // writable but not yet hardware-dirty
  REQUIRE_FALSE(Arm64::dirty(clean_writable));

  SECTION("a hardware-dirty entry") {
    const std::uint64_t hw_dirty = clean_writable & ~Arm64::kRdonly;
    REQUIRE(Arm64::hw_dirty(hw_dirty));
    const std::uint64_t wp = Arm64::wrprotect(hw_dirty);
    CHECK((wp & Arm64::kSwDirty) != 0);
    CHECK((wp & Arm64::kDbm) == 0);
    CHECK((wp & Arm64::kRdonly) != 0);
    CHECK(Arm64::dirty(wp));
    CHECK_FALSE(Arm64::write(wp));
    CHECK((wp & ~(Arm64::kSwDirty | Arm64::kDbm | Arm64::kRdonly)) ==
          (hw_dirty & ~(Arm64::kSwDirty | Arm64::kDbm | Arm64::kRdonly)));
  }
  SECTION("a clean writable entry stays clean") {
    const std::uint64_t wp = Arm64::wrprotect(clean_writable);
    CHECK((wp & Arm64::kSwDirty) == 0);
    CHECK_FALSE(Arm64::dirty(wp));
    CHECK_FALSE(Arm64::write(wp));
    CHECK((wp & Arm64::kRdonly) != 0);
  }
  SECTION("mkdirty on a writable entry makes it hardware-dirty too") {
    const std::uint64_t d = Arm64::mkdirty(clean_writable);
    CHECK((d & Arm64::kSwDirty) != 0);
    CHECK((d & Arm64::kRdonly) == 0);
    CHECK(Arm64::hw_dirty(d));
    const std::uint64_t ro = Arm64::mkdirty(Arm64::mk_pte(0x42, false));
    CHECK((ro & Arm64::kRdonly) != 0);  // read-only: only the software bit
    CHECK(Arm64::dirty(ro));
  }
  SECTION("mkclean clears sw-dirty and ends hardware-dirty by setting RDONLY") {
    const std::uint64_t c = Arm64::mkclean(Arm64::mkdirty(clean_writable));
    CHECK_FALSE(Arm64::dirty(c));
    CHECK((c & Arm64::kRdonly) != 0);
    CHECK((c & Arm64::kDbm) != 0);  // still writable
  }
}

TEST_CASE("x86_64 helpers", "[pte][x86_64]") {
  const std::uint64_t w = X86_64::mk_pte(0x42, true);
  CHECK(X86_64::present(w));
  CHECK(X86_64::write(w));
  CHECK((w & X86_64::kNx) != 0);
  CHECK((w & X86_64::kUser) != 0);
  CHECK_FALSE(X86_64::young(w));
  CHECK_FALSE(X86_64::dirty(w));
  CHECK(X86_64::young(X86_64::mkyoung(w)));
  CHECK(X86_64::mkold(X86_64::mkyoung(w)) == w);
  // pte_mkdirty() sets _PAGE_DIRTY and _PAGE_SOFT_DIRTY.
  CHECK(X86_64::mkdirty(w) == (w | X86_64::kDirty | X86_64::kSoftDirty));
  CHECK(X86_64::mkclean(X86_64::mkdirty(w)) == (w | X86_64::kSoftDirty));
  CHECK(X86_64::wrprotect(w) == (w & ~X86_64::kRw));
  CHECK(X86_64::dirty(X86_64::wrprotect(X86_64::mkdirty(w))));
  CHECK_FALSE(X86_64::write(X86_64::mk_pte(0x42, false)));
  CHECK(X86_64::special(X86_64::mkspecial(w)));
  CHECK(X86_64::none(0));
  CHECK_FALSE(X86_64::none(w));
}

TEST_CASE("pfn round trip", "[pte]") {
  for (const std::uint64_t pfn :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x100000}, std::uint64_t{0xfffffffff}}) {
    INFO("pfn " << pfn);
    CHECK(X86_64::pfn(X86_64::mk_pte(pfn, true)) == pfn);
    CHECK(Arm64::pfn(Arm64::mk_pte(pfn, true)) == pfn);
    // The helpers never disturb the pfn.
    CHECK(X86_64::pfn(X86_64::wrprotect(X86_64::mkdirty(X86_64::mk_pte(pfn, true)))) == pfn);
    CHECK(Arm64::pfn(Arm64::wrprotect(Arm64::mkdirty(Arm64::mk_pte(pfn, true)))) == pfn);
  }
  // The widest pfns each format holds: 40 bits on x86_64 (PA bits 12..51), 38 on arm64
  // (PTE_ADDR_LOW, 12..49): a frame with PA bits 48 and 49 set survives.
  CHECK(X86_64::pfn(X86_64::mk_pte((std::uint64_t{1} << 40) - 1, false)) ==
        (std::uint64_t{1} << 40) - 1);
  CHECK(Arm64::pfn(Arm64::mk_pte((std::uint64_t{1} << 38) - 1, false)) ==
        (std::uint64_t{1} << 38) - 1);
  const std::uint64_t high = (std::uint64_t{3} << 36) | 0x123;  // PA bits 48, 49
  CHECK(Arm64::pfn(Arm64::mk_pte(high, true)) == high);
  CHECK(Arm64::advance_pfn(Arm64::mk_pte(high, true), 1) == Arm64::mk_pte(high + 1, true));
}

TEST_CASE("the format helpers agree with the reference model's on arbitrary values", "[pte]") {
  const ref::Pte rx{ref::Format::x86_64};
  const ref::Pte ra{ref::Format::arm64};
  std::uint64_t state = 12345;
  for (int n = 0; n < 4000; ++n) {
    const std::uint64_t v = next_value(state);
    INFO("value " << ref::hex(v));
    REQUIRE(X86_64::present(v) == rx.present(v));
    REQUIRE(X86_64::young(v) == rx.young(v));
    REQUIRE(X86_64::dirty(v) == rx.dirty(v));
    REQUIRE(X86_64::write(v) == rx.write(v));
    REQUIRE(X86_64::special(v) == rx.special(v));
    REQUIRE(X86_64::pfn(v) == rx.pfn(v));
    REQUIRE(X86_64::mkold(v) == rx.mkold(v));
    REQUIRE(X86_64::mkyoung(v) == rx.mkyoung(v));
    REQUIRE(X86_64::mkdirty(v) == rx.mkdirty(v));
    REQUIRE(X86_64::wrprotect(v) == rx.wrprotect(v));
    REQUIRE(X86_64::mkwrite(v) == rx.mkwrite(v));
    REQUIRE(Arm64::present(v) == ra.present(v));
    REQUIRE(Arm64::young(v) == ra.young(v));
    REQUIRE(Arm64::dirty(v) == ra.dirty(v));
    REQUIRE(Arm64::write(v) == ra.write(v));
    REQUIRE(Arm64::special(v) == ra.special(v));
    REQUIRE(Arm64::valid_cont(v) == ra.valid_cont(v));
    REQUIRE(Arm64::pfn(v) == ra.pfn(v));
    REQUIRE(Arm64::mkold(v) == ra.mkold(v));
    REQUIRE(Arm64::mkyoung(v) == ra.mkyoung(v));
    REQUIRE(Arm64::mkdirty(v) == ra.mkdirty(v));
    REQUIRE(Arm64::wrprotect(v) == ra.wrprotect(v));
    REQUIRE(Arm64::mkwrite(v) == ra.mkwrite(v));
  }
}

TEST_CASE("x86_64 write-protect moves Dirty into saved-dirty (bit 58)", "[pte][x86_64]") {
  // arch/x86/include/asm/pgtable.h: pte_wrprotect() and pte_mkdirty() end in pte_mksaveddirty(),
  // unconditionally on x86_64; pte_dirty() tests _PAGE_DIRTY_BITS; pte_mkclean() clears both.
  CHECK(X86_64::kSavedDirty == bit(58));
  const std::uint64_t dirty_rw = X86_64::mkdirty(X86_64::mk_pte(0x4321, true));
  CHECK((dirty_rw & X86_64::kDirty) != 0);  // writable: Dirty stays Dirty
  CHECK((dirty_rw & X86_64::kSavedDirty) == 0);
  const std::uint64_t wp = X86_64::wrprotect(dirty_rw);
  CHECK((wp & X86_64::kRw) == 0);
  CHECK((wp & X86_64::kDirty) == 0);  // never RW=0 with Dirty (the shadow-stack encoding)
  CHECK((wp & X86_64::kSavedDirty) != 0);
  CHECK(X86_64::dirty(wp));
  CHECK_FALSE(X86_64::dirty(X86_64::mkclean(wp)));
  CHECK(X86_64::mkwrite(wp) == dirty_rw);  // pte_mkwrite() moves it back
  // pte_mkdirty() on a read-only entry sets saved-dirty, not Dirty.
  const std::uint64_t dirty_ro = X86_64::mkdirty(X86_64::mk_pte(0x4321, false));
  CHECK((dirty_ro & X86_64::kDirty) == 0);
  CHECK((dirty_ro & (X86_64::kSavedDirty | X86_64::kSoftDirty)) ==
        (X86_64::kSavedDirty | X86_64::kSoftDirty));
  // A clean entry stays clean through write-protect.
  CHECK_FALSE(X86_64::dirty(X86_64::wrprotect(X86_64::mk_pte(0x4321, true))));
}

TEST_CASE("arm64 pte_mkwrite_novma() clears RDONLY only for a sw-dirty entry", "[pte][arm64]") {
  const std::uint64_t ro = Arm64::mk_pte(0x55, false);  // RDONLY, no DBM, clean
  CHECK((Arm64::mkwrite(ro) & Arm64::kRdonly) != 0);
  CHECK_FALSE(Arm64::dirty(Arm64::mkwrite(ro)));
  const std::uint64_t sw = ro | Arm64::kSwDirty;
  CHECK((Arm64::mkwrite(sw) & Arm64::kRdonly) == 0);
}
