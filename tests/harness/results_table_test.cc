// Tests harness/results_table: a table holds exactly the rows read_results gives, reports every
// corpus error with the same message, and a Collector fed from tables (what `ptebench compare`
// does) renders byte for byte the comparison it renders when fed Rows.
#include "harness/results_table.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "harness/compare.h"
#include "harness/input_error.h"
#include "harness/report.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"
#include "test_files.h"

namespace ptebench::results {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(PTEBENCH_SOURCE_DIR) / "tests" / "corpus";

std::string error_of_table(const RowTable& table) {
  if (!table.error) return "no error";
  try {
    std::rethrow_exception(table.error);
  } catch (const InputError& e) {
    return e.what();
  }
}

// The rows of a table rebuilt as far as a table keeps them (no run-wide columns but run_id).
void check_same_rows(const RowTable& table, const std::vector<Row>& rows) {
  REQUIRE(table.rows.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const TableRow& t = table.rows[i];
    const Series& s = table.series[t.series];
    INFO("row " << i);
    CHECK(table.run_ids[t.run] == rows[i].run_id);
    CHECK(table.run_hosts[t.run] == rows[i].host);
    CHECK(table.cases[s.case_id] == case_key(rows[i]));
    CHECK(table.metrics[s.metric] == rows[i].metric);
    CHECK(table.units[t.unit] == rows[i].unit);
    CHECK(t.repetition == rows[i].repetition);
    CHECK(std::bit_cast<std::uint64_t>(t.value) == std::bit_cast<std::uint64_t>(rows[i].value));
  }
}

TEST_CASE("a table reads every corpus file as read_results does", "[results][corpus]") {
  for (const auto& entry : fs::directory_iterator(kCorpus)) {
    if (entry.path().extension() != ".csv") continue;
    INFO("corpus file " << entry.path().filename());
    const RowTable table = read_table(entry.path());
    const std::string expected = test::error_of([&] { read_results(entry.path()); });
    CHECK(error_of_table(table) == expected);
    if (expected == "no error") check_same_rows(table, read_results(entry.path()));
    // From memory, under another name.
    const std::string bytes = test::slurp(entry.path());
    const std::string memory_expected = test::error_of([&] { parse_results(bytes, "mem"); });
    CHECK(error_of_table(parse_table(bytes, "mem")) == memory_expected);
  }
}

TEST_CASE("a missing file is an error of the table, not an exception", "[results]") {
  const RowTable table = read_table("/nonexistent/ptebench.csv");
  CHECK(error_of_table(table) ==
        "/nonexistent/ptebench.csv: cannot open: No such file or directory");
  CHECK(table.rows.empty());
}

const char* const kHeader =
    "schema,run_id,started_utc,host,arch,cpu_model,kernel,compiler,codegen,git_rev,suite,"
    "workload,pte_format,variant,layout,ptes,repetition,metric,value,unit,coverage\n";

std::string row_line(const std::string& run, const std::string& layout, std::uint32_t rep,
                     const std::string& metric) {
  return "ptebench-results/1," + run +
         ",2026-11-24T16:30:00Z,ci,x86_64,cpu,6.1.0,GNU 12.2.0,"
         "kernel,abc123,quick,zap_range,x86_64,plain," +
         layout + ",512," + std::to_string(rep) + "," + metric + ",1.5,ns,1\n";
}

TEST_CASE("duplicate rows are found wherever they are, with the first line", "[results]") {
  SECTION("within the first 8 metrics and 64 repetitions of a case") {
    const std::string csv = std::string(kHeader) + row_line("r1", "dense", 0, "m0") +
                            row_line("r1", "dense", 1, "m0") + row_line("r2", "dense", 0, "m0") +
                            row_line("r1", "sparse", 0, "m0") + row_line("r1", "dense", 1, "m0");
    const RowTable table = parse_table(csv, "f.csv");
    CHECK(error_of_table(table) ==
          "f.csv:6: duplicate row: same run_id, case, repetition and metric as line 3");
    CHECK(table.rows.size() == 4);  // the rows before it are kept
    CHECK(error_of_table(table) == test::error_of([&] { parse_results(csv, "f.csv"); }));
  }
  SECTION("a repetition beyond 63 and a ninth metric") {
    std::string csv = kHeader;
    for (int m = 0; m < 10; ++m) csv += row_line("r1", "dense", 70, "m" + std::to_string(m));
    csv += row_line("r1", "dense", 100, "m0");
    csv += row_line("r1", "dense", 0, "m9");
    csv += row_line("r1", "dense", 0, "m9");
    CHECK(error_of_table(parse_table(csv, "f.csv")) ==
          "f.csv:14: duplicate row: same run_id, case, repetition and metric as line 13");
    csv = kHeader;
    for (int m = 0; m < 10; ++m) csv += row_line("r1", "dense", 70, "m" + std::to_string(m));
    csv += row_line("r1", "dense", 70, "m3");
    CHECK(error_of_table(parse_table(csv, "f.csv")) ==
          "f.csv:12: duplicate row: same run_id, case, repetition and metric as line 5");
  }
}

TEST_CASE("a table keeps each run, case, metric and unit once", "[results]") {
  const std::string csv = std::string(kHeader) + row_line("r1", "dense", 0, "a") +
                          row_line("r1", "dense", 0, "b") + row_line("r1", "sparse", 0, "a") +
                          row_line("r2", "dense", 0, "a") +
                          // quoted: the same values spelled otherwise
                          "ptebench-results/1,\"r1\",2026-11-24T16:30:00Z,ci,x86_64,cpu,6.1.0,"
                          "GNU 12.2.0,kernel,abc123,quick,zap_range,x86_64,plain,\"dense\","
                          "0512,1,a,2.5,ns,1\n";
  const RowTable table = parse_table(csv, "f.csv");
  REQUIRE(!table.error);
  CHECK(table.run_ids == std::vector<std::string>{"r1", "r2"});
  CHECK(table.run_hosts == std::vector<std::string>{"ci", "ci"});
  CHECK(table.cases.size() == 2);
  CHECK(table.metrics == std::vector<std::string>{"a", "b"});
  CHECK(table.units == std::vector<std::string>{"ns"});
  CHECK(table.series.size() == 3);
  CHECK(table.rows.size() == 5);
  CHECK(table.rows[4].series == table.rows[0].series);
  CHECK(table.rows[4].run == 0);
  CHECK(table.series[table.rows[0].series].rows == 3);
  check_same_rows(table, parse_results(csv, "f.csv"));
}

// Deterministic results files of several runs, three metrics (one all 0, one an exact count),
// variants and a unit conflict-free layout, for feeding the Collector both ways.
struct Lcg {
  std::uint64_t s;
  double next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  }
};

std::vector<Row> make_runs(int runs, std::uint64_t seed, double shift) {
  std::vector<Row> rows;
  Lcg rng{seed};
  for (int r = 0; r < runs; ++r) {
    Row row;
    row.run_id = "run-" + std::to_string(seed) + "-" + std::to_string(r);
    row.started_utc = "2026-12-01T00:00:00Z";
    row.host = "h";
    row.arch = "x86_64";
    row.cpu_model = "cpu, \"quoted\"";
    row.kernel = "6.1";
    row.compiler = "GNU 12.2.0";
    row.codegen = "kernel";
    row.git_rev = "abc";
    row.suite = "quick";
    for (int c = 0; c < 24; ++c) {
      row.workload = c % 2 ? "zap_range" : "copy_range";
      row.pte_format = "x86_64";
      row.variant = (c / 2) % 3 == 0 ? "plain" : (c / 2) % 3 == 1 ? "read_once" : "arch";
      row.layout = "dense";
      row.ptes = 512u << (c / 6);
      const double level = 1 + c * (c % 5 == 0 ? 1 + shift : 1.0);
      for (std::uint32_t rep = 0; rep < 7; ++rep) {
        row.repetition = rep;
        row.metric = "ns_per_pte";
        row.unit = "ns";
        row.value = level * (1 + 0.03 * (rng.next() - 0.5));
        rows.push_back(row);
        row.metric = "page_faults";
        row.unit = "count";
        row.value = 0;
        rows.push_back(row);
        row.metric = "instructions_per_pte";
        row.unit = "instructions";
        row.value = 3 * level;
        rows.push_back(row);
      }
    }
  }
  return rows;
}

std::string render(const compare::Comparison& comparison) {
  std::ostringstream out;
  report::make_comparison_reporter("table", true)->write(out, comparison);
  return out.str();
}

TEST_CASE("a Collector fed tables renders what it renders fed Rows", "[results][compare]") {
  test::TempDir dir;
  const std::vector<fs::path> base = {dir / "b1.csv", dir / "b2.csv"};
  const std::vector<fs::path> fresh = {dir / "n1.csv"};
  const std::vector<fs::path> history = {dir / "h1.csv"};
  write_results(base[0], make_runs(1, 1, 0));
  write_results(base[1], make_runs(2, 2, 0));
  write_results(fresh[0], make_runs(1, 3, 0.3));
  write_results(history[0], make_runs(3, 4, 0));

  const auto both_ways = [&](const compare::CompareOptions& options, bool with_history) {
    compare::Collector by_rows(options), by_tables(options);
    for (const fs::path& f : base) {
      for (const Row& r : read_results(f)) by_rows.add_base(r);
      const RowTable t = read_table(f);
      REQUIRE(!t.error);
      for (std::size_t i = 0; i < t.rows.size(); ++i) by_tables.add_base(t, i);
      by_rows.next_input();
      by_tables.next_input();
    }
    for (const fs::path& f : fresh) {
      for (const Row& r : read_results(f)) by_rows.add_new(r);
      const RowTable t = read_table(f);
      for (std::size_t i = 0; i < t.rows.size(); ++i) by_tables.add_new(t, i);
      by_rows.next_input();
      by_tables.next_input();
    }
    if (with_history) {
      for (const fs::path& f : history) {
        for (const Row& r : read_results(f)) by_rows.add_history(r);
        const RowTable t = read_table(f);
        for (std::size_t i = 0; i < t.rows.size(); ++i) by_tables.add_history(t, i);
        by_rows.next_input();
        by_tables.next_input();
      }
    }
    const std::string expected = render(std::move(by_rows).finish());
    CHECK(expected.find("regression") != std::string::npos);
    CHECK(render(std::move(by_tables).finish()) == expected);
  };
  SECTION("by run, with and without a history") {
    compare::CompareOptions options;
    both_ways(options, false);
    both_ways(options, true);
  }
  SECTION("by repetition, one metric") {
    compare::CompareOptions options;
    options.unit = compare::Unit::repetition;
    options.metrics = {"ns_per_pte"};
    both_ways(options, false);
  }
  SECTION("--between variant") {
    compare::CompareOptions options;
    options.between = compare::parse_between("variant=plain,read_once");
    const std::vector<Row> rows = read_results(fresh[0]);
    const compare::Comparison expected = compare::compare_between(rows, options);
    compare::Collector collector(options);
    const RowTable t = read_table(fresh[0]);
    for (std::size_t i = 0; i < t.rows.size(); ++i) collector.add(t, i);
    CHECK(render(std::move(collector).finish()) == render(expected));
  }
}

TEST_CASE("a unit conflict is refused at the same row either way", "[results][compare]") {
  std::string csv = std::string(kHeader) + row_line("r1", "dense", 0, "m");
  std::string other = row_line("r1", "dense", 1, "m");
  other.replace(other.find(",ns,"), 4, ",us,");
  csv += other;
  const RowTable t = parse_table(csv, "f.csv");
  REQUIRE(!t.error);
  compare::Collector collector{compare::CompareOptions{}};
  collector.add_base(t, 0);
  CHECK(test::error_of([&] { collector.add_base(t, 1); }) ==
        "case zap_range/x86_64/plain/dense/512/kernel metric m: unit 'us' where other rows "
        "have 'ns'");
  compare::Collector rows{compare::CompareOptions{}};
  const auto parsed = parse_results(csv, "f.csv");
  rows.add_base(parsed[0]);
  CHECK(test::error_of([&] { rows.add_base(parsed[1]); }) ==
        test::error_of([&] { collector.add_base(t, 1); }));
}

}  // namespace
}  // namespace ptebench::results
