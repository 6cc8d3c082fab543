// The history of a machine (or a fleet) in a database: runs with their context sidecar and
// their samples, in indexed tables (results/README.md, History databases). Two back ends
// behind one interface: SQLite for a file (harness/history_sqlite.h, the default) and
// PostgreSQL for a server many hosts append to (harness/history_postgres.h).
//
// The CSV schema ptebench-results/1 stays the interchange format: what goes in as rows comes
// out as the same rows, field for field and bit for bit (results::identical), in the order
// they went in, so `history import` then `history export` gives back the same bytes.
//
// Guarantees of every back end:
//  - a write is one transaction: a run is wholly stored or not at all, whatever kills the
//    writer (kill -9, power loss: the database's own journal);
//  - concurrent writers wait for each other (no lost run, no error for a busy database);
//  - a database that is not a ptebench history (another program's, a newer schema) or is
//    damaged is refused with one InputError line before anything is written, and left as it
//    was.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/results_reader.h"
#include "harness/results_row.h"
#include "harness/run_context.h"

namespace ptebench::history {

// One stored run: its run-wide columns (results::Row's schema .. suite, codegen excepted, which
// is per case) and how many sample rows it holds.
struct RunInfo {
  std::string run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, suite;
  std::size_t samples = 0;
};

// How many runs a host and suite have.
struct RunGroup {
  std::string host, suite;
  std::size_t runs = 0;
};

// One write: rows of any number of runs, in order, and the context sidecars of some of them
// (by run_id). Fed row by row so that converting a large CSV history needs no more memory
// than one row; nothing is visible to readers before commit(), and a Batch destroyed without
// commit() (an exception, a kill) leaves the store as it was.
class Batch {
 public:
  virtual ~Batch() = default;
  // Adds a row. Throws InputError when its run is already stored from an earlier write, or a
  // run-wide column differs from the first row of its run in this batch (`where` names the
  // row in messages, e.g. "FILE:LINE").
  virtual void add(const results::Row& row, std::string_view where) = 0;
  // The context sidecar of a run added in this batch (InputError when it has no rows here).
  virtual void add_context(const std::string& run_id, const context::Entries& entries) = 0;
  // Makes the whole batch durable and visible at once.
  virtual void commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Where it is: the file, or the connection string without its password.
  virtual const std::string& location() const = 0;

  // Starts a write (waits while another writer holds the database).
  virtual std::unique_ptr<Batch> begin() = 0;

  // Every stored run, in the order they were added.
  virtual std::vector<RunInfo> runs() = 0;

  // The last `count` runs of `host` and `suite` in the order they were added (oldest first):
  // a nightly's history window, read with one scan(run_id) per run. This default filters
  // runs(); a back end with an index on host overrides it.
  virtual std::vector<RunInfo> recent_runs(const std::string& host, const std::string& suite,
                                           std::size_t count);

  // Each host and suite with its count of runs, ordered by host, then suite: what a fleet's
  // database holds, without listing its runs. This default counts runs(); the databases
  // override it with one GROUP BY.
  virtual std::vector<RunGroup> run_groups();

  // The rows of one run (or of all runs, run_id nullopt), in the order they were added; the
  // line passed to the sink is the row's 1-based position in that sequence. One run's rows
  // are found through an index (no scan of every sample).
  virtual void scan(const std::optional<std::string>& run_id, const results::RowSink& sink) = 0;

  // The context sidecar stored with a run, in its order; empty when none was stored.
  virtual context::Entries context(const std::string& run_id) = 0;
};

// "postgresql://..." or "postgres://..." (harness/history_postgres.h).
bool is_postgres_location(std::string_view location);

// Whether `location` names a database rather than a CSV history: "postgresql://..." or
// "postgres://...", or a file name ending in .db, .sqlite or .sqlite3.
bool is_store_location(std::string_view location);

// Opens (creating when missing: a new SQLite file, the tables on an empty PostgreSQL
// database) the store at `location` (see is_store_location). Throws InputError with one line
// naming the location when it cannot be opened, is not a ptebench history, or is damaged.
std::unique_ptr<Store> open_store(const std::string& location);

// When a SQLite history's whole-file integrity check (PRAGMA quick_check, which reads every
// page: seconds for 10 M rows) runs. `on_open` is open_store's. `before_first_write` opens with
// the cheap checks only (header, application_id, version, schema) and runs quick_check in the
// first begin(), before anything is written: for a nightly that reads its history window first
// (README, Speed). Pages the reads touch are still checked by SQLite as they are read (a
// damaged one is one InputError line). PostgreSQL has no such check: the same either way.
enum class IntegrityCheck { on_open, before_first_write };
std::unique_ptr<Store> open_store(const std::string& location, IntegrityCheck check);

// Convenience for callers with a whole run in memory (nightly): one batch with `rows` and,
// when not empty, their run's context.
void append_run(Store& store, const std::vector<results::Row>& rows,
                const context::Entries& run_context, std::string_view where);

// The same for rows of several runs (nightly's timed run and its exact pass) in one batch, each
// run's context sidecar by run_id (an empty one is not stored).
void append_runs(Store& store, const std::vector<results::Row>& rows,
                 const std::map<std::string, context::Entries>& contexts, std::string_view where);

}  // namespace ptebench::history
