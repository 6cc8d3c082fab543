// Tests harness/results_writer: RFC 4180 quoting, exact number round trips through the reader,
// the incremental writer's commits (also under SIGKILL), the history append, and the abort on
// rows the reader would reject.
#include "harness/results_writer.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <catch2/catch.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <thread>

#include "harness/input_error.h"
#include "harness/results_reader.h"
#include "test_files.h"

namespace ptebench::results {
namespace {

namespace fs = std::filesystem;
using test::error_of;

Row make_row(std::string run_id, std::uint32_t repetition, std::string metric, double value) {
  Row r;
  r.run_id = std::move(run_id);
  r.started_utc = "2026-11-24T16:30:00Z";
  r.host = "ci";
  r.arch = "x86_64";
  r.cpu_model = "Intel(R) Xeon(R) \"Gold\", 6230";  // needs quoting
  r.kernel = "6.1.0-18-amd64";
  r.compiler = "GNU 12.2.0";
  r.codegen = "kernel";
  r.git_rev = "b02df23";
  r.suite = "quick";
  r.workload = "zap_range";
  r.pte_format = "x86_64";
  r.variant = "read_once";
  r.layout = "dense";
  r.ptes = 262144;
  r.repetition = repetition;
  r.metric = std::move(metric);
  r.value = value;
  r.unit = "ns";
  r.coverage = 0.5;
  return r;
}

TEST_CASE("fields are quoted exactly when RFC 4180 needs it", "[results_writer]") {
  using Case = std::pair<std::string, std::string>;
  const auto [field, written] = GENERATE(values<Case>({
      {"plain", "plain"},
      {"", ""},
      {" spaces kept ", " spaces kept "},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"\"", "\"\"\"\""},
      {"line\nbreak", "\"line\nbreak\""},
      {"cr\r", "\"cr\r\""},
  }));
  std::string out;
  append_csv_field(out, field);
  CHECK(out == written);
}

TEST_CASE("the header is the schema's columns", "[results_writer]") {
  CHECK(header_line() ==
        "schema,run_id,started_utc,host,arch,cpu_model,kernel,compiler,codegen,git_rev,suite,"
        "workload,pte_format,variant,layout,ptes,repetition,metric,value,unit,coverage");
}

TEST_CASE("numbers are written so that they read back bit for bit", "[results_writer]") {
  CHECK(format_double(0.1 + 0.2) == "0.30000000000000004");
  CHECK(format_double(1.0) == "1");
  CHECK(format_double(-0.0) == "-0");
  CHECK(format_double(5e-324) == "5e-324");
  CHECK(format_double(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");

  std::mt19937_64 rng(20261124);  // fixed seed: reproducible
  int checked = 0;
  int mismatches = 0;
  for (int i = 0; i < 200000; ++i) {
    const double x = std::bit_cast<double>(rng());
    if (!std::isfinite(x)) continue;
    const std::string text = format_double(x);
    double back = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
    const bool exact = ec == std::errc{} && end == text.data() + text.size() &&
                       std::bit_cast<std::uint64_t>(back) == std::bit_cast<std::uint64_t>(x);
    if (!exact) {
      UNSCOPED_INFO("mismatch: " << text);
      ++mismatches;
    }
    ++checked;
  }
  CHECK(checked > 190000);
  CHECK(mismatches == 0);
}

TEST_CASE("to_csv then the reader gives the same rows", "[results_writer]") {
  std::vector<Row> rows = {make_row("r1", 0, "ns_per_pte", 0.1 + 0.2),
                           make_row("r1", 0, "cycles_per_pte", 1e-310),
                           make_row("r1", 1, "ns_per_pte", 123456789.123456789)};
  rows[1].unit = "cycles, core";
  rows[1].coverage = 1.0 / 3.0;
  rows[2].ptes = std::numeric_limits<std::uint64_t>::max();
  rows[2].repetition = std::numeric_limits<std::uint32_t>::max();
  const std::string csv = to_csv(rows);
  const auto back = parse_results(csv, "round.csv");
  REQUIRE(back.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(identical(back[i], rows[i]));
}

TEST_CASE("write_results replaces the file atomically", "[results_writer]") {
  test::TempDir dir;
  const fs::path out = dir / "out.csv";
  write_results(out, {make_row("r1", 0, "ns_per_pte", 1.5)});
  write_results(out, {make_row("r2", 0, "ns_per_pte", 2.5), make_row("r2", 1, "ns_per_pte", 3)});
  const auto rows = read_results(out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].run_id == "r2");
}

TEST_CASE("ResultsWriter commits every repetition as a whole - readable file", "[results_writer]") {
  test::TempDir dir;
  const fs::path out = dir / "run.csv";
  ResultsWriter writer(out);
  CHECK_FALSE(fs::exists(out));  // nothing before the first commit
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    writer.add(make_row("r", rep, "ns_per_pte", 1.0 + rep));
    writer.add(make_row("r", rep, "cycles_per_pte", 3.0 + rep));
    writer.commit();
    const auto rows = read_results(out);
    REQUIRE(rows.size() == 2 * (rep + 1));
    CHECK(rows.back().repetition == rep);
  }
  CHECK(writer.rows().size() == 6);
  CHECK(writer.path() == out);
}

TEST_CASE("ResultsWriter refuses an unwritable destination before any run", "[results_writer]") {
  test::TempDir dir;
  const fs::path missing = dir / "no-such-dir" / "out.csv";
  CHECK(error_of([&] { ResultsWriter w(missing); }) ==
        missing.string() + ": cannot write: directory " + (dir / "no-such-dir").string() +
            ": No such file or directory");
  CHECK(error_of([&] { ResultsWriter w(dir.path()); }) ==
        dir.path().string() + ": cannot write: is a directory");
}

// A child runs "repetitions", committing after each, and is SIGKILLed mid-run: the file holds
// whole repetitions only — what Ctrl-C during a run leaves.
TEST_CASE("a run killed between or during commits keeps every finished repetition",
          "[results_writer]") {
  test::TempDir dir;
  const fs::path out = dir / "run.csv";
  // 6 rounds at least; more, with longer waits, until the file exists — under emulation
  // (qemu-user) a child may need far longer for its first commit.
  for (int round = 0; round < 6 || (!fs::exists(out) && round < 30); ++round) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      try {
        ResultsWriter writer(out);
        for (std::uint32_t rep = 0;; ++rep) {
          for (int m = 0; m < 50; ++m) {
            writer.add(make_row("killed", rep, "metric" + std::to_string(m), m));
          }
          writer.commit();
        }
      } catch (...) {
      }
      ::_exit(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + 15 * round));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    if (!fs::exists(out)) continue;
    const auto rows = read_results(out);  // throws if torn
    CHECK(rows.size() % 50 == 0);
    if (!rows.empty()) CHECK(rows.back().metric == "metric49");
  }
  CHECK(fs::exists(out));
}

TEST_CASE("append_results grows a history and refuses a run twice", "[results_writer]") {
  test::TempDir dir;
  const fs::path history = dir / "history.csv";
  append_results(history, {make_row("night1", 0, "ns_per_pte", 1)});
  append_results(
      history, {make_row("night2", 0, "ns_per_pte", 2), make_row("night2", 1, "ns_per_pte", 2.5)});
  auto rows = read_results(history);
  REQUIRE(rows.size() == 3);
  CHECK(rows[2].run_id == "night2");
  const std::string before = test::slurp(history);

  SECTION("the same run again") {
    CHECK(error_of([&] { append_results(history, {make_row("night2", 5, "x", 1)}); }) ==
          history.string() + ": run night2 is already in this history; not appending it twice");
    CHECK(test::slurp(history) == before);
  }
  SECTION("a damaged history is not extended") {
    dir.write("history.csv", before + "ptebench-results/1,oops\n");
    CHECK(error_of([&] { append_results(history, {make_row("night3", 0, "x", 1)}); }) ==
          history.string() + ":5:3: row ends after 2 of 21 fields; \"started_utc\" is missing");
  }
  SECTION("a file of another schema is not extended") {
    dir.write("history.csv", "key,value\nschema,ptebench-context/1\n");
    CHECK(error_of([&] { append_results(history, {make_row("night3", 0, "x", 1)}); }) ==
          history.string() +
              ":1:1: header differs from the one being appended; refusing to mix schemas");
  }
}

// The writer's contract violations abort (first error tier); checked in a child process.
std::pair<int, std::string> run_in_child(const std::function<void()>& body) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::signal(SIGABRT, SIG_DFL);  // Catch2's handler would report it as a failure
    ::dup2(fds[1], STDERR_FILENO);
    body();
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string err;
  char buffer[512];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0) err.append(buffer, buffer + n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return {WIFSIGNALED(status) ? WTERMSIG(status) : 0, err};
}

TEST_CASE("a row the reader would reject aborts the writer with the reason", "[results_writer]") {
  test::TempDir dir;
  SECTION("NaN value") {
    const auto [signal, err] = run_in_child([&] {
      ResultsWriter w(dir / "out.csv");
      w.add(make_row("r", 0, "cycles_per_pte", std::nan("")));
    });
    CHECK(signal == SIGABRT);
    CHECK(err.find("invariant violated: results row zap_range/x86_64/read_once/dense/262144/"
                   "kernel metric cycles_per_pte repetition 0: value \"nan\" is not finite") !=
          std::string::npos);
  }
  SECTION("duplicate key") {
    const auto [signal, err] = run_in_child([&] {
      ResultsWriter w(dir / "out.csv");
      w.add(make_row("r", 0, "ns_per_pte", 1));
      w.add(make_row("r", 0, "ns_per_pte", 2));
    });
    CHECK(signal == SIGABRT);
    CHECK(err.find("same run_id, case, repetition and metric as an earlier row") !=
          std::string::npos);
  }
  SECTION("a valid row does not abort") {
    const auto [signal, err] = run_in_child([&] {
      ResultsWriter w(dir / "out.csv");
      w.add(make_row("r", 0, "ns_per_pte", 1));
    });
    CHECK(signal == 0);
    CHECK(err.empty());
  }
}

}  // namespace
}  // namespace ptebench::results
