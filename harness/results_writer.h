// Writing results files of schema ptebench-results/1 (results/README.md): RFC 4180 CSV, header
// results::kColumns, one row per line ending in '\n'. A field is quoted when it holds ',', '"',
// CR or LF (inner quotes doubled); value and coverage are written in the shortest form that
// reads back to the same double (std::to_chars), ptes and repetition as integers.
//
// Every file is replaced atomically (harness/atomic_file.h): a destination is never truncated,
// and is left as it was when writing fails.
//
// Contract for producers: a row must pass check_row() (results_reader.h) and must not repeat
// the key of an earlier row (same_row_key). A row that does not is a bug in the producer — the
// file would be one the reader rejects — so the writer aborts with a message rather than
// write it (first error tier). In particular a counter that did not run gives no row, never a
// NaN, and free text (CPU model, compiler) must be one line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::results {

// "schema,run_id,...,coverage" without a line break.
std::string header_line();

// Appends `field` to `out`, quoted if needed (RFC 4180).
void append_csv_field(std::string& out, std::string_view field);

// Appends one row and its '\n' to `out`. Does not check the row.
void append_csv_row(std::string& out, const Row& row);

// The shortest decimal text that std::from_chars reads back to exactly `value`.
std::string format_double(double value);

// Header and rows, the whole file. Aborts on a row that breaks the contract above.
std::string to_csv(const std::vector<Row>& rows);

// Writes `rows` to `path` atomically. Throws InputError when the file cannot be written.
void write_results(const std::filesystem::path& path, const std::vector<Row>& rows);

// Appends `rows` to the history file `path` (created with the header if missing) atomically:
// a crash at any point leaves the history as it was or with all of `rows`. Refuses (InputError,
// history unchanged) when the history is not a valid results file or already holds one of the
// rows' run_ids — appending a run twice would make it unreadable (duplicate rows).
void append_results(const std::filesystem::path& path, const std::vector<Row>& rows);

// A results file that grows during a run and survives its interruption: rows are kept in
// memory, and commit() atomically replaces the file with all rows added so far. The runner
// commits after every repetition, so Ctrl-C (or a crash) keeps every finished repetition and
// the file is never seen half-written.
// Why rewrite instead of appending to an open file: an append cut short leaves a torn last row
// that makes the whole file unreadable, and a file only renamed into place once at the end
// would hold nothing after Ctrl-C. A whole rewrite per repetition costs O(rows) — a nightly run
// is thousands of rows, well under a megabyte, once per repetition.
class ResultsWriter {
 public:
  // Checks now, before any measuring, that `path` can be written: InputError otherwise
  // ("PATH: cannot write: ..."). Does not create or touch the file.
  explicit ResultsWriter(std::filesystem::path path);

  // Adds a row (aborts if it breaks the contract above). Not visible in the file until commit().
  void add(Row row);

  // Replaces the file with the header and every row added so far. Throws InputError on failure,
  // leaving the previous commit's file in place.
  void commit();

  const std::vector<Row>& rows() const { return rows_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::vector<Row> rows_;
  std::string csv_;  // header + rows_, serialised once per row
  std::unordered_multimap<std::size_t, std::size_t> keys_;  // row_key_hash -> index in rows_
};

}  // namespace ptebench::results
