// `ptebench report` end to end (bench/cli/cmd_report.cc) over a synthetic history of 12 nights
// and 30 cases: with --judge a group is flagged by nightly's judgement of the latest night (a
// step of +20% in one case on the last two nights: a confirmed regression, as `history judge`
// says), not by the page's own detector (an old step of +30% from night 6 on is drawn, and not
// flagged); without --judge the page's own rule flags both. Bad usage is exit status 2 with
// nothing written.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_driver.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"
#include "tests/harness/test_files.h"

namespace {

using ptebench::test::run_cli;
using ptebench::test::slurp;

std::filesystem::path scratch(const std::string& name) {
  return ptebench::test::scratch_path("report_cli_test", name);
}

constexpr int kNights = 12;
constexpr int kCases = 30;
constexpr int kStepCase = 0;  // +20% on nights 11 and 12
constexpr int kOldStep = 1;   // +30% from night 6 on

// One machine's night n. Case c: copy_range/x86_64/plain/dense/<1024 (c + 1)>/kernel. The value
// of repetition r: a level per case (times the machine's `scale`), a common factor per night
// (+-3%), the case's own night-to-night wobble (+-1%), repetitions within 0.4% of each other; and
// the two steps. Host "ci" runs at 02:00 as night-<n>, another host at 03:00 as <host>-night-<n>.
void add_night(std::vector<ptebench::results::Row>& rows, int n, const std::string& host = "ci",
               double scale = 1) {
  const double common = 0.03 * std::sin(1.7 * n);
  for (int c = 0; c < kCases; ++c) {
    const double own = 0.01 * std::sin(2.3 * n + 0.9 * c);
    double level = scale * (1.0 + 0.1 * c) * std::exp(common + own);
    if (c == kStepCase && n >= 11) level *= 1.2;
    if (c == kOldStep && n >= 6) level *= 1.3;
    for (int r = 0; r < 5; ++r) {
      ptebench::results::Row row;
      row.run_id = (host == "ci" ? "" : host + "-") + "night-" + std::to_string(n);
      row.started_utc = "2026-11-" + std::string(n < 10 ? "0" : "") + std::to_string(n) +
                        (host == "ci" ? "T02:00:00Z" : "T03:00:00Z");
      row.host = host;
      row.arch = "x86_64";
      row.cpu_model = "test";
      row.kernel = "6.12";
      row.compiler = "GNU 12.2.0";
      row.codegen = "kernel";
      row.git_rev = "abc";
      row.suite = "quick";
      row.workload = "copy_range";
      row.pte_format = "x86_64";
      row.variant = "plain";
      row.layout = "dense";
      row.ptes = 1024 * static_cast<std::uint64_t>(c + 1);
      row.repetition = static_cast<std::uint32_t>(r);
      row.metric = "ns_per_pte";
      row.value = level * (1 + 0.001 * (r - 2));
      row.unit = "ns";
      rows.push_back(row);
    }
  }
}

void write_history(const std::filesystem::path& path) {
  std::vector<ptebench::results::Row> rows;
  for (int n = 1; n <= kNights; ++n) add_night(rows, n);
  ptebench::results::write_results(path, rows);
}

}  // namespace

TEST_CASE("report --judge flags by nightly's judgement of the latest night, not its own rule") {
  const auto history = scratch("history.csv");
  write_history(history);
  const std::string stepped = "copy_range/x86_64/*/dense/1024/kernel";
  const std::string old_step = "copy_range/x86_64/*/dense/2048/kernel";

  const auto judged = scratch("judged.html");
  REQUIRE(run_cli({"report", "--history", history.string(), "--out", judged.string(), "--judge"}) ==
          0);
  const std::string page = slurp(judged);
  const auto header = page.find("nightly's judgement of night-12: 1 confirmed regression");
  CHECK(header != std::string::npos);
  CHECK(page.find(stepped + "</a></td><td>plain: nightly regression +") != std::string::npos);
  CHECK(page.find(old_step + "</a>") == std::string::npos);  // not in the flagged table
  CHECK(page.find("class=\"group flagged\"><h2>" + old_step) == std::string::npos);
  CHECK(page.find("class=\"group\"><h2>" + old_step) != std::string::npos);

  // Without --judge: the page's own band and change points flag the old step too.
  const auto own = scratch("own.html");
  REQUIRE(run_cli({"report", "--history", history.string(), "--out", own.string()}) == 0);
  const std::string own_page = slurp(own);
  CHECK(own_page.find(old_step + "</a></td><td>plain: 1 change point<") != std::string::npos);
  CHECK(own_page.find("a change point, or the latest run outside the noise band") !=
        std::string::npos);
}

TEST_CASE("report of a fleet's history draws one host's runs: the latest run's, or --host's") {
  // Host "ci" and host "slow" (every case 3x ci's level) each run the 12 nights, slow an hour
  // after ci. Drawn as one series, ci's and slow's runs alternated between two levels, and the
  // band over both hid both steps (no group flagged).
  const auto history = scratch("fleet-history.csv");
  {
    std::vector<ptebench::results::Row> rows;
    for (int n = 1; n <= kNights; ++n) {
      add_night(rows, n);
      add_night(rows, n, "slow", 3);
    }
    ptebench::results::write_results(history, rows);
  }
  const std::string stepped = "copy_range/x86_64/*/dense/1024/kernel";
  const std::string old_step = "copy_range/x86_64/*/dense/2048/kernel";
  const auto check_page = [&](const std::filesystem::path& path, const std::string& host,
                              const std::string& latest) {
    const std::string page = slurp(path);
    INFO(page.substr(0, 1500));
    CHECK(page.find("12 runs from 2026-11-01") != std::string::npos);
    CHECK(page.find("(latest: " + latest + ", host " + host +
                    ", suite quick); 12 runs of other "
                    "hosts or suites not drawn") != std::string::npos);
    CHECK(page.find(std::to_string(kCases) + " case groups, <b>2 flagged</b>") !=
          std::string::npos);
    CHECK(page.find(stepped + "</a></td><td>plain: latest run outside the band") !=
          std::string::npos);
    CHECK(page.find(old_step + "</a></td><td>plain: 1 change point<") != std::string::npos);
  };
  const auto latest = scratch("fleet-latest.html");
  REQUIRE(run_cli({"report", "--history", history.string(), "--out", latest.string()}) == 0);
  check_page(latest, "slow", "slow-night-12");
  const auto ci = scratch("fleet-ci.html");
  REQUIRE(run_cli({"report", "--history", history.string(), "--out", ci.string(), "--host",
                   "ci"}) == 0);
  check_page(ci, "ci", "night-12");
  // --judge judges ci's latest night against ci's nights, and the page draws ci's runs.
  const auto judged = scratch("fleet-judged.html");
  REQUIRE(run_cli({"report", "--history", history.string(), "--out", judged.string(), "--host",
                   "ci", "--judge"}) == 0);
  const std::string page = slurp(judged);
  CHECK(page.find("nightly's judgement of night-12: 1 confirmed regression") != std::string::npos);
  CHECK(page.find("host ci, suite quick); 12 runs of other hosts") != std::string::npos);
  // The same history as a database: the same pages, its other host's samples left unread.
  const auto db = scratch("fleet-history.db");
  REQUIRE(run_cli({"history", "import", history.string(), "--history", db.string()}) == 0);
  for (const auto& [flags, csv_page] :
       {std::pair{std::vector<std::string>{}, latest},
        std::pair{std::vector<std::string>{"--host", "ci"}, ci},
        std::pair{std::vector<std::string>{"--host", "ci", "--judge"}, judged}}) {
    const auto db_page = scratch("fleet-db.html");
    std::vector<std::string> words = {"report", "--history", db.string(), "--out",
                                      db_page.string()};
    words.insert(words.end(), flags.begin(), flags.end());
    REQUIRE(run_cli(words) == 0);
    CHECK(slurp(db_page) == slurp(csv_page));
  }
  // A later run that holds no ns_per_pte (as a night's exact pass, stored after its timed run),
  // of a third host: the latest run, but not the latest that holds the metric drawn, so the
  // default page stays slow's. It is one more run of another host, from a database (its runs
  // table) and from a CSV alike: the same page from both (before, the CSV's page counted only
  // other runs that held the metric, 12).
  {
    std::vector<ptebench::results::Row> rows = ptebench::results::read_results(history);
    std::vector<ptebench::results::Row> exact;
    add_night(exact, kNights, "exact-only");
    for (ptebench::results::Row& r : exact) {
      r.started_utc = "2026-11-30T00:00:00Z";
      r.metric = "instructions_per_pte";
      r.unit = "instructions";
    }
    rows.insert(rows.end(), exact.begin(), exact.end());
    const auto with_exact_csv = scratch("fleet-with-exact.csv");
    ptebench::results::write_results(with_exact_csv, rows);
    const auto exact_csv = scratch("fleet-exact.csv");
    ptebench::results::write_results(exact_csv, exact);
    REQUIRE(run_cli({"history", "import", exact_csv.string(), "--history", db.string()}) == 0);
    const auto db_page = scratch("fleet-db-exact.html");
    REQUIRE(run_cli({"report", "--history", db.string(), "--out", db_page.string()}) == 0);
    CHECK(slurp(db_page).find("(latest: slow-night-12, host slow, suite quick); 13 runs of other "
                              "hosts or suites not drawn") != std::string::npos);
    const auto csv_page = scratch("fleet-csv-exact.html");
    REQUIRE(run_cli({"report", "--history", with_exact_csv.string(), "--out", csv_page.string()}) ==
            0);
    CHECK(slurp(csv_page) == slurp(db_page));
    // --host names the exact pass's host: it holds no ns_per_pte to draw: exit 2, nothing
    // written (counted as another host's run, it is still not drawn).
    const auto no_page = scratch("fleet-exact-none.html");
    CHECK(run_cli({"report", "--history", with_exact_csv.string(), "--out", no_page.string(),
                   "--host", "exact-only"}) == 2);
    CHECK_FALSE(std::filesystem::exists(no_page));
  }
  // A host or suite the history does not hold is bad input: exit 2, nothing written.
  const auto none = scratch("fleet-none.html");
  CHECK(run_cli({"report", "--history", history.string(), "--out", none.string(), "--host",
                 "nowhere"}) == 2);
  CHECK(run_cli({"report", "--history", history.string(), "--out", none.string(), "--suite",
                 "nightly"}) == 2);
  CHECK(run_cli({"report", "--history", db.string(), "--out", none.string(), "--host",
                 "nowhere"}) == 2);
  CHECK_FALSE(std::filesystem::exists(none));
}

TEST_CASE("report: bad usage is exit status 2, nothing written") {
  const auto history = scratch("usage-history.csv");
  write_history(history);
  const auto out = scratch("usage.html");
  CHECK(run_cli({"report", "--history", history.string(), "--out", out.string(), "--judge",
                 "--window", "4", "--min-history", "5"}) == 2);
  CHECK(run_cli({"report", "--history", scratch("missing.csv").string(), "--out", out.string()}) ==
        2);
  CHECK(run_cli({"report", "--history", history.string(), "--out", out.string(), "--no-such"}) ==
        2);
  CHECK_FALSE(std::filesystem::exists(out));
}
