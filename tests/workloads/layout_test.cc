// Layouts (workloads/layout.h) and the parameters the workloads API refuses: every bad parameter
// is a BadParameter with one clear line, never a crash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "tests/workloads/reference_model.h"
#include "tests/workloads/test_layouts.h"
#include "workloads/bad_parameter.h"
#include "workloads/layout.h"
#include "workloads/walk.h"

namespace {

using Catch::Matchers::Contains;
using ptebench::BadParameter;
using ptebench::LayoutImage;
using ptebench::LayoutSpec;
namespace ref = ptebench::reference;
using ptebench::testing::share;

LayoutSpec spec_of(const char* name, std::uint64_t ptes) {
  LayoutSpec s;
  s.name = name;
  s.ptes = ptes;
  return s;
}

// `fn` throws BadParameter whose message contains `needle` and is a single line.
void check_bad(const std::function<void()>& fn, const std::string& needle) {
  try {
    fn();
    FAIL_CHECK("no BadParameter thrown; expected one saying \"" << needle << "\"");
  } catch (const BadParameter& e) {
    const std::string what = e.what();
    CHECK_THAT(what, Contains(needle));
    CHECK(what.find('\n') == std::string::npos);
  }
}

}  // namespace

TEST_CASE("make_layout refuses bad parameters with a clear message", "[layout][bad]") {
  check_bad([] { ptebench::make_layout("x86_64", spec_of("dense", 0)); }, "at least one entry");
  check_bad([] { ptebench::make_layout("arm64", spec_of("dense", ptebench::kMaxPtes + 1)); },
            "exceeds the model's limit of 8388608");
  check_bad([] { ptebench::make_layout("x86_64", spec_of("bogus", 100)); },
            "unknown layout 'bogus'");
  check_bad([] { ptebench::make_layout("x86_64", spec_of("contpte", 512)); },
            "needs the contiguous bit, which the x86_64 format does not have");
  check_bad([] { ptebench::make_layout("arm64", spec_of("contpte", 100)); },
            "multiple of 16 entries, got 100");
  check_bad([] { ptebench::make_layout("riscv", spec_of("dense", 100)); },
            "unknown PTE format 'riscv'");
  check_bad([] { ptebench::make_layout("", spec_of("dense", 100)); }, "unknown PTE format ''");

  SECTION("fractions outside [0, 1], NaN included") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const double bad : {-0.1, 1.5, nan, std::numeric_limits<double>::infinity()}) {
      INFO("value " << bad);
      LayoutSpec s = spec_of("random", 100);
      s.fill = bad;
      check_bad([&] { ptebench::make_layout("x86_64", s); }, "fill must be in [0, 1]");
      s = spec_of("dense", 100);
      s.young_fraction = bad;
      check_bad([&] { ptebench::make_layout("arm64", s); }, "young_fraction must be in [0, 1]");
      s = spec_of("dense", 100);
      s.special_fraction = bad;
      check_bad([&] { ptebench::make_layout("arm64", s); }, "special_fraction must be in [0, 1]");
      s = spec_of("dense", 100);
      s.shadow_dirty_fraction = bad;
      check_bad([&] { ptebench::make_layout("x86_64", s); },
                "shadow_dirty_fraction must be in [0, 1]");
    }
  }
}

TEST_CASE("make_walk refuses images it cannot load with a clear message", "[walk][bad]") {
  const LayoutImage good = ptebench::make_layout("x86_64", spec_of("dense", 1000));
  const ptebench::WalkSpec spec{};

  check_bad([&] { ptebench::make_walk(spec, nullptr); }, "needs a layout image");
  SECTION("zero entries") {
    LayoutImage img = good;
    img.ptes = 0;
    img.entries.clear();
    img.pages.clear();
    img.shadow.clear();
    img.lru_order.clear();
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "at least one entry");
  }
  SECTION("more entries than the model's limit") {
    LayoutImage img = good;
    img.ptes = ptebench::kMaxPtes + 1;
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "exceeds the model's limit");
  }
  SECTION("entries and pages that do not match the count") {
    LayoutImage img = good;
    img.pages.pop_back();
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "is inconsistent");
    img = good;
    img.entries.push_back(0);
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "is inconsistent");
  }
  SECTION("a shadow of the wrong size") {
    LayoutImage img = good;
    img.shadow.resize(10);
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "shadow words");
    LayoutImage arm = ptebench::make_layout("arm64", spec_of("dense", 1000));
    arm.shadow.assign(1000, 0);
    check_bad([&] { ptebench::make_walk(spec, share(arm)); }, "the arm64 format needs none");
  }
  SECTION("an unknown format") {
    LayoutImage img = good;
    img.format = "sparc";
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "unknown PTE format 'sparc'");
  }
  SECTION("a start address that is not 2 MiB aligned or not in the user half") {
    LayoutImage img = good;
    img.start_addr += 4096;
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "not 2 MiB aligned");
    img.start_addr = (std::uint64_t{1} << 47) - 0x200000;
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "top of the user address space");
  }
  SECTION("an LRU index outside the range") {
    LayoutImage img = good;
    img.lru_order.push_back(1000);
    check_bad([&] { ptebench::make_walk(spec, share(img)); }, "LRU index 1000");
  }
}

TEST_CASE("a layout is reproducible from its seed", "[layout]") {
  for (const char* format : {"x86_64", "arm64"}) {
    for (const char* name : {"dense", "sparse", "random"}) {
      LayoutSpec s = spec_of(name, 3000);
      s.seed = 99;
      s.special_fraction = 0.1;
      const LayoutImage a = ptebench::make_layout(format, s);
      const LayoutImage b = ptebench::make_layout(format, s);
      INFO(format << "/" << name);
      CHECK(a.entries == b.entries);
      CHECK(a.shadow == b.shadow);
      CHECK(a.pages == b.pages);
      CHECK(a.lru_order == b.lru_order);
      s.seed = 100;
      CHECK(ptebench::make_layout(format, s).entries != a.entries);
    }
  }
}

TEST_CASE("each layout has the shape its name promises", "[layout]") {
  for (const char* format : {"x86_64", "arm64"}) {
    const ref::Pte f{format == std::string("x86_64") ? ref::Format::x86_64 : ref::Format::arm64};
    LayoutSpec s = spec_of("dense", 3000);
    s.special_fraction = 0.1;
    const LayoutImage dense = ptebench::make_layout(format, s);
    s.name = "sparse";
    const LayoutImage sparse = ptebench::make_layout(format, s);
    s.name = "random";
    s.fill = 0.25;
    const LayoutImage random = ptebench::make_layout(format, s);
    INFO(format);
    CHECK(dense.start_addr % 0x200000 == 0);
    CHECK(dense.format == format);
    CHECK(std::all_of(dense.entries.begin(), dense.entries.end(),
                      [&](std::uint64_t v) { return f.present(v) && !f.valid_cont(v); }));
    for (std::size_t i = 0; i < sparse.entries.size(); ++i)
      CHECK(f.present(sparse.entries[i]) == (i % 8 == 0));
    const auto present = std::count_if(random.entries.begin(), random.entries.end(),
                                       [&](std::uint64_t v) { return f.present(v); });
    CHECK(present > 3000 * 0.18);
    CHECK(present < 3000 * 0.32);

    for (const LayoutImage* img : {&dense, &sparse, &random}) {
      // Normal entries map their own frame and have a page mapped once; special entries map a
      // frame outside the memmap and have no page; the LRU list holds each mapped page once.
      std::vector<std::uint32_t> mapped;
      for (std::size_t i = 0; i < img->ptes; ++i) {
        const std::uint64_t v = img->entries[i];
        if (!f.present(v)) {
          CHECK(img->pages[i] == ptebench::PageState{});
          continue;
        }
        if (f.special(v)) {
          CHECK(f.pfn(v) >= img->base_pfn + img->ptes);
          CHECK(img->pages[i].mapcount == 0);
        } else {
          CHECK(f.pfn(v) == img->base_pfn + i);
          CHECK(img->pages[i].mapcount == 1);
          CHECK(img->pages[i].refcount == 1);
          mapped.push_back(static_cast<std::uint32_t>(i));
        }
      }
      std::vector<std::uint32_t> lru = img->lru_order;
      std::sort(lru.begin(), lru.end());
      CHECK(lru == mapped);
      CHECK(img->lru_order != mapped);  // shuffled, not in address order
    }
  }
}

TEST_CASE("contpte: aligned 16-entry blocks of contiguous - aligned frames", "[layout][arm64]") {
  const LayoutImage img = ptebench::make_layout("arm64", spec_of("contpte", 3008));
  const ref::Pte f{ref::Format::arm64};
  CHECK(img.start_addr % (16 * 4096) == 0);
  CHECK(img.base_pfn % 16 == 0);
  for (std::size_t i = 0; i < img.ptes; ++i) {
    INFO("entry " << i);
    CHECK(f.valid_cont(img.entries[i]));
    CHECK(f.pfn(img.entries[i]) == img.base_pfn + i);
  }
}

TEST_CASE("contpte: each block is one 16-page folio whose head holds its state",
          "[layout][arm64]") {
  const LayoutImage img = ptebench::make_layout("arm64", spec_of("contpte", 3008));
  std::vector<std::uint32_t> heads;
  for (std::size_t i = 0; i < img.ptes; ++i) {
    INFO("page " << i);
    const ptebench::PageState& p = img.pages[i];
    if (i % 16 == 0) {
      CHECK(p.nr_pages == 16);  // folio_nr_pages()
      CHECK(p.head_offset == 0);
      CHECK(p.refcount == 16);  // one reference and one mapping per entry
      CHECK(p.mapcount == 16);
      heads.push_back(static_cast<std::uint32_t>(i));
    } else {
      CHECK(p.nr_pages == 0);
      CHECK(p.head_offset == i % 16);
      CHECK(p.refcount == 0);
      CHECK(p.mapcount == 0);
      CHECK(p.flags == 0);
    }
  }
  // The LRU lists each folio once, by its head.
  std::vector<std::uint32_t> lru = img.lru_order;
  std::sort(lru.begin(), lru.end());
  CHECK(lru == heads);
}
