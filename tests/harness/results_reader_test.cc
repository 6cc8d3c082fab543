// Tests harness/results_reader: the committed corpus of malformed files (tests/corpus, also the
// fuzzer's seeds), each with its expected one-line error; exact values; wide and long input.
#include "harness/results_reader.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "harness/input_error.h"
#include "harness/results_writer.h"
#include "test_files.h"

namespace ptebench::results {
namespace {

namespace fs = std::filesystem;
using test::error_of;

const fs::path kCorpus = fs::path(PTEBENCH_SOURCE_DIR) / "tests" / "corpus";

const char* const kHeader =
    "schema,run_id,started_utc,host,arch,cpu_model,kernel,compiler,codegen,git_rev,suite,"
    "workload,pte_format,variant,layout,ptes,repetition,metric,value,unit,coverage\n";

// A valid row; `tail` replaces everything from metric on.
std::string row_line(const std::string& tail = "ns_per_pte,1.25,ns,1",
                     const std::string& ptes_rep = "512,0") {
  return "ptebench-results/1,r1,2026-11-24T16:30:00Z,ci,x86_64,cpu,6.1.0,GNU 12.2.0,kernel,"
         "abc123,quick,zap_range,x86_64,plain,dense," +
         ptes_rep + "," + tail + "\n";
}

struct Expectation {
  std::string message;  // after the file's path: ":LINE[:COLUMN]: what"
  bool ok = false;
  std::size_t rows = 0;
};

// tests/corpus/expected_errors.txt: "<file><message>" or "<file> OK <rows>"; '#' comments.
std::map<std::string, Expectation> load_expectations() {
  std::ifstream in(kCorpus / "expected_errors.txt");
  REQUIRE(in);
  std::map<std::string, Expectation> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto cut = line.find_first_of(": ");
    REQUIRE(cut != std::string::npos);
    Expectation e;
    if (line.compare(cut, 4, " OK ") == 0) {
      e.ok = true;
      e.rows = std::stoul(line.substr(cut + 4));
    } else {
      e.message = line.substr(cut);
    }
    out.emplace(line.substr(0, cut), e);
  }
  return out;
}

TEST_CASE("every corpus file gives exactly its expected one-line error", "[results][corpus]") {
  const auto expectations = load_expectations();
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() == ".csv") files.insert(entry.path().filename().string());
  }
  // The listing and the directory agree, both ways.
  for (const auto& [name, e] : expectations) CHECK(files.count(name) == 1);
  REQUIRE(files.size() == expectations.size());

  for (const std::string& name : files) {
    INFO("corpus file " << name);
    const Expectation& e = expectations.at(name);
    const fs::path path = kCorpus / name;
    if (e.ok) {
      std::vector<Row> rows;
      CHECK_NOTHROW(rows = read_results(path));
      CHECK(rows.size() == e.rows);
      std::size_t streamed = 0;
      scan_unique_results(path, [&](const Row&, std::size_t) { ++streamed; });
      CHECK(streamed == e.rows);
      continue;
    }
    const std::string message = error_of([&] { read_results(path); });
    CHECK(message == path.string() + e.message);
    // Streaming with every check (what compare reads with) says the same.
    CHECK(error_of([&] { scan_unique_results(path, [](const Row&, std::size_t) {}); }) == message);
    CHECK(message.find('\n') == std::string::npos);
    // The same bytes from memory give the same message under the given name.
    const std::string bytes = test::slurp(path);
    CHECK(error_of([&] { parse_results(bytes, name); }) == name + e.message);
  }
}

TEST_CASE("valid files read back exactly", "[results]") {
  SECTION("quoted fields with doubled quotes and commas") {
    const auto rows = read_results(kCorpus / "quotes_valid.csv");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].cpu_model == "Intel \"Xeon\", 2 GHz");
    CHECK(rows[0].value == 0.1 + 0.2);  // 17 significant digits read back exactly
    CHECK(rows[0].coverage == 0.75);
    CHECK(rows[0].ptes == 512);
  }
  SECTION("CRLF line ends and a UTF-8 byte order mark") {
    const auto crlf = read_results(kCorpus / "crlf_valid.csv");
    REQUIRE(crlf.size() == 2);
    CHECK(crlf[1].coverage == 1.0);
    CHECK(crlf[1].repetition == 1);
    const auto bom = read_results(kCorpus / "bom_valid.csv");
    REQUIRE(bom.size() == 1);
    CHECK(bom[0].schema == kSchema);
  }
  SECTION("every field lands in its member") {
    const std::string csv =
        std::string(kHeader) +
        "ptebench-results/1,run,2026-01-02T03:04:05Z,h,aarch64,m,k,c,user,g,s,w,arm64,arch,"
        "contpte,18446744073709551615,4294967295,cycles_per_pte,1e-310,cycles,0\n";
    const auto rows = parse_results(csv, "mem.csv");
    REQUIRE(rows.size() == 1);
    const Row& r = rows[0];
    CHECK(r.run_id == "run");
    CHECK(r.started_utc == "2026-01-02T03:04:05Z");
    CHECK(r.host == "h");
    CHECK(r.arch == "aarch64");
    CHECK(r.cpu_model == "m");
    CHECK(r.kernel == "k");
    CHECK(r.compiler == "c");
    CHECK(r.codegen == "user");
    CHECK(r.git_rev == "g");
    CHECK(r.suite == "s");
    CHECK(r.workload == "w");
    CHECK(r.pte_format == "arm64");
    CHECK(r.variant == "arch");
    CHECK(r.layout == "contpte");
    CHECK(r.ptes == 18446744073709551615ULL);
    CHECK(r.repetition == 4294967295U);
    CHECK(r.metric == "cycles_per_pte");
    CHECK(r.value == 1e-310);  // subnormal: in range, kept
    CHECK(r.unit == "cycles");
    CHECK(r.coverage == 0.0);
  }
}

TEST_CASE("errors name the file - line and column of the bad value", "[results]") {
  using Case = std::pair<std::string, std::string>;  // body after the header, message
  const auto [body, message] = GENERATE(values<Case>({
      {row_line() + row_line("ns_per_pte,1.25,ns,1", "512,1") + row_line("x,2,ns,0.5 ", "1,0"),
       "m.csv:4:21: coverage \"0.5 \" is not a number"},
      {row_line("ns_per_pte, 1.25,ns,1"), "m.csv:2:19: value \" 1.25\" is not a number"},
      {row_line("ns_per_pte,0x10,ns,1"), "m.csv:2:19: value \"0x10\" is not a number"},
      {row_line("ns_per_pte,1e-400,ns,1"),
       "m.csv:2:19: value \"1e-400\" is out of the range of a double"},
      {row_line("ns_per_pte,-1,ns,-0.5"), "m.csv:2:21: coverage \"-0.5\" is outside [0, 1]"},
      {row_line("ns_per_pte,1,ns,1", "+5,0"), "m.csv:2:16: ptes \"+5\" is not an integer"},
      {row_line("ns_per_pte,1,ns,1", "18446744073709551616,0"),
       "m.csv:2:16: ptes \"18446744073709551616\" is out of range"},
      {row_line("ns_per_pte,1,ns,1", "5,"),
       "m.csv:2:17: repetition is empty; expected a non-negative integer"},
      {row_line("ns_per_pte,1,ns,\"1"),
       "m.csv:2:21: quoted field is not closed on this line (fields cannot contain line breaks)"},
      {row_line("ns_per_pte,1,\"n\"s,1"),
       "m.csv:2:20: malformed quoting in \"\\\"n\\\"s\" (a field with '\"' must be enclosed in "
       "quotes, each inner '\"' doubled)"},
      {row_line("ns_per_pte,1,\"a\rb\",1"), "m.csv:2:20: unit contains a line break"},
      {"ptebench-results/1\n", "m.csv:2:2: row ends after 1 of 21 fields; \"run_id\" is missing"},
      {",,,,,,,,,,,,,,,,,,,,\n",
       "m.csv:2:1: schema \"\" is not ptebench-results/1 (unknown schema version)"},
  }));
  CHECK(error_of([&] { parse_results(kHeader + body, "m.csv"); }) == message);
}

TEST_CASE("a missing file is named", "[results]") {
  test::TempDir dir;
  const fs::path missing = dir / "nope.csv";
  CHECK(error_of([&] { read_results(missing); }) ==
        missing.string() + ": cannot open: No such file or directory");
  CHECK(error_of([&] { read_results(dir.path()); }).find(dir.path().string() + ": cannot ") == 0);
}

TEST_CASE("100k columns are rejected quickly - in header and in a row", "[results][corpus]") {
  test::TempDir dir;
  std::string wide_header = std::string(kHeader);
  wide_header.pop_back();
  std::string wide_row = row_line();
  wide_row.pop_back();
  for (int i = 0; i < 100'000; ++i) {
    wide_header += ",extra" + std::to_string(i);
    wide_row += ",\"quoted, " + std::to_string(i) + "\"";
  }
  const auto header_file = dir.write("wide_header.csv", wide_header + "\n" + row_line());
  const auto row_file = dir.write("wide_row.csv", std::string(kHeader) + wide_row + "\n");
  REQUIRE(fs::file_size(row_file) > 1'000'000);

  const auto start = std::chrono::steady_clock::now();
  CHECK(error_of([&] { read_results(header_file); }) ==
        header_file.string() +
            ":1:22: header has more than 21 columns: \"extra0\" after \"coverage\"");
  CHECK(error_of([&] { read_results(row_file); }) ==
        row_file.string() + ":2:22: row has more than 21 fields");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // Generous bound for a loaded 2-core machine; typical is a few milliseconds.
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("a line beyond the parser's 16 MiB limit is one clear error", "[results]") {
  std::string csv = kHeader;
  csv += std::string(std::size_t{1} << 24, 'x');
  CHECK(error_of([&] { parse_results(csv, "long.csv"); }) ==
        "long.csv:2: line is longer than the reader's limit of 16 MiB");
}

TEST_CASE("scan_results streams rows with their lines - and the sink can stop it", "[results]") {
  const std::string csv = kHeader + row_line() + row_line() + row_line("x,1,ns,1");
  std::vector<std::size_t> lines;
  // Streaming does not check duplicates (lines 2 and 3 are the same row).
  scan_results_buffer(csv, "s.csv", [&](const Row& row, std::size_t line) {
    CHECK(row.workload == "zap_range");
    lines.push_back(line);
  });
  CHECK(lines == std::vector<std::size_t>{2, 3, 4});
  CHECK(error_of([&] { parse_results(csv, "s.csv"); }) ==
        "s.csv:3: duplicate row: same run_id, case, repetition and metric as line 2");
  CHECK(error_of([&] {
          scan_results_buffer(csv, "s.csv", [](const Row&, std::size_t line) {
            if (line == 3) throw InputError("stop at 3");
          });
        }) == "stop at 3");
}

TEST_CASE("check_row states what the writer and reader refuse", "[results]") {
  Row r;
  r.run_id = "r";
  r.codegen = "kernel";
  r.workload = "w";
  r.pte_format = "x86_64";
  r.variant = "plain";
  r.layout = "dense";
  r.metric = "ns_per_pte";
  CHECK_FALSE(check_row(r).has_value());
  SECTION("NaN value") {
    r.value = std::nan("");
    REQUIRE(check_row(r).has_value());
    CHECK(check_row(r)->column == 18);
    CHECK(check_row(r)->what == "value \"nan\" is not finite");
  }
  SECTION("coverage above 1") {
    r.coverage = 1.0000000000000002;
    REQUIRE(check_row(r).has_value());
    CHECK(check_row(r)->what == "coverage \"1.0000000000000002\" is outside [0, 1]");
  }
  SECTION("line break in free text") {
    r.cpu_model = "a\nb";
    REQUIRE(check_row(r).has_value());
    CHECK(check_row(r)->column == 5);
  }
  SECTION("empty key field") {
    r.layout.clear();
    REQUIRE(check_row(r).has_value());
    CHECK(check_row(r)->what == "layout is empty");
  }
  SECTION("another schema") {
    r.schema = "ptebench-results/0";
    REQUIRE(check_row(r).has_value());
    CHECK(check_row(r)->column == 0);
  }
}

// Not a test of correctness but the speed the compare command relies on; hidden (run with
// `results_reader_test "[.perf]"`) because timing on a shared machine is not a pass/fail fact.
TEST_CASE("one million rows read in a few seconds", "[.perf]") {
  std::vector<Row> rows(1'000'000);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Row& r = rows[i];
    r.run_id = "20261124T163000Z-benchhost-123456";
    r.started_utc = "2026-11-24T16:30:00Z";
    r.host = "benchhost";
    r.arch = "x86_64";
    r.cpu_model = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz";
    r.kernel = "6.1.0-18-amd64";
    r.compiler = "GNU 12.2.0";
    r.codegen = "kernel";
    r.git_rev = "b02df23";
    r.suite = "nightly";
    r.workload = "copy_range";
    r.pte_format = "x86_64";
    r.variant = i % 2 ? "read_once" : "plain";
    r.layout = "dense";
    r.ptes = std::uint64_t{4096} << (i % 16);  // with repetition = i / 16: unique keys
    r.repetition = static_cast<std::uint32_t>(i / 16);
    r.metric = "ns_per_pte";
    r.value = 1.0 + static_cast<double>(i) * 1e-7;
    r.unit = "ns";
  }
  const std::string csv = to_csv(rows);
  const auto start = std::chrono::steady_clock::now();
  const auto back = parse_results(csv, "big.csv");
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  WARN("parsed " << back.size() << " rows (" << csv.size() / 1e6 << " MB) in " << seconds.count()
                 << " s");
  CHECK(back.size() == rows.size());
  CHECK(back.back().value == rows.back().value);
  CHECK(seconds.count() < 5.0);
}

}  // namespace
}  // namespace ptebench::results
