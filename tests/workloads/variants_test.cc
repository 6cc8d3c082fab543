// How the three variants differ in what they leave behind. plain and read_once differ only in how
// the compiler may treat the load, never in the result: their final states are identical. arch
// differs exactly where its definition says it must, and these tests show each difference on a
// hand-made table:
//   arm64 contpte (contpte_ptep_get() and friends, arch/arm64/mm/contpte.c): a young or dirty
//   bit anywhere in a 16-entry block reads as young or dirty in every entry of the block;
//   test-and-clear-young clears the access flag of the whole block; without CONT, arch is plain;
//   x86_64 shadow (DESIGN.md): young/dirty held in the shadow word show up in every read, the
//   software bits (soft-dirty, uffd-wp) are hidden from it, and a clear consumes the shadow.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/workloads/reference_model.h"
#include "tests/workloads/test_layouts.h"
#include "workloads/catalog.h"
#include "workloads/layout.h"
#include "workloads/walk.h"

namespace {

using ptebench::LayoutImage;
using ptebench::LayoutSpec;
using ptebench::ProfileKind;
using ptebench::Snapshot;
using ptebench::VariantKind;
using ptebench::WalkerKind;
using ptebench::WalkSpec;
using ptebench::page_flag::kDirty;
using ptebench::page_flag::kReferenced;
namespace ref = ptebench::reference;
using ptebench::testing::share;
using ptebench::testing::specs_for;

Snapshot run_once(const std::shared_ptr<const LayoutImage>& image, WalkerKind walker,
                  VariantKind variant, ProfileKind profile = ProfileKind::kernel) {
  auto walk = ptebench::make_walk(WalkSpec{walker, variant, profile}, image);
  walk->run();
  return walk->snapshot();
}

// Runs walker x variant in both profiles, checks both against the reference model and returns
// the kernel profile's state.
Snapshot run_checked(const std::shared_ptr<const LayoutImage>& image, WalkerKind walker,
                     VariantKind variant) {
  const Snapshot want = ref::expected(*image, walker, variant);
  Snapshot kernel;
  for (const ProfileKind profile : {ProfileKind::kernel, ProfileKind::user}) {
    const Snapshot got = run_once(image, walker, variant, profile);
    INFO(ptebench::name_of(walker) << "/" << image->format << "/" << ptebench::name_of(variant)
                                   << " profile=" << ptebench::name_of(profile));
    CHECK(ref::first_difference(*image, want, got) == "");
    if (profile == ProfileKind::kernel) kernel = got;
  }
  return kernel;
}

// One fully mapped PTE table of file pages, every entry old and clean, for hand-made states.
LayoutImage quiet_table(const char* format, const char* layout, bool writable) {
  LayoutSpec spec;
  spec.name = layout;
  spec.ptes = 512;
  spec.young_fraction = 0.0;
  spec.dirty_fraction = 0.0;
  spec.writable_fraction = writable ? 1.0 : 0.0;
  spec.file_fraction = 1.0;
  spec.shadow_young_fraction = 0.0;
  spec.shadow_dirty_fraction = 0.0;
  return ptebench::make_layout(format, spec);
}

int count_flag(const Snapshot& s, std::uint32_t flag, unsigned from, unsigned to) {
  int n = 0;
  for (unsigned i = from; i < to; ++i) n += (s.pages[i].flags & flag) != 0;
  return n;
}

}  // namespace

TEST_CASE("plain and read_once leave identical states", "[variants]") {
  for (const std::string_view format : ptebench::pte_formats()) {
    for (const ptebench::LayoutInfo& layout : ptebench::layouts()) {
      if (layout.arm64_only && format != "arm64") continue;
      for (const LayoutSpec& spec : specs_for(std::string(layout.name))) {
        const auto image = share(ptebench::make_layout(format, spec));
        for (const ptebench::WalkerInfo& w : ptebench::walkers()) {
          for (const ProfileKind profile : {ProfileKind::kernel, ProfileKind::user}) {
            const Snapshot plain = run_once(image, w.kind, VariantKind::plain, profile);
            const Snapshot read_once = run_once(image, w.kind, VariantKind::read_once, profile);
            INFO(w.name << "/" << format << "/" << layout.name << " seed=" << spec.seed
                        << " profile=" << ptebench::name_of(profile));
            CHECK(ref::first_difference(*image, plain, read_once) == "");
          }
        }
      }
    }
  }
}

TEST_CASE("arm64 without contiguous entries: arch is plain exactly", "[variants][arm64]") {
  for (const char* layout : {"dense", "sparse", "random"}) {
    for (const LayoutSpec& spec : specs_for(layout)) {
      const auto image = share(ptebench::make_layout("arm64", spec));
      for (const ptebench::WalkerInfo& w : ptebench::walkers()) {
        for (const ProfileKind profile : {ProfileKind::kernel, ProfileKind::user}) {
          INFO(w.name << "/arm64/" << layout << " seed=" << spec.seed
                      << " profile=" << ptebench::name_of(profile));
          CHECK(ref::first_difference(*image, run_once(image, w.kind, VariantKind::plain, profile),
                                      run_once(image, w.kind, VariantKind::arch, profile)) == "");
        }
      }
    }
  }
}

TEST_CASE("arm64 contpte: a young or dirty bit anywhere in a block reads in every entry",
          "[variants][arm64][contpte]") {
  // Block 0 (entries 0..15) has the access flag only in entry 5 and the software dirty bit only
  // in entry 9; block 1 (16..31) is old and clean. Every page is a file page.
  LayoutImage base = quiet_table("arm64", "contpte", /*writable=*/false);
  base.entries[5] |= ref::arm::kAf;
  base.entries[9] |= ref::arm::kSwDirty;

  SECTION("zap_range: one batch per folio; its young and dirty state reaches the head") {
    const auto image = share(base);
    const Snapshot plain = run_checked(image, WalkerKind::zap_range, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::zap_range, VariantKind::arch);
    // Every variant batches the large folio (folio_pte_batch()) and clears it with
    // get_and_clear_full_ptes(16), which ORs the young and dirty state of all 16 entries: the
    // folio (its head, page 0) is marked accessed and dirty once; the tails keep no state.
    for (const Snapshot* s : {&plain, &arch}) {
      CHECK((s->pages[0].flags & kReferenced) != 0);
      CHECK((s->pages[0].flags & kDirty) != 0);
      CHECK(count_flag(*s, kReferenced | kDirty, 1, 16) == 0);
      CHECK(count_flag(*s, kReferenced | kDirty, 16, 512) == 0);
      CHECK(s->pages[0].refcount == 0);
      CHECK(s->pages[0].mapcount == 0);
      CHECK(s->result == 512);
    }
  }

  SECTION("copy_range: arch's child carries the gathered dirty state, plain's entry 0's") {
    const auto image = share(base);
    const Snapshot plain = run_checked(image, WalkerKind::copy_range, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::copy_range, VariantKind::arch);
    const ref::Pte f{ref::Format::arm64};
    int plain_dirty = 0, arch_dirty = 0;
    for (unsigned i = 0; i < 16; ++i) {
      plain_dirty += f.dirty(plain.child_entries[i]);
      arch_dirty += f.dirty(arch.child_entries[i]);
      // The child's entries are made old either way (pte_mkold() in __copy_present_ptes()).
      CHECK_FALSE(f.young(arch.child_entries[i]));
      // contpte_set_ptes() writes a whole, frame-aligned block with CONT.
      CHECK(f.cont(arch.child_entries[i]));
    }
    // set_ptes(16) replicates the first entry's value: plain read entry 0 (clean), arch read
    // entry 0 with the block's dirty state gathered in.
    CHECK(plain_dirty == 0);
    CHECK(arch_dirty == 16);
    // The gather changes what is read, not the parent: its entries are as they were.
    CHECK(arch.entries == image->entries);
    CHECK(plain.entries == image->entries);
    // The folio (head page 0) gains 16 references and mappings in one step.
    CHECK(arch.pages[0].refcount == 32);
    CHECK(plain.pages[0].mapcount == 32);
    CHECK(arch.pages[1] == image->pages[1]);
  }

  SECTION("reclaim_walk: a young folio is one batch from the first young entry read") {
    const auto image = share(base);
    const Snapshot plain = run_checked(image, WalkerKind::reclaim_walk, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::reclaim_walk, VariantKind::arch);
    // plain reads entries 0..4 as old, finds entry 5 young and batches 5..15 (11 entries, the
    // rest of the folio), merging entry 9's dirt (FPB_MERGE_YOUNG_DIRTY).
    CHECK(plain.result == 11);
    // arch reads entry 0 as young and dirty (gathered) and batches the whole block.
    CHECK(arch.result == 16);
    const ref::Pte f{ref::Format::arm64};
    for (const Snapshot* s : {&plain, &arch}) {
      CHECK(s->pages[0].lru_gen == 1);
      CHECK((s->pages[0].flags & kDirty) != 0);
      for (unsigned i = 0; i < 16; ++i) CHECK_FALSE(f.young(s->entries[i]));
    }
  }

  SECTION("reclaim_rmap: a folio is visited once and its 16 access flags cleared") {
    LayoutImage img = base;
    img.entries[5] &= ~ref::arm::kAf;
    img.entries[3] |= ref::arm::kAf;
    img.entries[11] |= ref::arm::kAf;
    const auto image = share(img);
    REQUIRE(image->lru_order.size() == 512 / 16);  // the folios, by head page
    const Snapshot plain = run_checked(image, WalkerKind::reclaim_rmap, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::reclaim_rmap, VariantKind::arch);
    const ref::Pte f{ref::Format::arm64};
    for (const Snapshot* s : {&plain, &arch}) {
      CHECK(s->result == 1);  // one referenced folio
      CHECK((s->pages[0].flags & kReferenced) != 0);
      CHECK(count_flag(*s, kReferenced, 1, 512) == 0);
      for (unsigned i = 0; i < 16; ++i) CHECK_FALSE(f.young(s->entries[i]));
    }
  }

  SECTION("none_scan reads the same in every variant") {
    const auto image = share(base);
    for (const VariantKind v : {VariantKind::plain, VariantKind::read_once, VariantKind::arch})
      CHECK(run_checked(image, WalkerKind::none_scan, v).result == 0);
  }
}

TEST_CASE("arm64 contpte: writable blocks keep their dirty state through COW",
          "[variants][arm64][contpte]") {
  // A writable block with one hardware-dirty entry (DBM set, RDONLY clear): wrprotect in the
  // parent moves it to sw-dirty; arch's child entries all carry the gathered dirty state,
  // plain's carry entry 0's (clean), as set_ptes(16) replicates the first value.
  LayoutImage img = quiet_table("arm64", "contpte", /*writable=*/true);
  img.entries[7] &= ~ref::arm::kRdonly;
  const auto image = share(img);
  const ref::Pte f{ref::Format::arm64};
  REQUIRE(f.dirty(image->entries[7]));
  REQUIRE_FALSE(f.dirty(image->entries[6]));
  const Snapshot plain = run_checked(image, WalkerKind::copy_range, VariantKind::plain);
  const Snapshot arch = run_checked(image, WalkerKind::copy_range, VariantKind::arch);
  for (const Snapshot* s : {&plain, &arch}) {
    CHECK((s->entries[7] & ref::arm::kSwDirty) != 0);
    for (unsigned i = 0; i < 16; ++i) {
      CHECK_FALSE(f.write(s->entries[i]));
      CHECK_FALSE(f.write(s->child_entries[i]));
    }
  }
  int plain_dirty = 0, arch_dirty = 0;
  for (unsigned i = 0; i < 16; ++i) {
    plain_dirty += f.dirty(plain.child_entries[i]);
    arch_dirty += f.dirty(arch.child_entries[i]);
  }
  CHECK(plain_dirty == 0);
  CHECK(arch_dirty == 16);
}

TEST_CASE("x86_64 shadow: young and dirty from the shadow - software bits hidden",
          "[variants][x86_64][shadow]") {
  // Entry 1: young only in its shadow word. Entry 2: dirty only in its shadow word. Entry 3:
  // soft-dirty and uffd-wp set in the entry. Entry 4: young in both. All file pages, writable.
  LayoutImage base = quiet_table("x86_64", "dense", /*writable=*/true);
  base.shadow[1] = ref::x86::kAccessed;
  base.shadow[2] = ref::x86::kDirty;
  base.entries[3] |= ref::x86::kSoftDirty | ref::x86::kUffdWp;
  base.entries[4] |= ref::x86::kAccessed;
  base.shadow[4] = ref::x86::kAccessed;
  const auto image = share(base);

  SECTION("copy_range: the child carries the shadow's dirty bit, not the software bits") {
    const Snapshot plain = run_checked(image, WalkerKind::copy_range, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::copy_range, VariantKind::arch);
    // The child's copy is write-protected, so pte_wrprotect() moved Dirty to saved-dirty.
    const ref::Pte f{ref::Format::x86_64};
    CHECK_FALSE(f.dirty(plain.child_entries[2]));
    CHECK(f.dirty(arch.child_entries[2]));
    CHECK((arch.child_entries[2] & ref::x86::kDirty) == 0);
    CHECK((arch.child_entries[2] & ref::x86::kSavedDirty) != 0);
    CHECK((plain.child_entries[3] & (ref::x86::kSoftDirty | ref::x86::kUffdWp)) ==
          (ref::x86::kSoftDirty | ref::x86::kUffdWp));
    CHECK((arch.child_entries[3] & (ref::x86::kSoftDirty | ref::x86::kUffdWp)) == 0);
    // Young from the shadow is read, but the child is made old either way.
    CHECK((arch.child_entries[1] & ref::x86::kAccessed) == 0);
    // The parent keeps its own bits (the hiding is in the read) and loses RW in both.
    CHECK((arch.entries[3] & ref::x86::kSoftDirty) != 0);
    CHECK((arch.entries[3] & ref::x86::kRw) == 0);
    CHECK(arch.shadow == image->shadow);
  }

  SECTION("reclaim_walk: a young shadow makes the entry young, and the clear consumes it") {
    const Snapshot plain = run_checked(image, WalkerKind::reclaim_walk, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::reclaim_walk, VariantKind::arch);
    CHECK(plain.result == 1);  // entry 4
    CHECK(arch.result == 2);   // entries 1 and 4
    CHECK(plain.pages[1].lru_gen == 0);
    CHECK(arch.pages[1].lru_gen == 1);
    CHECK(plain.shadow == image->shadow);
    CHECK(arch.shadow[1] == 0);
    CHECK(arch.shadow[4] == 0);
    CHECK(arch.shadow[2] == ref::x86::kDirty);
  }

  SECTION("reclaim_rmap: a young shadow references the page") {
    const Snapshot plain = run_checked(image, WalkerKind::reclaim_rmap, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::reclaim_rmap, VariantKind::arch);
    CHECK((plain.pages[1].flags & kReferenced) == 0);
    CHECK((arch.pages[1].flags & kReferenced) != 0);
    CHECK(plain.result == 1);
    CHECK(arch.result == 2);
  }

  SECTION("zap_range: the shadow's bits reach the page, and the shadow is zero afterwards") {
    const Snapshot plain = run_checked(image, WalkerKind::zap_range, VariantKind::plain);
    const Snapshot arch = run_checked(image, WalkerKind::zap_range, VariantKind::arch);
    CHECK((plain.pages[2].flags & kDirty) == 0);
    CHECK((arch.pages[2].flags & kDirty) != 0);
    CHECK((plain.pages[1].flags & kReferenced) == 0);
    CHECK((arch.pages[1].flags & kReferenced) != 0);
    CHECK(plain.shadow == image->shadow);  // plain never looks at the shadow
    CHECK(arch.shadow == std::vector<std::uint64_t>(512, 0));
  }

  SECTION("none_scan reads the same in every variant") {
    for (const VariantKind v : {VariantKind::plain, VariantKind::read_once, VariantKind::arch})
      CHECK(run_checked(image, WalkerKind::none_scan, v).result == 0);
  }
}

TEST_CASE("zap_range: folio_mark_accessed() activates a referenced page", "[variants]") {
  // mm/swap.c: inactive,referenced -> active,unreferenced. Layouts start every page
  // unreferenced, so this state is made by hand.
  for (const char* format : {"x86_64", "arm64"}) {
    LayoutImage img = quiet_table(format, "dense", /*writable=*/false);
    const ref::Pte f{ref::format_of(img)};
    img.entries[0] = f.mkyoung(img.entries[0]);
    img.pages[0].flags |= kReferenced;
    img.entries[1] = f.mkyoung(img.entries[1]);
    img.pages[1].flags |= kReferenced | ptebench::page_flag::kActive;
    const auto image = share(img);
    for (const VariantKind v : {VariantKind::plain, VariantKind::read_once, VariantKind::arch}) {
      INFO(format << " " << ptebench::name_of(v));
      const Snapshot s = run_checked(image, WalkerKind::zap_range, v);
      CHECK((s.pages[0].flags & ptebench::page_flag::kActive) != 0);
      CHECK((s.pages[0].flags & kReferenced) == 0);
      CHECK((s.pages[1].flags & (ptebench::page_flag::kActive | kReferenced)) ==
            (ptebench::page_flag::kActive | kReferenced));
    }
  }
}
