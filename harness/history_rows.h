// What both history back ends (history_sqlite, history_postgres) share about rows: a run's
// run-wide columns taken from a row, the check that every row of a run agrees on them, and
// the rebuilding of a row from a stored run and sample.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness/history_store.h"
#include "harness/results_row.h"

namespace ptebench::history {

// The run-wide columns of `row` (samples 0).
RunInfo run_info_of(const results::Row& row);

// The first run-wide column in which `row` differs from `run`, as "column 'row value' (run
// has 'run value')", or nullopt when it agrees.
std::optional<std::string> run_mismatch(const RunInfo& run, const results::Row& row);

// Fills the run-wide columns of `row` from `run`.
void fill_run_columns(const RunInfo& run, results::Row& row);

// A row of a run must not be added again in a later write: "WHERE: run RUN_ID is already in
// LOCATION (a run is stored once; export it or use another history)".
std::string already_stored_message(std::string_view where, std::string_view run_id,
                                   std::string_view location);

// -0.0 is a value the results schema accepts but neither SQLite's REAL (which stores integral
// values as integers) nor every client keeps; the sign is stored apart in a flags column.
inline constexpr std::int64_t kValueNegativeZero = 1;
inline constexpr std::int64_t kCoverageNegativeZero = 2;
std::int64_t zero_sign_flags(const results::Row& row);
void apply_zero_sign_flags(std::int64_t flags, results::Row& row);

}  // namespace ptebench::history
