// The walkers against the reference model (tests/workloads/reference_model.h): for every walker x
// format x dereference policy x layout x seed x codegen profile, the final state a Walk leaves —
// every entry, shadow word and child entry, every struct page, rss, table counts, freed tables
// and the walker's count — equals the model's. The policy dimension iterates the same type list
// the benchmark matrix registers (ptebench::DerefPolicies).
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "tests/workloads/reference_model.h"
#include "tests/workloads/test_layouts.h"
#include "workloads/catalog.h"
#include "workloads/deref.h"
#include "workloads/layout.h"
#include "workloads/walk.h"
#include "workloads/walkers/walker_table.h"

namespace {

using ptebench::LayoutImage;
using ptebench::LayoutSpec;
using ptebench::ProfileKind;
using ptebench::Snapshot;
using ptebench::VariantKind;
using ptebench::WalkerKind;
using ptebench::WalkSpec;
using ptebench::testing::kTestPtes;
using ptebench::testing::specs_for;

template <class Policy>
VariantKind variant_of() {
  const auto v = ptebench::parse_variant(Policy::kName);
  REQUIRE(v.has_value());
  return *v;
}

std::string label(const LayoutImage& image, const LayoutSpec* spec, WalkerKind walker,
                  VariantKind variant, ProfileKind profile) {
  return std::string(ptebench::name_of(walker)) + "/" + image.format + "/" +
         std::string(ptebench::name_of(variant)) + "/" + image.layout + "/" +
         std::to_string(image.ptes) + " seed=" + std::to_string(image.seed) +
         (spec ? " special=" + std::to_string(spec->special_fraction) : std::string()) +
         " start=" + ptebench::reference::hex(image.start_addr) +
         " profile=" + std::string(ptebench::name_of(profile));
}

// Runs every walker in both profiles on `image` and compares each final state with the model.
void check_all_walkers(const std::shared_ptr<const LayoutImage>& image, VariantKind variant,
                       const LayoutSpec* spec) {
  for (const ptebench::WalkerInfo& w : ptebench::walkers()) {
    const Snapshot want = ptebench::reference::expected(*image, w.kind, variant);
    for (const ProfileKind profile : {ProfileKind::kernel, ProfileKind::user}) {
      auto walk = ptebench::make_walk(WalkSpec{w.kind, variant, profile}, image);
      walk->run();
      const Snapshot got = walk->snapshot();
      INFO(label(*image, spec, w.kind, variant, profile));
      CHECK(ptebench::reference::first_difference(*image, want, got) == "");
    }
  }
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("every walker's final state equals the reference model",
                        "[walk][reference]", ptebench::DerefPolicies) {
  const VariantKind variant = variant_of<TestType>();
  for (const std::string_view format : ptebench::pte_formats()) {
    for (const ptebench::LayoutInfo& layout : ptebench::layouts()) {
      if (layout.arm64_only && format != "arm64") continue;
      for (const LayoutSpec& spec : specs_for(std::string(layout.name))) {
        const auto image = ptebench::testing::share(ptebench::make_layout(format, spec));
        check_all_walkers(image, variant, &spec);
      }
    }
  }
}

TEMPLATE_LIST_TEST_CASE("a range crossing a 1 GiB PMD-table boundary equals the reference",
                        "[walk][reference][large]", ptebench::DerefPolicies) {
  // The layouts start 1 GiB aligned (0x555500000000), so more than 262144 entries need a second
  // PMD table; 263144 also leaves a partial last PTE table.
  const VariantKind variant = variant_of<TestType>();
  for (const std::string_view format : ptebench::pte_formats()) {
    LayoutSpec spec;
    spec.name = "dense";
    spec.ptes = 263144;
    spec.seed = 7;
    spec.special_fraction = 0.01;
    const auto image = ptebench::testing::share(ptebench::make_layout(format, spec));
    REQUIRE(image->start_addr % (std::uint64_t{1} << 30) == 0);
    REQUIRE(image->ptes > 262144);
    check_all_walkers(image, variant, &spec);
    // Two PMD tables, one PUD table, the PGD.
    auto walk =
        ptebench::make_walk(WalkSpec{WalkerKind::none_scan, variant, ProfileKind::kernel}, image);
    CHECK(walk->snapshot().upper_tables == 4);
  }
  LayoutSpec cont;
  cont.name = "contpte";
  cont.ptes = 263152;  // a multiple of 16
  cont.seed = 8;
  check_all_walkers(ptebench::testing::share(ptebench::make_layout("arm64", cont)), variant, &cont);
}

TEMPLATE_LIST_TEST_CASE("a range crossing a 512 GiB PUD-table boundary equals the reference",
                        "[walk][reference]", ptebench::DerefPolicies) {
  // make_layout() always starts at 0x555500000000, 172 GiB below the next PGD-entry boundary;
  // moving a real image 2 MiB below one makes munmap free two PUD and two PMD tables.
  const VariantKind variant = variant_of<TestType>();
  for (const std::string_view format : ptebench::pte_formats()) {
    for (const LayoutSpec& spec : specs_for(format == "arm64" ? "contpte" : "random")) {
      LayoutImage moved = ptebench::make_layout(format, spec);
      moved.start_addr = 0x558000000000ULL - 0x200000ULL;
      const auto image = ptebench::testing::share(std::move(moved));
      check_all_walkers(image, variant, &spec);
      auto walk =
          ptebench::make_walk(WalkSpec{WalkerKind::munmap, variant, ProfileKind::kernel}, image);
      CHECK(walk->snapshot().upper_tables == 5);  // 2 PUD + 2 PMD tables + the PGD
      walk->run();
      const Snapshot s = walk->snapshot();
      CHECK(s.freed_pud_tables == 2);
      CHECK(s.freed_pmd_tables == 2);
      CHECK(s.pte_tables == 0);
      CHECK(s.upper_tables == 1);
    }
  }
}

TEMPLATE_LIST_TEST_CASE("reset() restores the layout so a second run ends in the same state",
                        "[walk][reference]", ptebench::DerefPolicies) {
  // Benchmarks call reset() before every timed run; the only trace of the earlier run allowed is
  // the MGLRU generation, which advances with every reset.
  const VariantKind variant = variant_of<TestType>();
  for (const std::string_view format : ptebench::pte_formats()) {
    LayoutSpec spec = specs_for(format == "arm64" ? "contpte" : "random")[1];
    const auto image = ptebench::testing::share(ptebench::make_layout(format, spec));
    for (const ptebench::WalkerInfo& w : ptebench::walkers()) {
      for (const ProfileKind profile : {ProfileKind::kernel, ProfileKind::user}) {
        auto walk = ptebench::make_walk(WalkSpec{w.kind, variant, profile}, image);
        walk->run();
        walk->reset();
        walk->run();
        INFO(label(*image, &spec, w.kind, variant, profile) << " after reset() and a second run");
        CHECK(ptebench::reference::first_difference(
                  *image, ptebench::reference::expected(*image, w.kind, variant, 2),
                  walk->snapshot()) == "");
      }
    }
  }
}

TEST_CASE("a fresh walk's snapshot is the layout image itself", "[walk]") {
  for (const std::string_view format : ptebench::pte_formats()) {
    LayoutSpec spec;
    spec.name = "random";
    spec.ptes = kTestPtes;
    spec.fill = 0.2;
    const auto image = ptebench::testing::share(ptebench::make_layout(format, spec));
    auto walk = ptebench::make_walk(WalkSpec{}, image);
    const Snapshot s = walk->snapshot();
    INFO(format);
    CHECK(s.entries == image->entries);
    CHECK(s.shadow == image->shadow);
    CHECK(s.pages == image->pages);
    CHECK(walk->ptes() == kTestPtes);
    CHECK(s.pte_tables == (kTestPtes + 511) / 512);
    CHECK(s.upper_tables == 3);  // PGD, one PUD table, one PMD table
  }
}

TEST_CASE("the catalogue's walkers are the walker table's rows, in order", "[walk][catalog]") {
  // catalog.cc walkers() and WalkImpl::run() both go through walkers/walker_table.h: a walker
  // is its file plus one row there.
  struct Row {
    std::string_view name, summary, mirrors;
  };
  const std::vector<Row> want = std::apply(
      [](auto... row) {
        return std::vector<Row>{
            {decltype(row)::kName, decltype(row)::kSummary, decltype(row)::kMirrors}...};
      },
      ptebench::Walkers{});
  const auto& walkers = ptebench::walkers();
  REQUIRE(walkers.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("row " << i);
    CHECK(walkers[i].name == want[i].name);
    CHECK(walkers[i].summary == want[i].summary);
    CHECK(walkers[i].mirrors == want[i].mirrors);
    CHECK(static_cast<std::size_t>(walkers[i].kind) == i);
    CHECK(ptebench::parse_walker(want[i].name) == walkers[i].kind);
  }
}
