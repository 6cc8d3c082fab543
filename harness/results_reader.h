// Reading results files of schema ptebench-results/1 (results/README.md), strictly: a file is
// either read whole or rejected with one InputError line "FILE:LINE:COLUMN: what", where
// COLUMN is the 1-based CSV field number (a message about a whole line has no COLUMN).
//
// Rejected: a missing or unreadable file; an empty file; a header that is not exactly
// results::kColumns; a row with fewer or more than 21 fields; a quoted field not closed on its
// line (fields cannot contain line breaks); malformed quoting; an empty line; a NUL byte;
// a schema other than ptebench-results/1; an empty key field (run_id, codegen, workload,
// pte_format, variant, layout, metric); ptes or repetition that is empty, negative, not an
// integer or out of range; value or coverage that is empty, not a number, out of the range of
// a double, NaN or infinite; a negative value of a time or a count (unit ns, cycles,
// instructions, events or count); coverage outside [0, 1]; a duplicate row (same run_id, case,
// repetition and metric as an earlier line). A header with no rows is a valid, empty run.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::results {

// Every row of the file, in file order. Throws InputError.
std::vector<Row> read_results(const std::filesystem::path& path);

// The same for a file's bytes already in memory; `name` stands for the file in messages.
std::vector<Row> parse_results(std::string_view csv, std::string_view name);

// Streaming: calls `sink` with each row (and its 1-based line) as soon as it is read and
// checked, reusing one Row, so memory stays flat for any file size. Applies every check above
// except the duplicate check; the sink may throw to stop.
using RowSink = std::function<void(const Row& row, std::size_t line)>;
void scan_results(const std::filesystem::path& path, const RowSink& sink);
void scan_results_buffer(std::string_view csv, std::string_view name, const RowSink& sink);
// Streaming with every check, the duplicate check included (the same one read_results()
// applies): memory grows by one compact key (row_key) per row, not by the rows.
void scan_unique_results(const std::filesystem::path& path, const RowSink& sink);

// Why a row breaks the schema's rules on values (schema version, empty key fields, line
// breaks in a field, value/coverage not finite, a negative time or count, coverage outside
// [0, 1]); nullopt when it does
// not. Shared by the reader (which reports it at the row's line) and the writer (which refuses
// to write such a row).
struct RowProblem {
  std::size_t column;  // 0-based index into kColumns
  std::string what;    // e.g. "value is not finite (nan)"
};
std::optional<RowProblem> check_row(const Row& row);

}  // namespace ptebench::results
