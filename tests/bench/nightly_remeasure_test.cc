// nightly measures a noisy night again (bench/runner/nightly_remeasure.h), end to end: tonight's
// real run judged against synthetic reference nights (each case of one real run shifted by its own
// pattern a night). Against reference nights that put the copy_range cases at half and the munmap
// cases at twice their seed run's time, a real run reads one half 2x slower and the other 2x
// faster: its cases' z-values scatter far beyond the reference's spread however this machine moves
// the run (a 4x split that no machine state moves alike), so the night is noisy; the fresh measure
// is a script that writes a calm night (the reference's own levels), so it is measured exactly
// twice, and the calm measure is the night (judged, appended to the history, left at OUT), the
// first set aside. Against nights that scatter each case by +-20% an unslowed run is calm: measured
// once.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <signal.h>
#include <unistd.h>

#include "bench/runner/interrupt_guard.h"
#include "bench/runner/nightly_remeasure.h"
#include "cli_driver.h"
#include "harness/nightly_report.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"
#include "harness/run_context.h"
#include "skip.h"
#include "tests/harness/test_files.h"

namespace {

using ptebench::results::Row;
using ptebench::test::run_cli;
using ptebench::test::slurp;

constexpr char kScratchDir[] = "nightly_remeasure_test";

std::filesystem::path scratch(const std::string& name) {
  return ptebench::test::scratch_path(kScratchDir, name);
}

std::filesystem::path sibling(const std::filesystem::path& out, const std::string& suffix) {
  return std::filesystem::path(out).replace_extension(suffix);
}

const std::vector<std::string> kCases = {"--suite",       "quick",    "--filter",
                                         "copy_range/*",  "--filter", "munmap/*",
                                         "--repetitions", "3",        "--no-table"};

// Where the noisy tests' reference puts each case against its seed run: the copy_range cases at
// half their time, the munmap cases at twice (kCases: 18 of each).
double opposed_offset(const std::string& name) {
  return name.rfind("copy_range/", 0) == 0 ? 0.5 : 2.0;
}

// The noisy tests' reference nights move as a whole by up to +-5% (synthetic_nights' common
// factor), so that each case's loading on the night's factor is near 1 and the factor removes
// whatever tonight's whole run does. Without it the loadings of unrelated per-case patterns were
// anything in [0, 2] and a whole-run move stayed in every case: in a ctest -j2 of the nightly tests
// (2026-12-07) tonight's run read +109% as a whole, 27 of its 36 cases +7% to +714%, most z near
// the top of the t scale, their MAD about their median small, the null 1.26x: measured once, and
// the SIGTERM test failed. Checked with the seed's times scaled before the nights are built:
// without the common factor a seed at 0.25x failed so; with it seeds at 0.1x to 4x read noisy
// (2.66x to 11.95x).
constexpr double kMachineSpread = 0.05;

// 10 synthetic nights of one real run's rows (36 cases): night k, case c shifted by
// scatter * pattern[(k + 3c) % 8] (log), so that each case has its own spread about `scatter`, by
// offset(case) (a factor) on every night, and every case by common * machine[k] (log), a common
// factor of the nights (mean 0) for the cases' loadings on it to be near 1
// (harness/night_series.h).
std::vector<std::vector<Row>> synthetic_nights(
    const std::vector<Row>& run, double scatter,
    double (*offset)(const std::string&) = [](const std::string&) { return 1.0; },
    double common = 0) {
  static const double pattern[] = {1.0, -0.8, 0.4, -1.0, 0.6, 0.0, -0.4, 0.8};
  static const double machine[] = {1.0, -1.0, 0.6, -0.6, 0.2, -0.2, 0.8, -0.8, 0.4, -0.4};
  std::vector<std::vector<Row>> nights(10);
  for (std::size_t k = 0; k < nights.size(); ++k) {
    std::map<std::string, std::size_t> index;
    for (Row r : run) {
      const std::string name = ptebench::results::case_name(ptebench::results::case_key(r));
      const std::size_t c = index.emplace(name, index.size()).first->second;
      r.run_id = "synthetic-night-" + std::to_string(k);
      r.value *= offset(name) * std::exp(scatter * pattern[(k + 3 * c) % 8] + common * machine[k]);
      nights[k].push_back(r);
    }
  }
  return nights;
}

// A history of those nights written to `history` from a real run at scratch(seed_name); the
// nights returned.
std::vector<std::vector<Row>> write_history(
    const std::filesystem::path& history, const std::string& seed_name, double scatter,
    double (*offset)(const std::string&) = [](const std::string&) { return 1.0; },
    double common = 0) {
  const auto seed = scratch(seed_name);
  std::vector<std::string> words = {"run", "--out", seed.string()};
  words.insert(words.end(), kCases.begin(), kCases.end());
  REQUIRE(run_cli(words) == 0);
  const auto nights =
      synthetic_nights(ptebench::results::read_results(seed), scatter, offset, common);
  std::vector<Row> rows;
  for (const auto& n : nights) rows.insert(rows.end(), n.begin(), n.end());
  ptebench::results::write_results(history, rows);
  return nights;
}

// The noisy tests' fresh measure (PTEBENCH_EXE, "/bin/sh SCRIPT run ... --out PATH"): the calm
// night, the seed run at its reference levels (offset, no scatter) as run `calm_id`, with the seed
// run's context, copied to PATH. Returns the command.
std::string calm_measure_command(const std::string& seed_name, const std::string& calm_id) {
  // Written by write_history (scratch() would remove it).
  const auto seed = std::filesystem::path(PTEBENCH_BINARY_DIR) / kScratchDir / seed_name;
  const auto calm = scratch(calm_id + ".csv");
  std::vector<Row> rows = ptebench::results::read_results(seed);
  for (Row& r : rows) {
    r.run_id = calm_id;
    r.value *= opposed_offset(ptebench::results::case_name(ptebench::results::case_key(r)));
  }
  ptebench::results::write_results(calm, rows);
  const auto script = scratch(calm_id + ".sh");
  std::ofstream(script) << "while [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done\n"
                        << "cp '" << calm.string() << "' \"$out\"\n"
                        << "cp '" << ptebench::context::context_path(seed).string()
                        << "' \"${out%.csv}.context.csv\"\n";
  return "/bin/sh " + script.string();
}

// `exe`: the command nightly's child processes run (PTEBENCH_EXE), its fresh measures.
int nightly(const std::filesystem::path& history, const std::filesystem::path& out,
            std::vector<std::string> extra = {}, const std::string& exe = PTEBENCH_EXE_COMMAND) {
  // A run_id is the start second, host and pid: a second night in this process needs a new second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  setenv("PTEBENCH_EXE", exe.c_str(), 1);
  std::vector<std::string> words = {
      "nightly",       "--history", history.string(), "--out",    out.string(),
      "--min-history", "5",         "--no-exact",     "--reruns", "0"};
  words.insert(words.end(), kCases.begin(), kCases.end());
  words.insert(words.end(), extra.begin(), extra.end());
  return run_cli(words);
}

// nightly's flags for the noisy tests: the first factor alone removed (--factors 0; the further
// factors could take a group's move in as the machine's), so that the median over cases falls
// between the opposed halves and each half reads far from its level, the other way from the other;
// at most 2 more measures, 1 s apart (the default waits 30 s before each of up to 4).
const std::vector<std::string> kNoisyFlags = {"--factors",          "0", "--remeasure", "2",
                                              "--remeasure-wait-s", "1"};

// The one-night split's null of `rows` judged as tonight against `nights`, as nightly's options
// (--min-history 5, --factors as given, the rest default) judge it, formatted as the report gives
// it ("2.41x").
std::string null_of(const std::vector<std::vector<Row>>& nights, const std::vector<Row>& rows,
                    std::size_t further_factors = ptebench::nightly::kFurtherFactors) {
  std::vector<const std::vector<Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  pointers.push_back(&rows);
  ptebench::nightly::JudgeOptions options;
  options.min_history = 5;
  options.window = 20;
  options.further_factors = further_factors;
  const std::optional<double> scale =
      ptebench::nightly::tonight_null_scale(pointers, {"ns_per_pte"}, options);
  REQUIRE(scale.has_value());
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", *scale);
  return text;
}

// Why the tests that signal from a second thread skip under qemu-user: there qemu-user 7.2 hung in
// their pthread_create, before the thread's first system call (the arm64 CI, 2026-12-05; as
// compare's two-thread test did, b512522).
constexpr char kSecondThread[] = "a second thread hangs qemu-user before its first system call";

std::set<std::string> run_ids(const std::vector<Row>& rows) {
  std::set<std::string> out;
  for (const Row& r : rows) out.insert(r.run_id);
  return out;
}

}  // namespace

TEST_CASE("nightly: a noisy night is measured again and the calmest measure is the night") {
  // Run under qemu-user too: there every case of a run moved by +20% to +110% against the
  // reference (the arm64 CI of 2026-12-03), far less than the opposed reference's 4x split (until
  // 2026-12-07 this test skipped there: against an unshifted reference the null widened 1.03x).
  const auto history = scratch("noisy-history.csv");
  const auto nights =
      write_history(history, "noisy-seed.csv", 0.01, opposed_offset, kMachineSpread);
  const auto out = scratch("noisy-night.csv");
  // The fresh measure writes the calm night (kNoisyFlags: at most 2 more measures, 1 s apart).
  // (Until 2026-12-07 the night was made noisy by slowing half of its cases by 50% against an
  // unshifted reference, and measured again for real: in the sanitizer CI of 2026-12-07 07:10 the
  // machine moved the cases so that the null widened only 1.41x and the night was measured once.)
  const std::string calm_id = "scripted-calm-measure";
  // The night judged is the calm measure: nothing moved, exit 0.
  REQUIRE(nightly(history, out, kNoisyFlags, calm_measure_command("noisy-seed.csv", calm_id)) == 0);
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  const std::string md = slurp(sibling(out, ".md"));
  INFO(md);
  // The report's line, its parts read between the fixed words (no std::regex: GCC 12's, under
  // the sanitizers' -O2 -Werror, trips -Wmaybe-uninitialized in <regex> itself).
  std::string_view rest = md;
  const auto take = [&rest](std::string_view before, std::string_view after) {
    const std::size_t from = rest.find(before);
    REQUIRE(from != std::string_view::npos);
    rest.remove_prefix(from + before.size());
    const std::size_t to = rest.find(after);
    REQUIRE(to != std::string_view::npos);
    const std::string part(rest.substr(0, to));
    rest.remove_prefix(to);
    return part;
  };
  const std::string first =
      take("- tonight's run was noisy (the one-night split's null widened ", ", above 1.50x): ");
  const std::string count = take(", above 1.50x): measured ", " times in all, 1 s apart (");
  const std::string list = take(" times in all, 1 s apart (", "); the night is measure ");
  const std::string night_number = take("); the night is measure ", ", the calmest; set aside: ");
  const std::string aside_listed = take(", the calmest; set aside: ", "\n");
  // Noisy, then calm: measured twice, the calm second measure is the night.
  REQUIRE(count == "2");
  REQUIRE(night_number == "2");
  std::vector<std::string> listed;
  for (std::size_t at = 0, comma = 0; at < list.size(); at = comma + 2) {
    comma = std::min(list.find(", ", at), list.size());
    listed.push_back(list.substr(at, comma - at));
  }
  REQUIRE(listed.size() == 2);
  CHECK(first == listed.front());  // the first measure's widening opens the line
  CHECK(aside_listed == sibling(out, ".noisy1.csv").string());
  // The files: the night at OUT (the calm measure), the first run set aside with its context, no
  // measure left under its working name.
  const auto aside = sibling(out, ".noisy1.csv");
  const std::vector<Row> first_run = ptebench::results::read_results(aside);
  CHECK(std::filesystem::exists(ptebench::context::context_path(aside)));
  const std::vector<Row> night = ptebench::results::read_results(out);
  CHECK(night.front().run_id == calm_id);
  CHECK(first_run.front().run_id != calm_id);
  CHECK(std::filesystem::exists(ptebench::context::context_path(out)));
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".noisy2.csv")));
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".remeasure1.csv")));
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".remeasure2.csv")));
  // Each measure's widening, recomputed from its file, is the one listed: the first run's above
  // the 1.5x bound (so measured again), the calm night's within it (so no third measure).
  CHECK(null_of(nights, first_run, 0) == listed[0]);
  CHECK(null_of(nights, night, 0) == listed[1]);
  CHECK(std::stod(listed[0]) > 1.5);
  CHECK(std::stod(listed[1]) <= 1.5);
  // The history holds the night and not the measure set aside.
  const std::set<std::string> stored = run_ids(ptebench::results::read_results(history));
  CHECK(stored.count(calm_id) == 1);
  CHECK(stored.count(first_run.front().run_id) == 0);
  CHECK(stored.size() == 11);
  CHECK(md.find("# ptebench nightly: " + calm_id) != std::string::npos);

  // --remeasure 0: measured once however noisy; the set-aside files of the night before at this
  // OUT are removed (not tonight's). (A real run again: the opposed halves' second night may
  // confirm them, exit 1.)
  std::vector<std::string> once_flags = kNoisyFlags;
  once_flags.insert(once_flags.end(), {"--remeasure", "0"});
  const int once_status = nightly(history, out, once_flags);
  const std::string once = slurp(sibling(out, ".md"));
  CHECK((once_status == 1) == (once.find("**regression**") != std::string::npos));
  CHECK(once.find("- many cases moved tonight") != std::string::npos);
  CHECK(once.find("tonight's run was noisy") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".noisy1.csv")));
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".noisy2.csv")));
  CHECK(run_ids(ptebench::results::read_results(history)).size() == 12);
}

TEST_CASE(
    "nightly: SIGTERM to nightly alone during a noisy night's measures: 130, nothing appended") {
  // `kill PID` or a supervisor sends SIGTERM to nightly alone, here while a fresh measure of a
  // noisy night runs (the night made noisy as in the test above: a real run against the opposed
  // reference). The measure is passed the signal and ends at once; nightly exits 130 with the
  // history as it was and no report. (Until 2026-12-07 the night was half slowed against an
  // unshifted reference and the test skipped under qemu-user, and when the machine moved every
  // case alike, the whole run once +255%, and the night was not measured again.)
  const auto history = scratch("term-history.csv");
  write_history(history, "term-seed.csv", 0.01, opposed_offset, kMachineSpread);
  const std::string before = slurp(history);
  const auto out = scratch("term-noisy-night.csv");
  std::filesystem::remove(sibling(out, ".md"));
  // The measure's command: SIGTERM to nightly (this process) alone, then 60 s asleep.
  const auto script = scratch("term-exe.sh");
  std::ofstream(script) << "kill -TERM " << ::getpid() << "\nexec sleep 60\n";
  const auto start = std::chrono::steady_clock::now();
  const int status = nightly(history, out, kNoisyFlags, "/bin/sh " + script.string());
  const auto took = std::chrono::steady_clock::now() - start;
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  CHECK(status == 130);
  CHECK(slurp(history) == before);                            // tonight not appended
  CHECK(std::filesystem::exists(out));                        // its first run kept at OUT
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".md")));  // no verdict, no report
  CHECK(took < std::chrono::seconds{55});                     // the measure's sleep 60 ended
}

TEST_CASE("nightly: a calm night is measured once") {
  // Under qemu-user a case's time moved by up to 2.6x between nights (the translator): a real run
  // there is no calm night against any reference; measured natively.
  PTEBENCH_SKIP_UNDER_EMULATOR("timings scatter beyond any reference");
  // Each case scattered by up to +-20% a night (+-8% was not enough while another job ran beside
  // the test: tonight read 1.55x).
  const auto history = scratch("calm-history.csv");
  const auto nights = write_history(history, "calm-seed.csv", 0.2);
  const auto out = scratch("calm-night.csv");
  REQUIRE(nightly(history, out) == 0);
  const std::string md = slurp(sibling(out, ".md"));
  INFO(md);
  const std::vector<Row> night = ptebench::results::read_results(out);
  INFO("tonight's null " << null_of(nights, night));
  CHECK(std::stod(null_of(nights, night)) <= 1.5);
  CHECK(md.find("tonight's run was noisy") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".remeasure1.csv")));
  CHECK_FALSE(std::filesystem::exists(sibling(out, ".noisy1.csv")));
  CHECK(run_ids(ptebench::results::read_results(history)).count(night.front().run_id) == 1);
}

TEST_CASE(
    "nightly: --noisy-null below 1, a negative count or wait is bad usage, exit 2 before anything "
    "runs") {
  const auto out = scratch("usage-night.csv");
  CHECK(run_cli({"nightly", "--history", scratch("usage.csv").string(), "--noisy-null", "0.5",
                 "--out", out.string()}) == 2);
  CHECK(run_cli({"nightly", "--history", scratch("usage.csv").string(), "--remeasure", "-1",
                 "--out", out.string()}) == 2);
  CHECK(run_cli({"nightly", "--history", scratch("usage.csv").string(), "--remeasure-wait-s", "-5",
                 "--out", out.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(scratch("usage.csv")));
}

TEST_CASE("measure_until_calm: measures again while the calmest so far is noisy, at most N times") {
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  ptebench::cli::RunConfig night;
  night.filters = {"copy_range/x86_64/plain/dense/4096/kernel"};
  night.repetitions = 1;
  night.no_pin = true;
  night.out = scratch("rule-night.csv").string();
  // The first run as a re-measure's arguments run it (`run ...`, the night's configuration).
  const std::vector<std::string> words = ptebench::cli::remeasure_args(night, night.out);
  REQUIRE(words.front() == "run");
  REQUIRE(run_cli(words) == 0);
  const std::vector<Row> first = ptebench::results::read_results(night.out);
  // Each measure's null read in turn from a script: the rule, not this machine, decides.
  const auto scripted = [](std::vector<std::optional<double>> nulls) {
    return [nulls, next = std::size_t{0}](const std::vector<Row>&) mutable {
      return nulls.at(next++);
    };
  };
  const auto nulls_of = [](const ptebench::cli::NightMeasures& m) {
    std::vector<double> out;
    for (const auto& measure : m.measures) out.push_back(measure.null_scale);
    return out;
  };
  // Calm at once, or collecting history (nothing to judge against): measured once.
  CHECK(nulls_of(ptebench::cli::measure_until_calm(night, first, scripted({1.4}), 2, 1.5)) ==
        std::vector<double>{1.4});
  CHECK(nulls_of(ptebench::cli::measure_until_calm(night, first, scripted({std::nullopt}), 2,
                                                   1.5)) == std::vector<double>{1.0});
  // Noisy, then calm: a second measure only, even when more are allowed; it is the night.
  auto calm_second = ptebench::cli::measure_until_calm(night, first, scripted({2.0, 1.2}), 5, 1.5);
  CHECK(nulls_of(calm_second) == std::vector<double>{2.0, 1.2});
  CHECK(calm_second.chosen == 1);
  CHECK(calm_second.measures[1].path == sibling(night.out, ".remeasure1.csv").string());
  CHECK(calm_second.measures[1].rows.size() > 0);
  // A wait before each fresh measure, none before the first run or after the last measure; no
  // wait asked, none waited.
  std::vector<long long> waits;
  const auto record = [&waits](std::chrono::seconds s) { waits.push_back(s.count()); };
  auto waited = ptebench::cli::measure_until_calm(night, first, scripted({2.0, 1.7, 1.2}), 4, 1.5,
                                                  std::chrono::seconds{30}, record);
  CHECK(nulls_of(waited) == std::vector<double>{2.0, 1.7, 1.2});
  CHECK(waited.chosen == 2);
  CHECK(waited.wait == std::chrono::seconds{30});
  CHECK(waits == std::vector<long long>{30, 30});
  waits.clear();
  ptebench::cli::measure_until_calm(night, first, scripted({2.0, 1.7}), 1, 1.5,
                                    std::chrono::seconds{0}, record);
  CHECK(waits.empty());
  ptebench::cli::measure_until_calm(night, first, scripted({1.2}), 4, 1.5, std::chrono::seconds{30},
                                    record);
  CHECK(waits.empty());  // calm at once: no wait
  // Noisy three times: at most 2 more, the calmest (not the last) is the night.
  auto noisy = ptebench::cli::measure_until_calm(night, first, scripted({2.0, 1.7, 1.9}), 2, 1.5);
  CHECK(nulls_of(noisy) == std::vector<double>{2.0, 1.7, 1.9});
  CHECK(noisy.chosen == 1);
  // --remeasure 0: measured once however noisy.
  CHECK(nulls_of(ptebench::cli::measure_until_calm(night, first, scripted({3.0}), 0, 1.5)) ==
        std::vector<double>{3.0});
  // Settled: the night at OUT (its rows), the others set aside in measuring order.
  const std::string night_id = noisy.measures[1].rows.front().run_id;
  const std::string first_id = first.front().run_id;
  ptebench::cli::settle_measures(night, noisy);
  CHECK(noisy.set_aside == std::vector<std::string>{sibling(night.out, ".noisy1.csv").string(),
                                                    sibling(night.out, ".noisy2.csv").string()});
  CHECK(ptebench::results::read_results(night.out).front().run_id == night_id);
  CHECK(ptebench::results::read_results(sibling(night.out, ".noisy1.csv")).front().run_id ==
        first_id);
  CHECK_FALSE(std::filesystem::exists(sibling(night.out, ".remeasure1.csv")));
  CHECK_FALSE(std::filesystem::exists(sibling(night.out, ".remeasure2.csv")));
  // A measure whose process fails is left out: the first run stays the night.
  setenv("PTEBENCH_EXE", "false", 1);
  auto failed = ptebench::cli::measure_until_calm(night, ptebench::results::read_results(night.out),
                                                  scripted({2.0}), 2, 1.5);
  CHECK(nulls_of(failed) == std::vector<double>{2.0});
  CHECK(failed.chosen == 0);
  // Failed, each of the two is tried; interrupted (exit 130, as after Ctrl-C), no further one.
  const auto attempts = scratch("rule-attempts.txt");
  const auto count_attempts = [&](int status) {
    std::filesystem::remove(attempts);
    const auto script = scratch("rule-exit.sh");
    std::ofstream(script) << "#!/bin/sh\necho x >> '" << attempts.string() << "'\nexit " << status
                          << "\n";
    std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    setenv("PTEBENCH_EXE", script.c_str(), 1);
    const auto m = ptebench::cli::measure_until_calm(night, first, scripted({2.0}), 2, 1.5);
    CHECK(m.measures.size() == 1);
    const std::string lines = slurp(attempts);
    return static_cast<std::size_t>(std::count(lines.begin(), lines.end(), '\n'));
  };
  CHECK(count_attempts(1) == 2);
  CHECK(count_attempts(130) == 1);
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
}

TEST_CASE(
    "measure_until_calm: SIGTERM to nightly alone ends the measure running and the measuring") {
  PTEBENCH_SKIP_UNDER_EMULATOR(kSecondThread);
  // `kill PID` or a supervisor sends SIGTERM to nightly alone. The measure running is a shell and
  // the command it starts (PTEBENCH_EXE: here a script that records its pid and sleeps 60 s), in a
  // process group of their own that the signal is passed on to: both end at once, no further
  // measure is taken, and the measuring says it was interrupted.
  const auto pid_file = scratch("term-measure.pid");
  const auto script = scratch("term-measure.sh");
  std::filesystem::remove(pid_file);
  std::ofstream(script) << "#!/bin/sh\necho $$ > '" << pid_file.string() << "'\nexec sleep 60\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  setenv("PTEBENCH_EXE", script.c_str(), 1);
  ptebench::cli::RunConfig night;
  night.filters = {"copy_range/x86_64/plain/dense/4096/kernel"};
  night.repetitions = 1;
  night.out = scratch("term-night.csv").string();
  // SIGTERM to this process (nightly runs in it) once the measure's command has started.
  std::thread sender([&] {
    for (int i = 0; i < 200 && !std::filesystem::exists(pid_file); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(::getpid(), SIGTERM);
  });
  const auto noisy = [](const std::vector<Row>&) { return std::optional<double>(2.0); };
  const auto start = std::chrono::steady_clock::now();
  const auto m = ptebench::cli::measure_until_calm(night, {}, noisy, 3, 1.5);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  sender.join();
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  CHECK(m.interrupted);
  CHECK(m.measures.size() == 1);  // the first run only: the interrupted measure left out
  CHECK(seconds.count() < 30);    // the sleep 60 was ended, not waited for
  REQUIRE(std::filesystem::exists(pid_file));
  const pid_t command = static_cast<pid_t>(std::stol(slurp(pid_file)));
  // Ended (gone, or a zombie until init reaps it), not sleeping on.
  for (int i = 0; i < 100 && ::kill(command, 0) == 0; ++i) {
    std::ifstream stat("/proc/" + std::to_string(command) + "/stat");
    std::string pid, name, state;
    stat >> pid >> name >> state;
    if (!stat || state == "Z") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::ifstream stat("/proc/" + std::to_string(command) + "/stat");
  std::string pid, name, state;
  stat >> pid >> name >> state;
  CHECK((!stat || state == "Z"));
}

TEST_CASE("measure_until_calm: SIGTERM during the wait before a measure starts none") {
  setenv("PTEBENCH_EXE", "false", 1);  // were a measure started, it would fail, not interrupt
  ptebench::cli::RunConfig night;
  night.out = scratch("term-wait-night.csv").string();
  const auto noisy = [](const std::vector<Row>&) { return std::optional<double>(2.0); };
  // The signal arrives during the wait (here a recorded wait that sends it, in place of the 30 s
  // sleep): no measure is started after it.
  std::size_t waits = 0;
  const auto signalled_wait = [&waits](std::chrono::seconds) {
    ++waits;
    ::kill(::getpid(), SIGTERM);
  };
  const auto m = ptebench::cli::measure_until_calm(night, {}, noisy, 3, 1.5,
                                                   std::chrono::seconds{30}, signalled_wait);
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  CHECK(m.interrupted);
  CHECK(waits == 1);
  CHECK(m.measures.size() == 1);
}

TEST_CASE("sleep_for_seconds: Ctrl-C or SIGTERM ends the wait before a measure at once") {
  PTEBENCH_SKIP_UNDER_EMULATOR(kSecondThread);
  // sleep_for_seconds(30) returns at once on the signal (sent to this thread, the one that
  // sleeps, from a second one).
  const pthread_t sleeper = ::pthread_self();
  std::thread sender([sleeper] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::pthread_kill(sleeper, SIGTERM);
  });
  const auto start = std::chrono::steady_clock::now();
  {
    const ptebench::cli::InterruptGuard guard;  // the handler nightly has while it waits
    ptebench::cli::sleep_for_seconds(std::chrono::seconds{30});
    CHECK(guard.raised());
  }
  sender.join();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{10});
}
