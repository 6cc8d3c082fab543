// nightly judged against its history, end to end (bench/cli/cmd_nightly.cc): collecting history
// until enough nights; a step injected into one case is a suspect on its first night (re-run in
// fresh processes, exit 0) and a confirmed regression on its second (exit 1, a JUnit failure);
// a confirmed improvement is re-run before it is reported; --update-baseline restarts the window
// at its run; Ctrl-C during the re-runs ends it with 130 and appends nothing. The reference nights
// are synthetic copies of one real run (each night the same rows, shifted by a fixed pattern
// within +-5%: a busy machine's night-to-night spread), so that the injected +100% stands out in
// the case it hits whatever this machine does meanwhile; the other cases are not asserted on (they
// are this machine's).
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "cli_driver.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"
#include "skip.h"
#include "tests/harness/capture_output.h"
#include "tests/harness/test_files.h"
#include "tests/harness/test_rows.h"

namespace {

using ptebench::test::run_cli;
using ptebench::test::slurp;

std::filesystem::path scratch(const std::string& name) {
  return ptebench::test::scratch_path("nightly_judge_cli_test", name);
}

// `ptebench` with `words`: its exit status, and its stdout into `text`.
int run_captured(const std::vector<std::string>& words, std::string& text) {
  std::ostringstream captured;
  std::streambuf* old = std::cout.rdbuf(captured.rdbuf());
  const int status = run_cli(words);
  std::cout.rdbuf(old);
  text = captured.str();
  return status;
}

// 12 synthetic nights of `cases` cases at `path`: case c's log value log(10 + c), its own fixed
// pattern within +-1% a night, and `extra(night, c)`.
void write_patterned_history(const std::filesystem::path& path, std::size_t cases,
                             const std::function<double(std::size_t, std::size_t)>& extra) {
  static const double pattern[] = {0.01, -0.01, 0.005, -0.005, 0.0, 0.008, -0.008, 0.003, -0.003};
  std::vector<ptebench::results::Row> rows;
  for (std::size_t night = 0; night < 12; ++night) {
    for (std::size_t c = 0; c < cases; ++c) {
      const double log_value =
          std::log(10.0 + static_cast<double>(c)) + pattern[(night + 2 * c) % 9] + extra(night, c);
      ptebench::results::Row r = ptebench::test::synthetic_row(c, std::exp(log_value));
      r.run_id = "night-" + std::to_string(night);
      rows.push_back(r);
    }
  }
  ptebench::results::write_results(path, rows);
}

// `ptebench history judge --history PATH --factors 0` (the first common factor only) with
// `extra`: its exit status, and its stdout into `text`.
int judge_history(const std::filesystem::path& path, const std::vector<std::string>& extra,
                  std::string& text) {
  std::vector<std::string> words = {"history",     "judge",     "--history",
                                    path.string(), "--factors", "0"};
  words.insert(words.end(), extra.begin(), extra.end());
  return run_captured(words, text);
}

const std::string kSlowed = "copy_range/x86_64/plain/dense/4096/kernel";

// One nightly over the copy_range cases (18), 5 repetitions; `slow`: kSlowed +100%; `exe`: the
// command its child processes run (PTEBENCH_EXE).
int nightly(const std::filesystem::path& history, const std::filesystem::path& out, bool slow,
            std::vector<std::string> extra = {}, const std::string& exe = PTEBENCH_EXE_COMMAND) {
  // A run_id is the start second, host and pid: a second night in this process needs a new second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  setenv("PTEBENCH_EXE", exe.c_str(), 1);
  std::vector<std::string> words = {"nightly",      "--history",     history.string(),
                                    "--suite",      "quick",         "--filter",
                                    "copy_range/*", "--repetitions", "5",
                                    "--no-exact",   "--no-table",    "--out",
                                    out.string(),   "--min-history", "5"};
  if (slow) words.insert(words.end(), {"--inject-slowdown", kSlowed + "=100"});
  words.insert(words.end(), extra.begin(), extra.end());
  return run_cli(words);
}

// `nights` synthetic nights made of the rows of `run`: night k is the run shifted by
// pattern[k] (log), with its own run_id.
void write_synthetic_history(const std::filesystem::path& history,
                             const std::vector<ptebench::results::Row>& run, int nights) {
  static const double pattern[] = {0.05, -0.04, 0.02, -0.05, 0.03, 0.0, -0.02, 0.04};
  std::vector<ptebench::results::Row> rows;
  for (int k = 0; k < nights; ++k) {
    for (ptebench::results::Row r : run) {
      r.run_id = "synthetic-night-" + std::to_string(k);
      r.value *= std::exp(pattern[k % 8]);
      rows.push_back(r);
    }
  }
  ptebench::results::write_results(history, rows);
}

// 8 synthetic nights (write_synthetic_history) at scratch `<prefix>history.csv`, made of a fresh
// run of the copy_range cases (5 repetitions, at `<prefix>seed.csv`) with kSlowed's times
// multiplied by `slowed_factor`.
std::filesystem::path seeded_history(const std::string& prefix, double slowed_factor = 1) {
  const auto seed_out = scratch(prefix + "seed.csv");
  REQUIRE(run_cli({"run", "--suite", "quick", "--filter", "copy_range/*", "--repetitions", "5",
                   "--no-table", "--out", seed_out.string()}) == 0);
  std::vector<ptebench::results::Row> seed = ptebench::results::read_results(seed_out);
  for (ptebench::results::Row& r : seed)
    if (ptebench::results::case_name(ptebench::results::case_key(r)) == kSlowed)
      r.value *= slowed_factor;
  const auto history = scratch(prefix + "history.csv");
  write_synthetic_history(history, seed, 8);
  return history;
}

// A child command for nightly (PTEBENCH_EXE): its first suspect re-run runs the shell text
// `first_rerun` (scratch script `name`) instead; every other child (the night's measures, the
// other re-runs) is ptebench itself.
std::string first_rerun_wrapper(const std::string& name, const std::string& first_rerun) {
  const auto wrapper = scratch(name);
  std::ofstream(wrapper) << "case \"$*\" in *.rerun1.csv*) " << first_rerun << " ;; esac\n"
                         << "exec " << PTEBENCH_EXE_COMMAND << " \"$@\"\n";
  return "/bin/sh " + wrapper.string();
}

// A night (`prefix`night.csv against its seeded history) whose first re-run runs `first_rerun`
// (a signal to nightly, this process) first: its exit status, how long it took, and what it left.
struct InterruptedNight {
  std::string history, out;
  std::filesystem::path md;
  std::string before;  // the history before the night
  int status;
  std::chrono::steady_clock::duration took;
};
InterruptedNight interrupt_first_rerun(const std::string& prefix, const std::string& first_rerun) {
  InterruptedNight n;
  n.history = seeded_history(prefix);
  n.before = slurp(n.history);
  n.out = scratch(prefix + "night.csv");
  n.md = std::filesystem::path(n.out).replace_extension(".md");
  std::filesystem::remove(n.md);
  for (int k = 1; k <= 3; ++k)  // an earlier run's
    std::filesystem::remove(
        std::filesystem::path(n.out).replace_extension(".rerun" + std::to_string(k) + ".csv"));
  const std::string exe = first_rerun_wrapper(prefix + "exe.sh", first_rerun);
  const auto start = std::chrono::steady_clock::now();
  n.status = nightly(n.history, n.out, true, {}, exe);
  n.took = std::chrono::steady_clock::now() - start;
  return n;
}

}  // namespace

TEST_CASE("nightly says collecting history until it has enough nights, and raises nothing") {
  const auto history = scratch("collecting.csv");
  const auto out = scratch("collecting-night.csv");
  REQUIRE(nightly(history, out, true) == 0);
  const std::string md = slurp(std::filesystem::path(out).replace_extension(".md"));
  CHECK(md.find("## Against the history: collecting history (0 of 5)") != std::string::npos);
  REQUIRE(nightly(history, out, true) == 0);
  CHECK(slurp(std::filesystem::path(out).replace_extension(".md"))
            .find("collecting history (1 of 5)") != std::string::npos);
}

TEST_CASE("nightly: a step is a suspect on its first night and confirmed on its second") {
  // Under qemu-user (the arm64 CI) a case's time moved by up to 2.6x between nights (the
  // translator, not the code), more than the injected step: it is measured natively only.
  PTEBENCH_SKIP_UNDER_EMULATOR("timings move more than the step");
  const auto history = seeded_history("");
  const auto out = scratch("night.csv");
  const auto junit = scratch("night.xml");

  // Night 9: the step's first night. Re-run in fresh processes; one night never confirms.
  int status_first = -1;
  const std::string night_log = ptebench::test::capture_stderr([&] {
    status_first = nightly(history, out, true, {"--junit", junit.string()});
  });
  REQUIRE(status_first == 0);
  const std::string first = slurp(std::filesystem::path(out).replace_extension(".md"));
  {
    INFO(first);
    INFO(night_log);
    // The re-runs' controls counted by size: those of the stepped case's (4096 entries) at least.
    CHECK(night_log.find(" control cases: ") != std::string::npos);
    CHECK(night_log.find(" of 4096 entries") != std::string::npos);
    CHECK(first.find("8 nights before tonight") != std::string::npos);
    CHECK(first.find("| " + kSlowed + " | ns_per_pte | suspect |") != std::string::npos);
    CHECK(first.find("fresh processes before deciding") != std::string::npos);
    CHECK(std::filesystem::exists(std::filesystem::path(out).replace_extension(".rerun1.csv")));
    CHECK(slurp(junit).find("classname=\"" + kSlowed + "\" name=\"ns_per_pte\"><skipped") !=
          std::string::npos);
  }

  // Night 10: still slow. Confirmed: exit 1, the case a JUnit failure.
  const int status = nightly(history, out, true, {"--junit", junit.string()});
  const std::string second = slurp(std::filesystem::path(out).replace_extension(".md"));
  INFO(second);
  CHECK(status == 1);
  CHECK(second.find("| " + kSlowed + " | ns_per_pte | **regression** |") != std::string::npos);
  const std::string xml = slurp(junit);
  const auto at = xml.find("classname=\"" + kSlowed + "\" name=\"ns_per_pte\"><failure");
  CHECK(at != std::string::npos);
  // The HTML beside the Markdown flags by the same judgement.
  const std::string html = slurp(std::filesystem::path(out).replace_extension(".html"));
  CHECK(html.find("plain: nightly regression +") != std::string::npos);

  // Replayed with the re-runs nightly kept beside its run (copied into a directory of their own):
  // the same regressions as nightly reported, the night judged with its re-runs.
  const auto kept = scratch("night-kept");
  std::filesystem::remove_all(kept);
  std::filesystem::create_directories(kept);
  std::size_t kept_reruns = 0;
  for (const auto& e : std::filesystem::directory_iterator(out.parent_path())) {
    const std::string name = e.path().filename().string();
    const bool rerun =
        name.rfind("night.rerun", 0) == 0 && name.find(".context.") == std::string::npos;
    if (name == "night.csv" || rerun) {
      std::filesystem::copy_file(e.path(), kept / name);
      kept_reruns += name == "night.csv" ? 0 : 1;
    }
  }
  REQUIRE(kept_reruns > 0);
  std::string replayed;
  REQUIRE(run_captured({"history", "judge", "--history", history.string(), "--min-history", "5",
                        "--reruns", kept.string()},
                       replayed) == 0);
  INFO(replayed);
  CHECK(replayed.find("re-run in " + std::to_string(kept_reruns) + " kept processes)") !=
        std::string::npos);
  CHECK(replayed.find("(1 with their kept re-runs): ") != std::string::npos);
  std::size_t in_report = 0, in_replay = 0;
  const std::string regression_row = " | ns_per_pte | **regression** |";
  for (std::size_t r = second.find(regression_row); r != std::string::npos;
       r = second.find(regression_row, r + 1))
    ++in_report;
  const std::size_t last_night = replayed.rfind("\nnight ");
  REQUIRE(last_night != std::string::npos);
  for (std::size_t r = replayed.find("\n  regression ", last_night); r != std::string::npos;
       r = replayed.find("\n  regression ", r + 1))
    ++in_replay;
  CHECK(in_replay == in_report);
  CHECK(replayed.find("  regression " + kSlowed + " +", last_night) != std::string::npos);
}

TEST_CASE("nightly: a one-night step that is gone the next night is not confirmed") {
  // Under qemu-user the step's night-after is no quiet night: the arm64 CI of 2026-12-02 failed
  // one (unnamed) test, and 4 repeats of the emulated suite here (2026-12-03) failed only this
  // one, once: on the un-slowed second night 13 other cases were suspects at +46% to +99% and the
  // injected case was confirmed at +99% (the translator, not the code). The same in the sanitizer
  // CI of 2026-12-05 (36fe47e, tests two at a time): on the un-slowed second night the other
  // copy_range cases read +20% to +45% against their seed run and the blip case was confirmed at
  // +53.5% by replication, its re-runs at +21.9%. Measured in the release build, natively.
  PTEBENCH_SKIP_UNDER_EMULATOR("timings move more than the step");
  PTEBENCH_SKIP_IN_SANITIZER_BUILD("its timings move more than its seed run");
  const auto history = seeded_history("blip-");
  const auto out = scratch("blip-night.csv");
  REQUIRE(nightly(history, out, true) == 0);  // the blip: a suspect at most
  const int next = nightly(history, out, false);
  const std::string md = slurp(std::filesystem::path(out).replace_extension(".md"));
  INFO(md);
  CHECK(md.find("| " + kSlowed + " | ns_per_pte | **regression** |") == std::string::npos);
  // Exit 1 only for a confirmed regression (of another case, should this machine have moved
  // it for two nights against the synthetic reference).
  CHECK((next == 1) == (md.find("**regression**") != std::string::npos));
}

TEST_CASE("nightly: Ctrl-C during the suspects' re-runs ends it with 130, nothing appended") {
  // The re-runs need a suspect: the injected +100% against the synthetic nights, which timings
  // under qemu-user do not hold (above).
  PTEBENCH_SKIP_UNDER_EMULATOR("timings move more than the step");
  // The first re-run is Ctrl-C as a terminal delivers it, to the child and to nightly (this
  // process) both, and the child exits 130 as an interrupted run does.
  const InterruptedNight n =
      interrupt_first_rerun("interrupt-", "kill -INT " + std::to_string(::getpid()) + "; exit 130");
  const auto& [history, out, md, before, status, took] = n;
  const auto rerun = [&](int k) {
    return std::filesystem::path(out).replace_extension(".rerun" + std::to_string(k) + ".csv");
  };
  CHECK(status == 130);
  CHECK(slurp(history) == before);                 // tonight not appended
  CHECK(std::filesystem::exists(out));             // tonight's run kept at OUT
  CHECK_FALSE(std::filesystem::exists(rerun(2)));  // no further re-run started
  CHECK_FALSE(std::filesystem::exists(md));        // no verdict, no report

  // The same night without Ctrl-C is judged and appended: its undecided cases re-run, its report
  // written. Which cases are undecided is the machine's: the sanitizer CI of 2026-12-05 (f520ac5,
  // tests two at a time) left the injected case out of them (8 other cases were re-run), so the
  // report is checked for the re-runs, not for that case's row; the step test checks the row.
  REQUIRE(nightly(history, out, true) == 0);
  CHECK(slurp(history).size() > before.size());
  CHECK(std::filesystem::exists(rerun(2)));
  REQUIRE(std::filesystem::exists(md));
  CHECK(slurp(md).find("fresh processes before deciding") != std::string::npos);
}

TEST_CASE("nightly: SIGTERM to nightly alone during the re-runs ends the re-run at once, 130") {
  // `kill PID` or a supervisor sends SIGTERM to nightly alone: the re-run running is passed the
  // signal (it runs in a process group of its own) instead of being waited for to its end.
  PTEBENCH_SKIP_UNDER_EMULATOR("timings move more than the step");
  // The first re-run sends SIGTERM to nightly (this process) alone and sleeps 60 s.
  const InterruptedNight n = interrupt_first_rerun(
      "term-", "kill -TERM " + std::to_string(::getpid()) + "; exec sleep 60");
  const auto& [history, out, md, before, status, took] = n;
  CHECK(status == 130);
  CHECK(slurp(history) == before);           // tonight not appended
  CHECK_FALSE(std::filesystem::exists(md));  // no verdict, no report
  CHECK(took < std::chrono::seconds{55});    // the re-run's sleep 60 ended, not waited for
}

TEST_CASE("nightly: a confirmed improvement is re-run in fresh processes before it is reported") {
  // The synthetic nights hold kSlowed at ten times its seed time, so tonight's plain run is a -90%
  // improvement: a suspect on its first night, a would-be confirmed improvement on its second.
  PTEBENCH_SKIP_UNDER_EMULATOR("timings move more than the step");
  // In the sanitizer CI (2026-12-05, tests two at a time) the other copy_range cases read +70% to
  // +170% against their seed run, and the case held at twice its seed time (this test's first
  // form) not an improvement at all. Measured in the release build.
  PTEBENCH_SKIP_IN_SANITIZER_BUILD("its timings move more than its seed run");
  const auto history = seeded_history("faster-", 10);
  const auto out = scratch("faster-night.csv");
  const auto rerun1 = std::filesystem::path(out).replace_extension(".rerun1.csv");
  REQUIRE(nightly(history, out, false) == 0);  // its first night: a suspect
  std::filesystem::remove(rerun1);
  const int status = nightly(history, out, false);
  const std::string md = slurp(std::filesystem::path(out).replace_extension(".md"));
  INFO(md);
  CHECK(md.find("| " + kSlowed + " | ns_per_pte | improvement |") != std::string::npos);
  // Re-run before it was reported: its rows are in the second night's first re-run.
  REQUIRE(std::filesystem::exists(rerun1));
  bool rerun = false;
  for (const ptebench::results::Row& r : ptebench::results::read_results(rerun1))
    rerun = rerun || ptebench::results::case_name(ptebench::results::case_key(r)) == kSlowed;
  CHECK(rerun);
  // An improvement is no alarm (another case this machine moved for two nights may be one).
  CHECK((status == 1) == (md.find("**regression**") != std::string::npos));
}

TEST_CASE("nightly --update-baseline: the window starts at the baseline's run") {
  const auto history = scratch("accept.csv");
  const auto baseline = scratch("accept-baseline.csv");
  const auto out = scratch("accept-night.csv");
  REQUIRE(nightly(history, out, false) == 0);
  REQUIRE(nightly(history, out, false) == 0);
  REQUIRE(nightly(history, out, false, {"--baseline", baseline.string(), "--update-baseline"}) ==
          0);
  REQUIRE(std::filesystem::exists(baseline));
  REQUIRE(nightly(history, out, false, {"--baseline", baseline.string()}) == 0);
  const std::string md = slurp(std::filesystem::path(out).replace_extension(".md"));
  INFO(md);
  const std::string accepted = ptebench::results::read_results(baseline).front().run_id;
  CHECK(md.find("since the baseline run " + accepted) != std::string::npos);
  CHECK(md.find("collecting history (1 of 5)") != std::string::npos);
}

TEST_CASE("nightly --host: the window is the named machine's nights, whatever the hostname") {
  // A fleet's runner in a container: its 8 nights were run as fleet-7, and tonight's hostname is
  // another (here this machine's own).
  const auto history = seeded_history("host-");
  std::vector<ptebench::results::Row> rows = ptebench::results::read_results(history);
  for (ptebench::results::Row& r : rows) r.host = "fleet-7";
  ptebench::results::write_results(history, rows);
  const auto out = scratch("host-night.csv");
  const auto md = std::filesystem::path(out).replace_extension(".md");

  // Under the hostname, this machine has no nights yet.
  REQUIRE(nightly(history, out, false) == 0);
  CHECK(slurp(md).find("collecting history (0 of 5)") != std::string::npos);

  // Named fleet-7: judged against fleet-7's 8 nights, and appended as fleet-7's.
  const int status = nightly(history, out, false, {"--host", "fleet-7"});
  const std::string text = slurp(md);
  INFO(text);
  CHECK(status != 2);  // 1 only should this machine have moved a case against the synthetic nights
  CHECK(text.find("8 nights before tonight") != std::string::npos);
  const auto tonight = ptebench::results::read_results(out);
  REQUIRE_FALSE(tonight.empty());
  for (const auto& r : tonight) CHECK(r.host == "fleet-7");
  const auto after = ptebench::results::read_results(history);
  CHECK(after.back().host == "fleet-7");
  CHECK(after.back().run_id == tonight.front().run_id);

  // Not a name: exit 2 before anything runs, the history as it was.
  const std::string before = slurp(history);
  CHECK(nightly(history, scratch("host-bad.csv"), false, {"--host", "fleet 7"}) == 2);
  CHECK(slurp(history) == before);
  CHECK_FALSE(std::filesystem::exists(scratch("host-bad.csv")));
}

TEST_CASE("nightly: bad usage is exit status 2 before anything runs") {
  const auto out = scratch("usage.csv");
  CHECK(run_cli({"nightly", "--out", out.string()}) == 2);  // no --history
  CHECK(run_cli({"nightly", "--history", scratch("u.csv").string(), "--update-baseline", "--out",
                 out.string()}) == 2);  // nothing to update
  CHECK(run_cli({"nightly", "--history", scratch("u.csv").string(), "--window", "5",
                 "--min-history", "5", "--out", out.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("history judge replays nightly's judgement over a stored history") {
  // 8 synthetic nights of 3 cases, then case 0 at +30% on nights 9 and 10.
  std::vector<ptebench::results::Row> rows;
  static const double pattern[] = {0.01,  -0.01,  0.005, -0.005, 0.0,
                                   0.008, -0.008, 0.003, -0.003, 0.002};
  for (int night = 0; night < 10; ++night) {
    for (int c = 0; c < 3; ++c) {
      for (std::uint32_t rep = 0; rep < 3; ++rep) {
        const double value =
            (10 + c) * std::exp(pattern[(night + c) % 10]) * (c == 0 && night >= 8 ? 1.3 : 1);
        ptebench::results::Row r = ptebench::test::synthetic_row(0, value, rep);
        r.run_id = "night-" + std::to_string(night);
        r.started_utc = "2026-11-" + std::to_string(10 + night) + "T02:00:00Z";
        r.workload = "zap_range";
        r.variant = c == 0 ? "plain" : c == 1 ? "read_once" : "arch";
        r.ptes = 4096;
        rows.push_back(r);
      }
    }
  }
  const auto history = scratch("judge.csv");
  ptebench::results::write_results(history, rows);
  // `history judge` with `extra` flags: its exit status, and its stdout into `text`.
  const auto judge = [&](std::vector<std::string> extra, std::string& text) {
    std::vector<std::string> words = {"history",        "judge",         "--history",
                                      history.string(), "--min-history", "5"};
    words.insert(words.end(), extra.begin(), extra.end());
    return run_captured(words, text);
  };
  std::string text;
  const int status = judge({}, text);
  INFO(text);
  CHECK(status == 0);
  CHECK(text.find("night 5 night-4: collecting history (4 of 5)") != std::string::npos);
  CHECK(text.find("night 9 night-8: 1 suspect") != std::string::npos);
  CHECK(text.find("night 10 night-9: 1 confirmed regression\n  regression "
                  "zap_range/x86_64/plain/dense/4096/kernel +29.9%") != std::string::npos);
  CHECK(text.find("judged 5 of 10 nights: 1 with a confirmed regression") != std::string::npos);
  CHECK(text.find("stable zap_range") == std::string::npos);  // stable cases are not listed
  // --all lists the stable cases too, each with its z.
  std::string all;
  const int all_status = judge({"--all"}, all);
  INFO(all);
  CHECK(all_status == 0);
  CHECK(all.find("night 10 night-9: 1 confirmed regression\n") != std::string::npos);
  CHECK(all.find("  stable zap_range/x86_64/read_once/dense/4096/kernel ") != std::string::npos);
  // Each z with two decimals, not a double's seventeen digits.
  std::size_t zs = 0;
  for (std::size_t at = all.find(", z "); at != std::string::npos; at = all.find(", z ", at + 1)) {
    const std::string z = all.substr(at + 4, all.find('\n', at) - at - 4);
    const std::size_t point = z.find('.');
    CHECK(point != std::string::npos);
    CHECK(z.size() - point - 1 == 2);
    ++zs;
  }
  CHECK(zs > 0);
  // --factors 0 (the first common factor only) is accepted: with 3 cases there is no factor to
  // remove either way, so it judges alike; a negative count is refused.
  std::string first_only;
  CHECK(judge({"--factors", "0"}, first_only) == 0);
  CHECK(first_only.find("judged 5 of 10 nights: 1 with a confirmed regression") !=
        std::string::npos);  // where it matters: the next test
  std::string refused;
  CHECK(judge({"--factors", "-1"}, refused) == 2);
  CHECK(run_cli({"history", "judge", "--history", scratch("absent.csv").string()}) == 2);
}

TEST_CASE("history judge --reruns: kept re-runs of a slow moment judged by their size's controls") {
  // 12 nights of 60 cases, 0-29 walking 4096 entries and 30-59 262144: each case follows a common
  // factor g (within +-3%, so that every case's loading is near 1) and its own pattern (within
  // +-0.3%); case 0 steps +5% on nights 11 and 12.
  static const double g[] = {0.02,  -0.03, 0.01,   0.03,  -0.01, 0.0,
                             -0.02, 0.025, -0.015, 0.005, 0.01,  -0.01};
  static const double pattern[] = {0.003,  -0.003,  0.0015, -0.0015, 0.0,
                                   0.0024, -0.0024, 0.001,  -0.001};
  const auto log_value = [&](std::size_t night, std::size_t c) {
    return std::log(10.0 + static_cast<double>(c)) + g[night] + pattern[(night + 2 * c) % 9] +
           (c == 0 && night >= 10 ? 0.05 : 0);
  };
  const auto make_row = [](std::size_t c, double log_v, const std::string& run_id) {
    ptebench::results::Row r = ptebench::test::synthetic_row(c, std::exp(log_v));
    r.ptes = c < 30 ? 4096 : 262144;
    r.run_id = run_id;
    return r;
  };
  std::vector<ptebench::results::Row> rows, last;
  for (std::size_t night = 0; night < 12; ++night)
    for (std::size_t c = 0; c < 60; ++c) {
      ptebench::results::Row r = make_row(c, log_value(night, c), "night-" + std::to_string(night));
      r.started_utc = "2026-11-" + std::to_string(10 + night) + "T02:00:00Z";
      rows.push_back(r);
      if (night == 11) last.push_back(r);
    }
  const auto history = scratch("kept-history.csv");
  ptebench::results::write_results(history, rows);
  // Night 12's run as nightly kept it, and its 3 re-runs in a slow moment: every 4096-entry case
  // 8% above its mean over the nights, every 262144-entry one 16%, case 0 its step above that.
  const auto kept = scratch("kept");
  std::filesystem::remove_all(kept);
  std::filesystem::create_directories(kept);
  ptebench::results::write_results(kept / "night.csv", last);
  for (int k = 1; k <= 3; ++k) {
    std::vector<ptebench::results::Row> rerun;
    for (std::size_t c = 0; c < 60; ++c) {
      double mean = 0;
      for (std::size_t night = 0; night < 12; ++night) mean += log_value(night, c) / 12;
      const double state = c < 30 ? 0.08 : 0.16;
      rerun.push_back(
          make_row(c, mean + state + (c == 0 ? 0.05 : 0), "rerun-" + std::to_string(k)));
    }
    ptebench::results::write_results(kept / ("night.rerun" + std::to_string(k) + ".csv"), rerun);
  }
  const std::string stepped = "w100/x86_64/plain/dense/4096/kernel";
  // Without the re-runs, night 12 confirms the step; with them, by the controls of its size, too.
  std::string unrerun, by_size, every;
  REQUIRE(judge_history(history, {"--min-history", "5"}, unrerun) == 0);
  CHECK(unrerun.find("night 12 night-11: 1 confirmed regression") != std::string::npos);
  REQUIRE(judge_history(history, {"--min-history", "5", "--reruns", kept.string()}, by_size) == 0);
  {
    INFO(by_size);
    CHECK(by_size.find("night 12 night-11: 1 confirmed regression") != std::string::npos);
    CHECK(by_size.find("(1 case re-run in 3 kept processes)\n  regression " + stepped + " +") !=
          std::string::npos);
    CHECK(by_size.find("judged 7 of 12 nights (1 with their kept re-runs): 1 with a confirmed "
                       "regression") != std::string::npos);
  }
  // By every control (nightly before 2026-12-07): their median is the 262144-entry cases' +16%,
  // which takes the 4096-entry case's re-runs below its step's midpoint.
  REQUIRE(judge_history(history,
                        {"--min-history", "5", "--reruns", kept.string(), "--rerun-factor", "all"},
                        every) == 0);
  INFO(every);
  CHECK(every.find("judged 7 of 12 nights (1 with their kept re-runs): 0 with a confirmed "
                   "regression") != std::string::npos);
  CHECK(every.find("  regression " + stepped) == std::string::npos);
  // Bad usage: one line, exit 2.
  std::string refused;
  CHECK(judge_history(history, {"--reruns", scratch("no-such-dir").string()}, refused) == 2);
  CHECK(judge_history(history, {"--rerun-factor", "median"}, refused) == 2);
}

TEST_CASE("history judge --factors: two groups moving apart hide a step from the first factor") {
  // tests/harness/test_rows.h: 13 nights of 60 cases in two groups that follow two machine
  // states, case 0 (w100) +5% on the last two nights. By default (2 further factors) the last
  // night confirms case 0 alone; with --factors 0 (the first factor only) the groups' movement
  // widens every test and it is not confirmed.
  std::vector<ptebench::results::Row> rows;
  for (const auto& night : ptebench::test::two_group_nights())
    rows.insert(rows.end(), night.begin(), night.end());
  const auto history = scratch("two-groups.csv");
  ptebench::results::write_results(history, rows);
  const auto judge = [&](std::vector<std::string> extra) {
    std::vector<std::string> words = {"history", "judge", "--history", history.string()};
    words.insert(words.end(), extra.begin(), extra.end());
    std::string text;
    CHECK(run_captured(words, text) == 0);
    const std::size_t at = text.find("night 13 night-12: ");  // the last night's lines
    return at == std::string::npos ? "no night 13 in:\n" + text : text.substr(at);
  };
  const std::string with = judge({});
  const std::string without = judge({"--factors", "0"});
  INFO("default:\n" << with << "--factors 0:\n" << without);
  CHECK(with.starts_with("night 13 night-12: 1 confirmed regression"));
  const std::string line = "  regression w100/x86_64/plain/dense/512/kernel +";
  const std::size_t at = with.find(line);
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(with.substr(at + line.size())) == Approx(5).margin(1));  // its +5% step
  CHECK(with.find("  regression w1") == with.rfind("  regression w1"));    // case 0 alone
  CHECK(without.find("regression w100/") == std::string::npos);
}

TEST_CASE(
    "history judge: a suspect of the night before that a night alone confirms is replicated") {
  // 400 cases over 12 nights, each its own fixed pattern within +-1% (log); case 2 (w102) +3% on
  // nights 11 and 12 (the first common factor only: --factors 0). Over two nights among 400 cases
  // that is a suspect only (Benjamini-Hochberg across the cases); night 11 made it a suspect, and
  // night 12 alone against the nights before confirms it: a regression, replicated. With
  // --replicate-alpha 0 it stays a suspect.
  const auto history = scratch("replicated.csv");
  write_patterned_history(history, 400, [](std::size_t night, std::size_t c) {
    return c == 2 && night >= 10 ? std::log(1.03) : 0.0;
  });
  const auto judge = [&](const std::vector<std::string>& extra, std::string& text) {
    return judge_history(history, extra, text);
  };
  std::string with, without, refused;
  CHECK(judge({}, with) == 0);
  CHECK(judge({"--replicate-alpha", "0"}, without) == 0);
  INFO("default:\n" << with << "--replicate-alpha 0:\n" << without);
  const std::string case_name = ptebench::results::case_name(
      ptebench::results::case_key(ptebench::test::synthetic_row(2, 1)));
  CHECK(with.find("night 11 night-10: 1 suspect (null widened 1.21x)\n  suspect " + case_name +
                  " +") != std::string::npos);
  CHECK(with.find("night 12 night-11: 1 confirmed regression") != std::string::npos);
  CHECK(with.find("+3.0% [+1.8%, +4.3%] p 0.00046, 2 nights after (replicated: tonight alone p "
                  "0.0083)") != std::string::npos);
  CHECK(with.find("judged 2 of 12 nights: 1 with a confirmed regression") != std::string::npos);
  CHECK(without.find("night 12 night-11: 1 suspect\n  suspect " + case_name + " +3.0%") !=
        std::string::npos);
  CHECK(without.find("judged 2 of 12 nights: 0 with a confirmed regression") != std::string::npos);
  CHECK(without.find("replicated") == std::string::npos);
  // Out of [0, 1): refused, exit 2.
  CHECK(judge({"--replicate-alpha", "1"}, refused) == 2);
  CHECK(judge({"--replicate-alpha", "-0.1"}, refused) == 2);
}

// The history of the noisy-night tests: 40 cases over 12 nights in their patterns, case 2 +50%
// from night 11 (index 10) on, and night `noisy` (an index) scattering the other cases by up to
// +-3% more (3x a pattern of the same values, by case).
static void write_noisy_night_history(const std::filesystem::path& path, std::size_t noisy) {
  static const double scatter[] = {0.03, -0.03, 0.015, -0.015, 0.0, 0.024, -0.024, 0.009, -0.009};
  write_patterned_history(path, 40, [noisy](std::size_t night, std::size_t c) {
    if (c == 2) return night >= 10 ? std::log(1.5) : 0.0;
    return night == noisy ? scatter[(7 * c) % 9] : 0.0;
  });
}

TEST_CASE("history judge: a change is not confirmed on the night after one that stayed noisy") {
  // 40 cases over 12 nights, each its own fixed pattern within +-1% (log); night 11 (index 10)
  // scatters the other cases by up to +-3% more (its one-night null widens 2.7x: a night that
  // stayed noisy); case 2 (w102) +50% on nights 11 and 12 (large: the two-night split's null
  // widens too). With the rule (--noisy-null 1.5, nightly's default) and without replication,
  // night 12 leaves it a suspect: it follows a night that stayed noisy, so only one of the
  // two nights after the change counts. With replication (the default), night 12 alone (calm)
  // confirms it. With --noisy-null 0 (off), the two-night change is confirmed.
  const auto history = scratch("noisy-night.csv");
  write_noisy_night_history(history, 10);
  const auto judge = [&](const std::vector<std::string>& extra, std::string& text) {
    return judge_history(history, extra, text);
  };
  const std::string case_name = ptebench::results::case_name(
      ptebench::results::case_key(ptebench::test::synthetic_row(2, 1)));
  std::string held, replicated, off, refused;
  CHECK(judge({"--replicate-alpha", "0"}, held) == 0);
  CHECK(judge({}, replicated) == 0);
  CHECK(judge({"--replicate-alpha", "0", "--noisy-null", "0"}, off) == 0);
  INFO("no replication:\n" << held << "default:\n" << replicated << "--noisy-null 0:\n" << off);
  // Night 11 itself: widened far above 1.5x.
  const std::size_t at = held.find("night 11 night-10: ");
  REQUIRE(at != std::string::npos);
  const std::size_t widened = held.find("(null widened ", at);
  REQUIRE(widened != std::string::npos);
  CHECK(std::stod(held.substr(widened + 14)) > 2);
  CHECK(held.find("night 12 night-11: 1 suspect (null widened ") != std::string::npos);
  CHECK(held.find("  suspect " + case_name + " +50.5%") != std::string::npos);
  CHECK(held.find("2 nights after (1 of 2 nights after followed a night that stayed noisy)") !=
        std::string::npos);
  CHECK(held.find("judged 2 of 12 nights: 0 with a confirmed regression") != std::string::npos);
  CHECK(replicated.find("night 12 night-11: 1 confirmed regression") != std::string::npos);
  CHECK(replicated.find("  regression " + case_name + " +50.5%") != std::string::npos);
  CHECK(replicated.find("2 nights after (replicated: tonight alone p 1.9e-14)\n") !=
        std::string::npos);
  CHECK(off.find("night 12 night-11: 1 confirmed regression") != std::string::npos);
  CHECK(off.find("  regression " + case_name + " +50.5%") != std::string::npos);
  CHECK(off.find("stayed noisy") == std::string::npos);
  // Neither 0 nor at least 1: refused, exit 2.
  CHECK(judge({"--noisy-null", "0.5"}, refused) == 2);
  CHECK(judge({"--noisy-null", "-1"}, refused) == 2);
}

TEST_CASE("history judge: a night that stayed noisy after a calm first night of a change counts") {
  // As above, but the scatter on night 12 (index 11), after a calm night 11: the noisy night's
  // state is in its own null, so both nights after the change count and, without replication,
  // night 12 confirms it.
  const auto history = scratch("noisy-second-night.csv");
  write_noisy_night_history(history, 11);
  const std::string case_name = ptebench::results::case_name(
      ptebench::results::case_key(ptebench::test::synthetic_row(2, 1)));
  std::string text;
  CHECK(judge_history(history, {"--replicate-alpha", "0"}, text) == 0);
  INFO(text);
  const std::size_t at = text.find("night 12 night-11: 1 confirmed regression (null widened ");
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(text.substr(text.find("(null widened ", at) + 14)) > 2);
  CHECK(text.find("  regression " + case_name + " +49.3%") != std::string::npos);
  CHECK(text.find("stayed noisy") == std::string::npos);
}

TEST_CASE(
    "nightly: --replicate-alpha below 0 or from 1 on is bad usage, exit 2 before anything runs") {
  const auto out = scratch("replicate-usage-night.csv");
  CHECK(run_cli({"nightly", "--history", scratch("replicate-usage.csv").string(),
                 "--replicate-alpha", "1.5", "--out", out.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(scratch("replicate-usage.csv")));
}

TEST_CASE("nightly: --remeasure-wait-s above an hour is bad usage, exit 2 before anything runs") {
  const auto out = scratch("wait-usage-night.csv");
  CHECK(run_cli({"nightly", "--history", scratch("wait-usage.csv").string(), "--remeasure-wait-s",
                 "3601", "--out", out.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(scratch("wait-usage.csv")));
}
