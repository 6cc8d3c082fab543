#include "bench/matrix/cases.h"

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "bench/matrix/suites.h"
#include "harness/input_error.h"
#include "harness/results_row.h"
#include "workloads/catalog.h"

using namespace ptebench::cli;

TEST_CASE("suites are data and every suite expands to named cases") {
  for (const SuiteSpec& s : suites()) {
    const auto cases = expand_suite(s, {});
    CHECK(cases.size() > 10);
    std::set<std::string> names;
    for (const CaseSpec& c : cases) names.insert(c.name());
    CHECK(names.size() == cases.size());  // names are unique
  }
  CHECK(find_suite("quick") != nullptr);
  CHECK(find_suite("nope") == nullptr);
}

TEST_CASE("the quick suite covers every walker x format x variant - contpte only on arm64") {
  const auto cases = expand_suite(*find_suite("quick"), {});
  std::map<std::string, int> per_variant;
  for (const CaseSpec& c : cases) {
    if (c.native) {
      CHECK(c.pte_format == "native");
      CHECK(c.variant == "kernel");
      // 64 MiB: 4 operations would fit, the quick suite caps them at 2 (native_ops_max).
      CHECK(c.iterations == 2);
      continue;
    }
    ++per_variant[c.variant];
    if (c.layout == "contpte") CHECK(c.pte_format == "arm64");
    CHECK(c.iterations >= 1);
    CHECK(c.iterations * c.ptes >= (std::uint64_t{1} << 20));
  }
  CHECK(per_variant["plain"] == per_variant["read_once"]);
  CHECK(per_variant["plain"] == per_variant["arch"]);
  CHECK(per_variant["plain"] == 6 * 3 * 2);  // walkers x (x86 dense, arm64 dense+contpte) x sizes
}

TEST_CASE("native operations per repetition: by size, at most the suite's native_ops_max") {
  SuiteSpec suite = *find_suite("full");  // native at 64 MiB and 1 GiB, no cap below 4
  suite.walkers.clear();
  for (const CaseSpec& c : expand_suite(suite, {}))
    CHECK(c.iterations == (c.size_bytes == (std::uint64_t{64} << 20) ? 4u : 1u));
  suite.native_ops_max = 3;
  for (const CaseSpec& c : expand_suite(suite, {}))
    CHECK(c.iterations == (c.size_bytes == (std::uint64_t{64} << 20) ? 3u : 1u));
}

TEST_CASE("filters are globs over case names - matching nothing is bad input") {
  const SuiteSpec& quick = *find_suite("quick");
  const auto some = expand_suite(quick, {"copy_range/arm64/*/contpte/4096/*"});
  REQUIRE(some.size() == 3);
  CHECK(some[0].name() == "copy_range/arm64/plain/contpte/4096/kernel");
  REQUIRE_THROWS_AS(expand_suite(quick, {"no_such_walker/*"}), ptebench::InputError);
  REQUIRE_THROWS_WITH(expand_suite(quick, {"no_such_walker/*"}),
                      Catch::Contains("matches no case of suite 'quick'"));
}

TEST_CASE("variants of a group are adjacent and rotate by repetition") {
  const auto cases = expand_suite(*find_suite("quick"), {"zap_range/x86_64/*/dense/4096/*"});
  REQUIRE(cases.size() == 3);
  for (int rep = 0; rep < 3; ++rep) {
    const auto order = interleaved_order(cases, rep);
    REQUIRE(order.size() == 3);
    CHECK(order[0]->variant == cases[static_cast<std::size_t>(rep)].variant);
    std::set<std::string> seen;
    for (const CaseSpec* c : order) seen.insert(c->variant);
    CHECK(seen.size() == 3);
  }
}

TEST_CASE("case names are the results' case names - and every part comes from a catalogue") {
  for (const SuiteSpec& s : suites()) {
    for (const CaseSpec& c : expand_suite(s, {})) {
      const ptebench::results::CaseKey key{c.codegen, c.workload, c.pte_format,
                                           c.variant, c.layout,   c.ptes};
      CHECK(c.name() == ptebench::results::case_name(key));
      if (c.native) continue;
      CHECK(ptebench::parse_walker(c.workload) == c.walk.walker);
      CHECK(ptebench::parse_variant(c.variant) == c.walk.variant);
      CHECK(ptebench::parse_profile(c.codegen) == c.walk.profile);
    }
  }
}
