// A results file read for comparison (harness/compare.h, Collector) without a std::string per
// row: the file is read through a window (harness/input_file.h), split in place
// (harness/results_parser.h), and each distinct run_id, case, metric and unit is kept once; a
// row is 24 bytes. What `ptebench compare` reads its inputs with, one file after the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::results {

// A case x metric of the file.
struct Series {
  std::uint32_t case_id;  // index into RowTable::cases
  std::uint32_t metric;   // index into RowTable::metrics
  std::uint32_t rows;     // how many rows of the file it has
};

struct TableRow {
  std::uint32_t run;     // index into RowTable::run_ids
  std::uint32_t series;  // index into RowTable::series
  std::uint32_t unit;    // index into RowTable::units
  std::uint32_t repetition;
  double value;
};

struct RowTable {
  // Each distinct value once, in order of first appearance.
  std::vector<std::string> run_ids;
  std::vector<std::string> run_hosts;  // the host column of each run's first row, by run
  std::vector<CaseKey> cases;
  std::vector<std::string> metrics;
  std::vector<Series> series;
  std::vector<std::string> units;
  std::vector<TableRow> rows;  // in file order: rows[i] is on line i + 2
  // The InputError that stopped reading (results_reader.h: the same checks and messages as
  // scan_unique_results, duplicate rows included), thrown after rows[0 .. rows.size()) were
  // read; null when the whole file was read.
  std::exception_ptr error;

  static std::size_t line_of(std::size_t row) { return row + 2; }
};

// Reads a whole results file. Never throws InputError: a bad file is `error`.
RowTable read_table(const std::filesystem::path& path);
// The same for bytes in memory; `name` stands for the file in messages.
RowTable parse_table(std::string_view csv, std::string_view name);

}  // namespace ptebench::results
