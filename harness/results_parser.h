// The one parser of results files (schema ptebench-results/1): splits a file read through a
// window (harness/input_file.h) into checked rows of std::string_view fields, without copying
// a field or allocating per row. Every rule and message of results_reader.h is applied here
// except the duplicate check, which its callers keep (they know how to key a row cheaply).
// Used by results_reader.cc (rows as results::Row) and results_table.cc (interned columns for
// `compare`).
//
// It replaced fast-cpp-csv-parser (fccp) for speed and keeps its reading exactly, including
// where it stops: fccp read the file in blocks (32 MiB, then 16 MiB at a time as lines were
// consumed) and the NUL-byte check ran on each block as it was read, so a NUL byte is reported
// when the block holding it would have been read; a UTF-8 byte order mark is skipped; "\r\n"
// ends a line like "\n"; a last line may lack its '\n'; a line of 16 MiB or more is refused.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "harness/input_file.h"
#include "harness/results_reader.h"
#include "harness/results_row.h"

namespace ptebench::results {

// One row: every column's text (quotes removed), and the four numeric columns parsed.
struct RowFields {
  std::array<std::string_view, kColumns.size()> text;
  std::uint64_t ptes = 0;
  std::uint32_t repetition = 0;
  double value = 0;
  double coverage = 0;
  // Columns schema .. suite (0-10) are byte for byte those of the previous row: the same run.
  bool same_run_columns = false;
  // Columns workload .. ptes (11-15) as they stand in the file, the commas between included:
  // equal bytes on two rows of one run mean the same case (the converse need not hold).
  std::string_view case_bytes;
};

class RowParser {
 public:
  // `file` must outlive the parser; `name` stands for the file in messages.
  RowParser(InputFile& file, std::string name);
  // The same for bytes in memory, which must outlive the parser.
  RowParser(std::string_view bytes, std::string name);

  // Checks the header (InputError as results_reader.h). Call once, first.
  void read_header();
  // The next row into `out` (its views stay valid until the next call), false at the end.
  // Throws InputError naming the line (and column).
  bool next(RowFields& out);
  // The 1-based line of the row last returned.
  std::size_t line() const { return line_; }
  const std::string& name() const { return name_; }

 private:
  void start();
  bool next_line(std::string_view& line);
  void advance_read(std::size_t bytes);
  std::size_t split(std::string_view line, std::size_t first, std::size_t max_fields);
  [[noreturn]] void fail(std::size_t column, const std::string& what) const;
  [[noreturn]] void fail_line(std::size_t line, const std::string& what) const;

  std::unique_ptr<InputFile> owned_;  // the bytes given, for the second constructor
  InputFile* file_;
  std::string name_;
  std::size_t pos_ = 0;       // start of the next line
  std::size_t base_ = 0;      // fccp's buffer start (blocks consumed)
  std::size_t read_end_ = 0;  // bytes fccp would have read (and NUL-checked) so far
  bool refill_ = false;       // fccp's reader was still reading
  bool done_ = false;         // the last line had no '\n'
  std::size_t line_ = 0;
  // Fields of the current line; a quoted field with doubled quotes is unescaped into scratch_.
  std::array<std::string_view, kColumns.size() + 1> fields_;
  std::array<std::string, kColumns.size() + 1> scratch_;
  std::array<std::string, 11> run_text_;  // the run's columns 0-10 (fields_ points to them)
  std::string run_prefix_;            // the run's first row's columns 0-10 and the comma after them
  const char* case_begin_ = nullptr;  // the current row's case columns (RowFields::case_bytes)
  const char* case_end_ = nullptr;
};

// check_row (results_reader.h) of a row's fields. The line-break check starts at column
// `first_text_column` (those before it were checked on an identical earlier row, or the
// caller knows the line holds no line break).
std::optional<RowProblem> check_fields(const std::array<std::string_view, kColumns.size()>& text,
                                       double value, double coverage,
                                       std::size_t first_text_column = 0);

// "value", "coverage", ...: a column's name, for messages.
std::string column_name(std::size_t index);
// Quoted for an error message: at most 40 characters, '"' and '\' escaped with '\', control
// bytes as \xNN, so the message stays one unambiguous line.
std::string quoted(std::string_view text);

}  // namespace ptebench::results
