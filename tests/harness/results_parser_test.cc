// Tests harness/results_parser: where it stops on a NUL byte, as fast-cpp-csv-parser did
// (the NUL check ran on each block as it was read: 32 MiB first, then 16 MiB as lines were
// consumed), the line-length limit, and that rows of one run share their run columns.
#include "harness/results_parser.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "harness/input_error.h"
#include "harness/results_reader.h"
#include "test_files.h"

namespace ptebench::results {
namespace {

using namespace std::string_literals;

constexpr std::size_t kMiB = std::size_t{1} << 20;

const char* const kHeader =
    "schema,run_id,started_utc,host,arch,cpu_model,kernel,compiler,codegen,git_rev,suite,"
    "workload,pte_format,variant,layout,ptes,repetition,metric,value,unit,coverage\n";

std::string row(std::size_t rep, const std::string& value = "1.5") {
  return "ptebench-results/1,r1,2026-11-24T16:30:00Z,ci,x86_64,cpu,6.1.0,GNU 12.2.0,kernel,"
         "abc123,quick,zap_range,x86_64,plain,dense,512," +
         std::to_string(rep) + ",ns_per_pte," + value + ",ns,1\n";
}

// Valid rows until the text is at least `bytes` long; returns the number of lines.
std::size_t fill_to(std::string& csv, std::size_t bytes, std::size_t& rep) {
  while (csv.size() < bytes) csv += row(rep++);
  return static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
}

std::string error_reading(const std::string& csv) {
  return test::error_of([&] { scan_results_buffer(csv, "f.csv", [](const Row&, std::size_t) {}); });
}

TEST_CASE("a NUL byte is reported when its block is read, as before", "[results][parser]") {
  std::size_t rep = 0;
  SECTION("in the first 32 MiB: before any row, even a bad row 2") {
    std::string csv = std::string(kHeader) + row(rep++, "fast");
    fill_to(csv, 20 * kMiB, rep);
    const std::size_t lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
    csv += "x\0y\n"s;
    CHECK(error_reading(csv) ==
          "f.csv:" + std::to_string(lines + 1) + ": NUL byte; this is not a text CSV file");
  }
  SECTION("beyond 32 MiB: an earlier bad row wins") {
    std::string csv = std::string(kHeader) + row(rep++, "fast");
    fill_to(csv, 40 * kMiB, rep);
    csv += "x\0y\n"s;
    CHECK(error_reading(csv) == "f.csv:2:19: value \"fast\" is not a number");
  }
  SECTION("beyond 32 MiB: found once the reader is 16 MiB into the file") {
    std::string csv = kHeader;
    fill_to(csv, 40 * kMiB, rep);
    const std::size_t lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
    csv += "x\0y\n"s;
    CHECK(error_reading(csv) ==
          "f.csv:" + std::to_string(lines + 1) + ": NUL byte; this is not a text CSV file");
    // The same file with a bad row at 10 MiB: that row comes first (its block was read).
    std::string early = kHeader;
    std::size_t early_rep = 0;
    const std::size_t bad_line = fill_to(early, 10 * kMiB, early_rep) + 1;
    early += row(early_rep++, "fast");
    fill_to(early, 40 * kMiB, early_rep);
    early += "x\0y\n"s;
    CHECK(error_reading(early) ==
          "f.csv:" + std::to_string(bad_line) + ":19: value \"fast\" is not a number");
    // A bad row at 20 MiB: reading it needed the block holding the NUL byte, which came first.
    std::string late = kHeader;
    std::size_t late_rep = 0;
    fill_to(late, 20 * kMiB, late_rep);
    late += row(late_rep++, "fast");
    const std::size_t nul_line = fill_to(late, 40 * kMiB, late_rep) + 1;
    late += "x\0y\n"s;
    CHECK(error_reading(late) ==
          "f.csv:" + std::to_string(nul_line) + ": NUL byte; this is not a text CSV file");
  }
}

TEST_CASE("a line of 16 MiB is refused, one just under it is read", "[results][parser]") {
  std::string csv = kHeader;
  std::string long_row = row(0);
  long_row.insert(long_row.find(",cpu,") + 1, 16 * kMiB - long_row.size(), 'c');
  REQUIRE(long_row.size() == 16 * kMiB);  // with its '\n': the limit
  std::size_t rows = 0;
  scan_results_buffer(csv + long_row, "f.csv", [&](const Row&, std::size_t) { ++rows; });
  CHECK(rows == 1);
  long_row.insert(long_row.find(",cpu") + 1, "c");
  CHECK(error_reading(csv + long_row) ==
        "f.csv:2: line is longer than the reader's limit of 16 MiB");
}

TEST_CASE("rows of one run share their run columns, another run is split anew",
          "[results][parser]") {
  std::string other = row(1);
  other.replace(other.find(",r1,"), 4, ",r2,");
  const std::string csv = std::string(kHeader) + row(0) + row(1) + other + row(2);
  RowParser parser(csv, "f.csv");
  parser.read_header();
  RowFields f;
  std::vector<std::pair<bool, std::string>> seen;
  while (parser.next(f)) seen.emplace_back(f.same_run_columns, std::string(f.text[1]));
  CHECK(seen == std::vector<std::pair<bool, std::string>>{
                    {false, "r1"}, {true, "r1"}, {false, "r2"}, {false, "r1"}});
}

}  // namespace
}  // namespace ptebench::results
