#include "bench/cli/flags.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "harness/input_error.h"

using ptebench::InputError;
using ptebench::cli::FlagParser;

namespace {

// argv from a list of words (argv[0] = "ptebench", argv[1] = the command).
struct Argv {
  explicit Argv(std::vector<std::string> words) : storage(std::move(words)) {
    for (auto& w : storage) ptrs.push_back(w.data());
  }
  int argc() { return static_cast<int>(ptrs.size()); }
  char** argv() { return ptrs.data(); }
  std::vector<std::string> storage;
  std::vector<char*> ptrs;
};

}  // namespace

TEST_CASE("flags parse into typed fields - both --flag value and --flag=value") {
  std::string suite = "quick";
  std::vector<std::string> filters;
  std::int64_t reps = 0;
  double threshold = 2;
  bool quiet = false;
  FlagParser p("run");
  p.add_string("suite", &suite, "suite");
  p.add_strings("filter", &filters, "glob");
  p.add_int("repetitions", &reps, 1, "reps");
  p.add_double("threshold", &threshold, "pct");
  p.add_bool("quiet", &quiet, "quiet");
  Argv a({"ptebench", "run", "--suite", "nightly", "--filter=a*", "--filter", "b*",
          "--repetitions=7", "--threshold", "-1.5", "--quiet", "pos"});
  const auto positional = p.parse(a.argc(), a.argv(), 2);
  CHECK(suite == "nightly");
  CHECK(filters == std::vector<std::string>{"a*", "b*"});
  CHECK(reps == 7);
  CHECK(threshold == -1.5);
  CHECK(quiet);
  CHECK(positional == std::vector<std::string>{"pos"});
  CHECK_FALSE(p.help_requested());
  CHECK_THAT(p.usage(), Catch::Contains("--repetitions VALUE"));
}

TEST_CASE("bad flags are one clear line") {
  std::int64_t reps = 0;
  bool quiet = false;
  double d = 0;
  FlagParser p("run");
  p.add_int("repetitions", &reps, 1, "reps");
  p.add_bool("quiet", &quiet, "quiet");
  p.add_double("alpha", &d, "alpha");
  SECTION("unknown flag") {
    Argv a({"ptebench", "run", "--bogus"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2),
                        "ptebench run: unknown flag '--bogus' (see ptebench run --help)");
  }
  SECTION("unknown short flag") {
    Argv a({"ptebench", "run", "-x"});
    REQUIRE_THROWS_AS(p.parse(a.argc(), a.argv(), 2), InputError);
  }
  SECTION("missing value") {
    Argv a({"ptebench", "run", "--repetitions"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2),
                        "ptebench run: --repetitions needs a value");
  }
  SECTION("not a number") {
    Argv a({"ptebench", "run", "--repetitions", "5x"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2), Catch::Contains("takes a whole number"));
  }
  SECTION("below the minimum") {
    Argv a({"ptebench", "run", "--repetitions=0"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2), Catch::Contains("at least 1"));
  }
  SECTION("above the maximum") {
    std::int64_t wait = 30;
    p.add_int("wait", &wait, 0, "wait", 3600);
    Argv ok({"ptebench", "run", "--wait=3600"});
    p.parse(ok.argc(), ok.argv(), 2);
    CHECK(wait == 3600);
    Argv a({"ptebench", "run", "--wait", "3601"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2),
                        "ptebench run: --wait must be at most 3600, got 3601");
  }
  SECTION("value given to a switch") {
    Argv a({"ptebench", "run", "--quiet=yes"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2), Catch::Contains("takes no value"));
  }
  SECTION("nan is not a number") {
    Argv a({"ptebench", "run", "--alpha", "nan"});
    REQUIRE_THROWS_WITH(p.parse(a.argc(), a.argv(), 2), Catch::Contains("takes a number"));
  }
}

namespace {
enum class Fruit { apple, pear, fig };
constexpr FlagParser::Choice<Fruit> kFruits[] = {
    {"apple", Fruit::apple}, {"pear", Fruit::pear}, {"fig", Fruit::fig}};
}  // namespace

TEST_CASE("a choice takes a name of its table - and refuses others with the table's names") {
  Fruit fruit = Fruit::pear;
  FlagParser p("eat");
  p.add_choice<Fruit>("fruit", &fruit, kFruits, "what to eat");
  // The help lists the names and shows the bound field's value as the default.
  CHECK_THAT(p.usage(), Catch::Contains("what to eat (apple | pear | fig) (default pear)"));
  Argv ok({"ptebench", "eat", "--fruit", "fig"});
  p.parse(ok.argc(), ok.argv(), 2);
  CHECK(fruit == Fruit::fig);
  FlagParser q("eat");
  q.add_choice<Fruit>("fruit", &fruit, kFruits, "what to eat");
  Argv bad({"ptebench", "eat", "--fruit=kiwi"});
  REQUIRE_THROWS_AS(q.parse(bad.argc(), bad.argv(), 2), InputError);
  REQUIRE_THROWS_WITH(q.parse(bad.argc(), bad.argv(), 2),
                      "ptebench eat: unknown --fruit 'kiwi' (known: apple, pear, fig)");
}

TEST_CASE("defaults in the help are read from the bound fields") {
  std::int64_t reps = 20;
  double alpha = 0.05;
  std::string out = "ab.csv";
  std::string empty;
  std::int64_t meaning = 0;
  FlagParser p("ab");
  p.add_int("repetitions", &reps, 1, "repetitions per side");
  p.add_double("alpha", &alpha, "significance level");
  p.add_string("out", &out, "results");
  p.add_string("label", &empty, "a label");
  p.add_int("cpu", &meaning, 0, "CPU (default: the last allowed CPU)");
  const std::string usage = p.usage();
  CHECK_THAT(usage, Catch::Contains("repetitions per side (default 20)\n"));
  CHECK_THAT(usage, Catch::Contains("significance level (default 0.05)\n"));
  CHECK_THAT(usage, Catch::Contains("results (default ab.csv)\n"));
  CHECK_THAT(usage, Catch::Contains("a label\n"));  // empty: nothing to show
  // A help text that states its own default (a meaning, not the field's value) keeps it.
  CHECK_THAT(usage, Catch::Contains("CPU (default: the last allowed CPU)\n"));
}
