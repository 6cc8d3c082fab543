// Layout names and the decision of which layouts this kernel can give
// (workloads/native/native_layout.h): the decision table of thp_vma_allowable_orders() on fake
// sysfs trees, and the listing of the real one.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "workloads/native/native_error.h"
#include "workloads/native/native_layout.h"

namespace {

namespace fs = std::filesystem;
using namespace ptebench::native;

// A fake /sys/kernel/mm/transparent_hugepage in a temporary directory, removed afterwards.
class FakeThpSysfs {
 public:
  // `top`: the top-level enabled word ("" for none: THP not built); `sizes`: kB -> word ("" for a
  // directory without enabled).
  FakeThpSysfs(const std::string& top, const std::map<std::size_t, std::string>& sizes) {
    char tmpl[] = "/tmp/ptebench-thp-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    if (!top.empty()) write(dir_ / "enabled", choice(top, {"always", "madvise", "never"}));
    for (const auto& [kb, word] : sizes) {
      const fs::path sub = dir_ / ("hugepages-" + std::to_string(kb) + "kB");
      fs::create_directories(sub);
      if (!word.empty())
        write(sub / "enabled", choice(word, {"always", "inherit", "madvise", "never"}));
    }
  }
  ~FakeThpSysfs() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string dir() const { return dir_.string(); }

 private:
  static std::string choice(const std::string& selected, std::initializer_list<const char*> all) {
    std::string line;
    for (const char* word : all) {
      if (!line.empty()) line += ' ';
      line += word == selected ? "[" + selected + "]" : std::string(word);
    }
    return line + "\n";
  }
  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
  fs::path dir_;
};

NativeLayout mthp(std::size_t kb) {
  return {NativeLayout::Kind::mthp, kb * 1024};
}
const NativeLayout kThp{NativeLayout::Kind::thp, kPmdBytes};

TEST_CASE("layout names round-trip", "[native][layout]") {
  for (const char* name : {"4k", "thp", "mthp-16kB", "mthp-64kB", "mthp-1024kB", "mthp-8kB"})
    CHECK(parse_native_layout(name).name() == name);
  CHECK(parse_native_layout("mthp-64kB") == mthp(64));
  CHECK(parse_native_layout("thp").folio_bytes == kPmdBytes);
  CHECK(parse_native_layout("4k").folio_bytes == kBasePageBytes);
}

TEST_CASE("bad layout names are one-line NativeErrors", "[native][layout]") {
  for (const char* bad : {"", "4K", "2m", "mthp", "mthp-", "mthp-64", "mthp-64KB", "mthp-48kB",
                          "mthp-4kB", "mthp-2048kB", "mthp-4096kB", "mthp--64kB", "thp "}) {
    INFO("name '" << bad << "'");
    try {
      parse_native_layout(bad);
      FAIL_CHECK("no NativeError");
    } catch (const NativeError& e) {
      const std::string what = e.what();
      CHECK(what.find("unknown native layout '" + std::string(bad) + "'") != std::string::npos);
      CHECK(what.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("4k is always usable and opts out of THP when the kernel has it", "[native][layout]") {
  const FakeThpSysfs with("always", {{2048, "always"}});
  const LayoutPlan plan = plan_layout(parse_native_layout("4k"), with.dir());
  CHECK(plan.availability.usable);
  CHECK(plan.availability.reason.empty());
  CHECK(plan.advice == LayoutAdvice::nohugepage);
  const LayoutPlan without = plan_layout(parse_native_layout("4k"), "/nonexistent/thp");
  CHECK(without.availability.usable);
  CHECK(without.advice == LayoutAdvice::none);
}

TEST_CASE("thp follows hugepages-2048kB and the top-level knob", "[native][layout]") {
  struct Row {
    const char* top;
    const char* pmd;  // "" : no per-size directory (before Linux 6.8)
    bool usable;
    const char* reason;
  };
  const Row rows[] = {
      {"madvise", "inherit", true, ""},
      {"always", "inherit", true, ""},
      {"never", "inherit", false, "hugepages-2048kB/enabled is inherit, enabled is never"},
      {"never", "always", true, ""},
      {"never", "madvise", true, ""},
      {"always", "never", false, "hugepages-2048kB/enabled is never"},
      {"madvise", "", true, ""},
      {"never", "", false, "enabled is never"},
  };
  for (const Row& row : rows) {
    INFO("top " << row.top << ", 2048kB " << row.pmd);
    std::map<std::size_t, std::string> sizes;
    if (*row.pmd) sizes[2048] = row.pmd;
    const FakeThpSysfs sysfs(row.top, sizes);
    const LayoutPlan plan = plan_layout(kThp, sysfs.dir());
    CHECK(plan.availability.layout == "thp");
    CHECK(plan.availability.usable == row.usable);
    CHECK(plan.availability.reason == row.reason);
    if (row.usable) CHECK(plan.advice == LayoutAdvice::hugepage);
  }
}

TEST_CASE("mthp-S needs S to be the largest size the fault path may take", "[native][layout]") {
  SECTION("always, with the PMD size madvise-only: no advice gives 64 kB folios") {
    const FakeThpSysfs sysfs("madvise", {{64, "always"}, {2048, "inherit"}});
    const LayoutPlan plan = plan_layout(mthp(64), sysfs.dir());
    CHECK(plan.availability.usable);
    CHECK(plan.advice == LayoutAdvice::none);
  }
  SECTION("madvise with everything larger off: MADV_HUGEPAGE") {
    const FakeThpSysfs sysfs("never", {{64, "madvise"}, {128, "never"}, {2048, "inherit"}});
    const LayoutPlan plan = plan_layout(mthp(64), sysfs.dir());
    CHECK(plan.availability.usable);
    CHECK(plan.advice == LayoutAdvice::hugepage);
  }
  SECTION("inherit follows the top level") {
    const FakeThpSysfs sysfs("madvise", {{64, "inherit"}, {2048, "never"}});
    const LayoutPlan plan = plan_layout(mthp(64), sysfs.dir());
    CHECK(plan.availability.usable);
    CHECK(plan.advice == LayoutAdvice::hugepage);
  }
  SECTION("a larger size allowed in the same way takes precedence") {
    const FakeThpSysfs sysfs("always", {{64, "always"}, {2048, "inherit"}});
    const LayoutPlan plan = plan_layout(mthp(64), sysfs.dir());
    CHECK_FALSE(plan.availability.usable);
    CHECK(plan.availability.reason ==
          "a larger size is enabled too (hugepages-2048kB/enabled is inherit, enabled is always), "
          "so the kernel would allocate 2048 kB folios first");
  }
  SECTION("the blocker may be another mTHP size") {
    const FakeThpSysfs sysfs("never", {{64, "always"}, {256, "always"}, {2048, "never"}});
    CHECK_FALSE(plan_layout(mthp(64), sysfs.dir()).availability.usable);
    CHECK(plan_layout(mthp(256), sysfs.dir()).availability.usable);
  }
  SECTION("never, and inherit under a top-level never, say which knob") {
    const FakeThpSysfs sysfs("never", {{64, "never"}, {128, "inherit"}, {2048, "inherit"}});
    CHECK(plan_layout(mthp(64), sysfs.dir()).availability.reason ==
          "hugepages-64kB/enabled is never");
    CHECK(plan_layout(mthp(128), sysfs.dir()).availability.reason ==
          "hugepages-128kB/enabled is inherit, enabled is never");
  }
  SECTION("a size the kernel does not offer") {
    const FakeThpSysfs sysfs("madvise", {{64, "always"}, {8, ""}});
    const LayoutPlan plan = plan_layout(mthp(32), sysfs.dir());
    CHECK_FALSE(plan.availability.usable);
    CHECK(plan.availability.reason.find("no hugepages-32kB/enabled under " + sysfs.dir()) == 0);
    CHECK_FALSE(plan_layout(mthp(8), sysfs.dir()).availability.usable);
  }
  SECTION("no THP at all") {
    const LayoutPlan plan = plan_layout(mthp(64), "/nonexistent/thp");
    CHECK_FALSE(plan.availability.usable);
    CHECK(plan.availability.reason ==
          "transparent hugepages unavailable (/nonexistent/thp/enabled: No such file or "
          "directory)");
  }
}

TEST_CASE("list_layouts: 4k - thp - then each mTHP size below the PMD size", "[native][layout]") {
  const FakeThpSysfs sysfs("madvise", {{16, "never"}, {64, "always"}, {8, ""}, {2048, "inherit"}});
  const auto layouts = list_layouts(sysfs.dir());
  REQUIRE(layouts.size() == 4);
  CHECK(layouts[0].layout == "4k");
  CHECK(layouts[0].usable);
  CHECK(layouts[1].layout == "thp");
  CHECK(layouts[1].usable);
  CHECK(layouts[2].layout == "mthp-16kB");
  CHECK_FALSE(layouts[2].usable);
  CHECK(layouts[2].reason == "hugepages-16kB/enabled is never");
  CHECK(layouts[3].layout == "mthp-64kB");
  CHECK(layouts[3].usable);
}

TEST_CASE("list_layouts on this machine", "[native][layout]") {
  const auto layouts = list_layouts();
  REQUIRE(layouts.size() >= 2);
  CHECK(layouts[0].layout == "4k");
  CHECK(layouts[0].usable);
  CHECK(layouts[1].layout == "thp");
  for (const LayoutAvailability& a : layouts) {
    INFO(a.layout << ": " << (a.usable ? "usable" : a.reason));
    CHECK(a.usable == a.reason.empty());
    CHECK(a.reason.find('\n') == std::string::npos);
    // Every listed name parses, and planning it alone says the same.
    const LayoutPlan plan = plan_layout(parse_native_layout(a.layout));
    CHECK(plan.availability.usable == a.usable);
    CHECK(plan.availability.reason == a.reason);
    if (!a.usable) WARN("layout " << a.layout << " unavailable here: " << a.reason);
  }
}

}  // namespace
