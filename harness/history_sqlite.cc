#include "harness/history_sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <utility>
#include <vector>

#include "harness/history_rows.h"
#include "harness/input_error.h"

namespace ptebench::history {

const char* const kSqliteSchema[] = {
    "CREATE TABLE runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id TEXT NOT NULL UNIQUE,\n"
    "  batch INTEGER NOT NULL,\n"
    "  started_utc TEXT NOT NULL,\n"
    "  host TEXT NOT NULL,\n"
    "  arch TEXT NOT NULL,\n"
    "  cpu_model TEXT NOT NULL,\n"
    "  kernel TEXT NOT NULL,\n"
    "  compiler TEXT NOT NULL,\n"
    "  git_rev TEXT NOT NULL,\n"
    "  suite TEXT NOT NULL,\n"
    "  samples INTEGER NOT NULL\n"
    ")",
    "CREATE INDEX runs_by_host ON runs (host, started_utc)",
    "CREATE TABLE run_context (\n"
    "  run INTEGER NOT NULL REFERENCES runs (id),\n"
    "  position INTEGER NOT NULL,\n"
    "  key TEXT NOT NULL,\n"
    "  value TEXT NOT NULL,\n"
    "  PRIMARY KEY (run, position),\n"
    "  UNIQUE (run, key)\n"
    ")",
    "CREATE TABLE samples (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run INTEGER NOT NULL REFERENCES runs (id),\n"
    "  codegen TEXT NOT NULL,\n"
    "  workload TEXT NOT NULL,\n"
    "  pte_format TEXT NOT NULL,\n"
    "  variant TEXT NOT NULL,\n"
    "  layout TEXT NOT NULL,\n"
    "  ptes INTEGER NOT NULL,\n"
    "  repetition INTEGER NOT NULL,\n"
    "  metric TEXT NOT NULL,\n"
    "  value REAL NOT NULL,\n"
    "  unit TEXT NOT NULL,\n"
    "  coverage REAL NOT NULL,\n"
    "  zero_signs INTEGER NOT NULL DEFAULT 0\n"
    ")",
    "CREATE UNIQUE INDEX samples_by_run ON samples "
    "(run, workload, pte_format, variant, layout, ptes, codegen, metric, repetition)",
    "CREATE INDEX samples_by_case ON samples "
    "(workload, pte_format, variant, layout, ptes, codegen, metric)",
    // The long format of results/README.md, for sqlite3 and dashboards (no -0.0 sign).
    "CREATE VIEW results AS SELECT 'ptebench-results/1' AS schema, r.run_id, r.started_utc, "
    "r.host, r.arch, r.cpu_model, r.kernel, r.compiler, s.codegen, r.git_rev, r.suite, "
    "s.workload, s.pte_format, s.variant, s.layout, s.ptes, s.repetition, s.metric, s.value, "
    "s.unit, s.coverage FROM samples s JOIN runs r ON r.id = s.run",
    nullptr,
};

const char* const kSqliteRunSql =
    "SELECT id, run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, suite "
    "FROM runs WHERE run_id = ?1";
// A run's samples are one stretch of ids when its batch added them together (as nightly and
// import do): their first and last id come from samples_by_run (covering), and the rows are
// read in id order from the table itself over that stretch, with no per-row index lookup and
// no sort; "+run" keeps the planner on the id range (rows of other runs in the stretch, from a
// batch that interleaved runs, are skipped by the filter).
const char* const kSqliteRunSpanSql = "SELECT min(id), max(id) FROM samples WHERE run = ?1";
const char* const kSqliteRunSamplesSql =
    "SELECT run, codegen, workload, pte_format, variant, layout, ptes, repetition, metric, "
    "value, unit, coverage, zero_signs FROM samples WHERE id BETWEEN ?2 AND ?3 AND +run = ?1 "
    "ORDER BY id";
// runs_by_host (host, started_utc) finds the host's runs; the few of them are then ordered.
const char* const kSqliteRecentRunsSql =
    "SELECT run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, suite, "
    "samples FROM (SELECT * FROM runs WHERE host = ?1 AND suite = ?2 "
    "ORDER BY batch DESC, id DESC LIMIT ?3) ORDER BY batch, id";

namespace {

namespace fs = std::filesystem;

// SQLite's first 16 bytes (sqlite.org/fileformat.html, The Database Header).
constexpr char kMagic[16] = "SQLite format 3";

class Db {
 public:
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  explicit Db(std::string path) : path_(std::move(path)) {}
  ~Db() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }
  sqlite3* get() const { return db_; }
  sqlite3** out() { return &db_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void fail(std::string_view what) const {
    std::string line = path_ + ": " + std::string(what);
    if (db_ != nullptr) line += ": " + std::string(sqlite3_errmsg(db_));
    throw InputError(line + " (left unchanged)");
  }

  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(Db& db, const char* sql) : db_(&db) {
    if (sqlite3_prepare_v2(db.get(), sql, -1, &stmt_, nullptr) != SQLITE_OK)
      db.fail("cannot read the database");
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }

  Stmt& bind(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  // true with a row, false when done; an error is fatal for the store.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail("cannot read or write the database");
  }
  int step_code() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  // Into `out`, reusing its capacity (no allocation per row once it is large enough).
  void text_into(int col, std::string& out) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    if (p == nullptr) {
      out.clear();
      return;
    }
    out.assign(reinterpret_cast<const char*>(p),
               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
  }

 private:
  Db* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::int64_t pragma_int(Db& db, const char* pragma) {
  Stmt s(db, pragma);
  if (!s.step()) db.fail(std::string("no answer to ") + pragma);
  return s.integer(0);
}

// (type, name, sql) of every schema object but SQLite's own, sorted by name.
using SchemaObjects = std::vector<std::tuple<std::string, std::string, std::string>>;
SchemaObjects schema_objects(Db& db) {
  Stmt s(db,
         "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
         "ORDER BY name");
  SchemaObjects out;
  while (s.step()) out.emplace_back(s.text(0), s.text(1), s.text(2));
  return out;
}

// Our schema as SQLite stores it: created in a private in-memory database.
const SchemaObjects& expected_schema() {
  static const SchemaObjects expected = [] {
    Db mem(":memory:");
    if (sqlite3_open(":memory:", mem.out()) != SQLITE_OK) mem.fail("cannot open");
    for (const char* const* sql = kSqliteSchema; *sql != nullptr; ++sql) mem.exec(*sql);
    return schema_objects(mem);
  }();
  return expected;
}

// Refuses a file that is there but does not start as a SQLite database, without opening it
// with SQLite at all.
void check_magic(const std::string& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || status.type() == fs::file_type::not_found) return;  // created on open
  if (status.type() != fs::file_type::regular)
    throw InputError(path + ": not a regular file (not a ptebench history)");
  if (fs::file_size(path, ec) == 0 && !ec) return;
  std::ifstream in(path, std::ios::binary);
  char head[16] = {};
  in.read(head, sizeof head);
  if (!in) throw InputError(path + ": not a SQLite database (too short; not a ptebench history)");
  if (std::memcmp(head, kMagic, sizeof head) != 0)
    throw InputError(path + ": not a SQLite database (no SQLite header; not a ptebench history)");
}

// Creates the schema on a new database, inside a write transaction so that of several
// processes opening a new file at once exactly one creates it.
void create_if_new(Db& db) {
  if (pragma_int(db, "PRAGMA application_id") != 0 || !schema_objects(db).empty()) return;
  // WAL must be chosen outside a transaction; on an empty file nobody else can be reading yet
  // in another mode that would make this fail.
  {
    Stmt wal(db, "PRAGMA journal_mode=WAL");
    if (!wal.step() || wal.text(0) != "wal") db.fail("cannot switch to WAL");
  }
  db.exec("BEGIN IMMEDIATE");
  if (pragma_int(db, "PRAGMA application_id") == 0 && schema_objects(db).empty()) {
    for (const char* const* sql = kSqliteSchema; *sql != nullptr; ++sql) db.exec(*sql);
    db.exec(("PRAGMA application_id=" + std::to_string(kApplicationId)).c_str());
    db.exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str());
  }
  db.exec("COMMIT");
}

void check_ours(Db& db) {
  const std::int64_t app = pragma_int(db, "PRAGMA application_id");
  if (app != kApplicationId) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%08llx", static_cast<unsigned long long>(app));
    throw InputError(db.path() + ": not a ptebench history (SQLite application_id " + hex +
                     ", expected 0x70746231); left unchanged");
  }
  const std::int64_t version = pragma_int(db, "PRAGMA user_version");
  if (version != kSchemaVersion)
    throw InputError(db.path() + ": ptebench history schema version " + std::to_string(version) +
                     ", this ptebench reads version " + std::to_string(kSchemaVersion) +
                     "; left unchanged");
  const SchemaObjects have = schema_objects(db);
  const SchemaObjects& want = expected_schema();
  if (have != want) {
    std::string what = "tables differ from ptebench's";
    for (const auto& object : want) {
      if (std::find(have.begin(), have.end(), object) == have.end()) {
        what = "missing or changed " + std::get<0>(object) + " " + std::get<1>(object);
        break;
      }
    }
    if (what.rfind("missing", 0) != 0) {
      for (const auto& object : have) {
        if (std::find(want.begin(), want.end(), object) == want.end()) {
          what = "unexpected " + std::get<0>(object) + " " + std::get<1>(object);
          break;
        }
      }
    }
    throw InputError(db.path() + ": damaged ptebench history (" + what + "); left unchanged");
  }
}

// PRAGMA quick_check: reads every page of the file.
void check_integrity(Db& db) {
  Stmt check(db, "PRAGMA quick_check");
  std::string first;
  if (check.step()) first = check.text(0);
  // quick_check lists its problems one per line: their start, on one line, says enough.
  for (char& c : first)
    if (c == '\n') c = ';';
  if (first.size() > 160) first = first.substr(0, 160) + "...";
  if (first != "ok")
    throw InputError(db.path() + ": damaged ptebench history (quick_check: " + first +
                     "); left unchanged");
}

class SqliteBatch;

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, IntegrityCheck check) : db_(path) {
    check_magic(path);
    if (sqlite3_open_v2(path.c_str(), db_.out(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK)
      db_.fail("cannot open");
    sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
    // Reading the header of a file that is not a database (or is damaged) fails here, before
    // anything is written.
    create_if_new(db_);
    check_ours(db_);
    if (check == IntegrityCheck::on_open) {
      check_integrity(db_);
    } else {
      integrity_pending_ = true;
    }
    db_.exec("PRAGMA foreign_keys=ON");
  }

  const std::string& location() const override { return db_.path(); }
  std::unique_ptr<Batch> begin() override;
  std::vector<RunInfo> runs() override;
  std::vector<RunGroup> run_groups() override;
  std::vector<RunInfo> recent_runs(const std::string& host, const std::string& suite,
                                   std::size_t count) override;
  void scan(const std::optional<std::string>& run_id, const results::RowSink& sink) override;
  context::Entries context(const std::string& run_id) override;

  Db& db() { return db_; }

 private:
  Db db_;
  bool integrity_pending_ = false;  // IntegrityCheck::before_first_write, not yet done
};

class SqliteBatch final : public Batch {
 public:
  explicit SqliteBatch(SqliteStore& store)
      : store_(store),
        find_run_(store.db(), "SELECT 1 FROM runs WHERE run_id = ?1"),
        insert_run_(store.db(),
                    "INSERT INTO runs (run_id, batch, started_utc, host, arch, cpu_model, kernel, "
                    "compiler, git_rev, suite, samples) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                    "?9, ?10, 0)"),
        insert_sample_(store.db(),
                       "INSERT INTO samples (run, codegen, workload, pte_format, variant, layout, "
                       "ptes, repetition, metric, value, unit, coverage, zero_signs) VALUES (?1, "
                       "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
        insert_context_(store.db(),
                        "INSERT INTO run_context (run, position, key, value) VALUES (?1, ?2, ?3, "
                        "?4)"),
        count_(store.db(), "UPDATE runs SET samples = ?2 WHERE id = ?1") {
    store.db().exec("BEGIN IMMEDIATE");
    open_ = true;
    batch_ = pragma_int(store.db(), "SELECT coalesce(max(batch), 0) + 1 FROM runs");
  }
  ~SqliteBatch() override {
    if (open_) sqlite3_exec(store_.db().get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  void add(const results::Row& row, std::string_view where) override {
    auto it = runs_.find(row.run_id);
    if (it == runs_.end()) {
      find_run_.reset();
      find_run_.bind(1, row.run_id);
      if (find_run_.step())
        throw InputError(already_stored_message(where, row.run_id, store_.location()));
      const RunInfo info = run_info_of(row);
      insert_run_.reset();
      insert_run_.bind(1, info.run_id)
          .bind(2, batch_)
          .bind(3, info.started_utc)
          .bind(4, info.host)
          .bind(5, info.arch)
          .bind(6, info.cpu_model)
          .bind(7, info.kernel)
          .bind(8, info.compiler)
          .bind(9, info.git_rev)
          .bind(10, info.suite);
      insert_run_.step();
      it = runs_.emplace(row.run_id, Pending{info, sqlite3_last_insert_rowid(store_.db().get()), 0})
               .first;
    } else if (auto bad = run_mismatch(it->second.info, row)) {
      throw InputError(std::string(where) + ": run " + row.run_id + " has " + *bad);
    }
    insert_sample_.reset();
    insert_sample_.bind(1, it->second.id)
        .bind(2, row.codegen)
        .bind(3, row.workload)
        .bind(4, row.pte_format)
        .bind(5, row.variant)
        .bind(6, row.layout)
        .bind(7, std::bit_cast<std::int64_t>(row.ptes))
        .bind(8, static_cast<std::int64_t>(row.repetition))
        .bind(9, row.metric)
        .bind(10, row.value)
        .bind(11, row.unit)
        .bind(12, row.coverage)
        .bind(13, zero_sign_flags(row));
    const int rc = insert_sample_.step_code();
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      throw InputError(std::string(where) + ": duplicate row (run " + row.run_id + ", case " +
                       results::case_name(results::case_key(row)) + ", repetition " +
                       std::to_string(row.repetition) + ", metric " + row.metric + ")");
    if (rc != SQLITE_DONE) store_.db().fail("cannot add a sample");
    ++it->second.samples;
  }

  void add_context(const std::string& run_id, const context::Entries& entries) override {
    auto it = runs_.find(run_id);
    if (it == runs_.end())
      throw InputError(store_.location() + ": context of run " + run_id +
                       " given without its rows");
    std::int64_t position = 0;
    for (const auto& [key, value] : entries) {
      insert_context_.reset();
      insert_context_.bind(1, it->second.id).bind(2, position++).bind(3, key).bind(4, value);
      if (insert_context_.step_code() != SQLITE_DONE)
        throw InputError(store_.location() + ": context of run " + run_id + ": key '" + key +
                         "' twice or not storable");
    }
  }

  void commit() override {
    for (const auto& [run_id, pending] : runs_) {
      count_.reset();
      count_.bind(1, pending.id).bind(2, pending.samples);
      count_.step();
    }
    store_.db().exec("COMMIT");
    open_ = false;
  }

 private:
  struct Pending {
    RunInfo info;
    std::int64_t id;
    std::int64_t samples;
  };
  SqliteStore& store_;
  Stmt find_run_, insert_run_, insert_sample_, insert_context_, count_;
  bool open_ = false;
  std::int64_t batch_ = 0;
  std::map<std::string, Pending> runs_;
};

std::unique_ptr<Batch> SqliteStore::begin() {
  if (integrity_pending_) {
    check_integrity(db_);
    integrity_pending_ = false;
  }
  return std::make_unique<SqliteBatch>(*this);
}

namespace {

// The RunInfo of each row of a statement selecting run_id, started_utc, host, arch, cpu_model,
// kernel, compiler, git_rev, suite, samples (runs() and recent_runs()).
std::vector<RunInfo> run_infos(Stmt& s) {
  std::vector<RunInfo> out;
  while (s.step()) {
    RunInfo r{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4),
              s.text(5), s.text(6), s.text(7), s.text(8), 0};
    r.samples = static_cast<std::size_t>(s.integer(9));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<RunInfo> SqliteStore::runs() {
  Stmt s(db_,
         "SELECT run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, suite, "
         "samples FROM runs ORDER BY batch, id");
  return run_infos(s);
}

std::vector<RunInfo> SqliteStore::recent_runs(const std::string& host, const std::string& suite,
                                              std::size_t count) {
  Stmt s(db_, kSqliteRecentRunsSql);
  s.bind(1, host).bind(2, suite).bind(
      3, static_cast<std::int64_t>(std::min<std::size_t>(count, INT64_MAX)));
  return run_infos(s);
}

std::vector<RunGroup> SqliteStore::run_groups() {
  Stmt s(db_, "SELECT host, suite, count(*) FROM runs GROUP BY host, suite ORDER BY host, suite");
  std::vector<RunGroup> out;
  while (s.step())
    out.push_back(RunGroup{s.text(0), s.text(1), static_cast<std::size_t>(s.integer(2))});
  return out;
}

void SqliteStore::scan(const std::optional<std::string>& run_id, const results::RowSink& sink) {
  // One read transaction: a concurrent writer's commit is not seen half-way.
  db_.exec("BEGIN");
  struct Rollback {
    Db& db;
    ~Rollback() { sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr); }
  } rollback{db_};
  std::map<std::int64_t, RunInfo> runs;
  {
    // One run through runs' unique index on run_id; all runs are few (one per night).
    Stmt s(db_, run_id ? kSqliteRunSql
                       : "SELECT id, run_id, started_utc, host, arch, cpu_model, kernel, "
                         "compiler, git_rev, suite FROM runs");
    if (run_id) s.bind(1, *run_id);
    while (s.step())
      runs[s.integer(0)] = RunInfo{s.text(1), s.text(2), s.text(3), s.text(4), s.text(5),
                                   s.text(6), s.text(7), s.text(8), s.text(9), 0};
  }
  if (run_id && runs.empty())
    throw InputError(db_.path() + ": no run " + *run_id + " in this history");
  // One run's samples: see kSqliteRunSamplesSql.
  Stmt s(db_, run_id ? kSqliteRunSamplesSql
                     : "SELECT s.run, s.codegen, s.workload, s.pte_format, s.variant, s.layout, "
                       "s.ptes, s.repetition, s.metric, s.value, s.unit, s.coverage, "
                       "s.zero_signs FROM samples s JOIN runs r ON r.id = s.run "
                       "ORDER BY r.batch, s.id");
  if (run_id) {
    Stmt span(db_, kSqliteRunSpanSql);
    span.bind(1, runs.begin()->first);
    if (!span.step()) db_.fail("cannot read the database");
    s.bind(1, runs.begin()->first).bind(2, span.integer(0)).bind(3, span.integer(1));
  }
  results::Row row;
  std::int64_t current = -1;
  std::size_t line = 0;
  while (s.step()) {
    const std::int64_t run = s.integer(0);
    if (run != current) {
      fill_run_columns(runs.at(run), row);
      current = run;
    }
    s.text_into(1, row.codegen);
    s.text_into(2, row.workload);
    s.text_into(3, row.pte_format);
    s.text_into(4, row.variant);
    s.text_into(5, row.layout);
    row.ptes = std::bit_cast<std::uint64_t>(s.integer(6));
    row.repetition = static_cast<std::uint32_t>(s.integer(7));
    s.text_into(8, row.metric);
    row.value = s.real(9);
    s.text_into(10, row.unit);
    row.coverage = s.real(11);
    apply_zero_sign_flags(s.integer(12), row);
    sink(row, ++line);
  }
}

context::Entries SqliteStore::context(const std::string& run_id) {
  Stmt s(db_,
         "SELECT c.key, c.value FROM run_context c JOIN runs r ON r.id = c.run "
         "WHERE r.run_id = ?1 ORDER BY c.position");
  s.bind(1, run_id);
  context::Entries out;
  while (s.step()) out.emplace_back(s.text(0), s.text(1));
  return out;
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path, IntegrityCheck check) {
  return std::make_unique<SqliteStore>(path, check);
}

}  // namespace ptebench::history
