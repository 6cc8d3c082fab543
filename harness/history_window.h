// The nights `ptebench nightly` judges tonight against (issue 11, item 3; harness/nightly_judge.h):
// the latest timed runs of this host and suite in its history, a CSV or a database
// (harness/history_store.h). A night is a run with rows of the timed metric (ns_per_pte): the
// exact pass of a night (bench/runner/exact_nightly.h) is stored as a run of its own and has none.
//
// Where the window starts: at the accepted baseline's run when it is stored (`since`), so that a
// change accepted with `nightly --update-baseline` stops being judged against the nights before
// it; otherwise the last `nights` nights.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::history {

struct Night {
  std::string run_id, started_utc;
  std::vector<results::Row> rows;  // the run's rows, as stored
};

struct WindowQuery {
  std::string host, suite;                  // each empty: the latest night's
  std::size_t nights = 20;                  // at most this many, the latest
  std::set<std::string> since;              // run ids; empty: no start
  std::string timed_metric = "ns_per_pte";  // what makes a run a night
};

struct Window {
  std::vector<Night> nights;    // oldest first
  std::size_t runs_stored = 0;  // runs looked at (a database: the latest of the host and suite)
  bool since_found = false;     // a run of `since` is stored: the window starts there
};

// Reads the window from `location`: a database (history::is_store_location) or a CSV history;
// a CSV that does not exist is an empty history. Bad input as the store or the CSV reader
// (InputError, one line naming the location).
Window read_window(const std::string& location, const WindowQuery& query);

}  // namespace ptebench::history
