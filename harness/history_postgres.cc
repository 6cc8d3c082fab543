#include "harness/history_postgres.h"

#include "harness/input_error.h"

#if PTEBENCH_HAVE_LIBPQ

#include <libpq-fe.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "harness/history_rows.h"
#include "harness/results_writer.h"

#endif

namespace ptebench::history {

std::string redact_password(std::string_view uri) {
  std::string out(uri);
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto at = out.find('@', scheme + 3);
    const auto slash = out.find('/', scheme + 3);
    const auto colon = out.find(':', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash) &&
        colon != std::string::npos && colon < at)
      out = out.substr(0, colon + 1) + "***" + out.substr(at);
  }
  // ...?password=secret&... -> ...?password=***&...
  for (auto pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    const auto value = pos + 9;
    const auto end = out.find('&', value);
    out = out.substr(0, value) + "***" + (end == std::string::npos ? "" : out.substr(end));
  }
  return out;
}

#if !PTEBENCH_HAVE_LIBPQ

bool postgres_available() {
  return false;
}

std::unique_ptr<Store> open_postgres_store(const std::string& uri) {
  throw InputError(redact_password(uri) +
                   ": this ptebench was built without libpq (no PostgreSQL histories)");
}

#else

bool postgres_available() {
  return true;
}

namespace {

// The tables of harness/history_sqlite.cc in PostgreSQL's types, and the meta table that
// marks the database as ours. Created in this order under kLockKey.
const char* const kSchema[] = {
    "CREATE TABLE ptebench_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE SEQUENCE ptebench_batch",
    "CREATE TABLE runs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "run_id text NOT NULL UNIQUE, batch bigint NOT NULL, started_utc text NOT NULL, "
    "host text NOT NULL, arch text NOT NULL, cpu_model text NOT NULL, kernel text NOT NULL, "
    "compiler text NOT NULL, git_rev text NOT NULL, suite text NOT NULL, "
    "samples bigint NOT NULL)",
    "CREATE INDEX runs_by_host ON runs (host, started_utc)",
    "CREATE TABLE run_context (run bigint NOT NULL REFERENCES runs (id), "
    "position integer NOT NULL, key text NOT NULL, value text NOT NULL, "
    "PRIMARY KEY (run, position), UNIQUE (run, key))",
    "CREATE TABLE samples (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "run bigint NOT NULL REFERENCES runs (id), codegen text NOT NULL, workload text NOT NULL, "
    "pte_format text NOT NULL, variant text NOT NULL, layout text NOT NULL, "
    "ptes bigint NOT NULL, repetition bigint NOT NULL, metric text NOT NULL, "
    "value double precision NOT NULL, unit text NOT NULL, coverage double precision NOT NULL, "
    "zero_signs integer NOT NULL DEFAULT 0)",
    "CREATE UNIQUE INDEX samples_by_run ON samples "
    "(run, workload, pte_format, variant, layout, ptes, codegen, metric, repetition)",
    "CREATE INDEX samples_by_case ON samples "
    "(workload, pte_format, variant, layout, ptes, codegen, metric)",
    "CREATE VIEW results AS SELECT 'ptebench-results/1'::text AS schema, r.run_id, "
    "r.started_utc, r.host, r.arch, r.cpu_model, r.kernel, r.compiler, s.codegen, r.git_rev, "
    "r.suite, s.workload, s.pte_format, s.variant, s.layout, s.ptes, s.repetition, s.metric, "
    "s.value, s.unit, s.coverage FROM samples s JOIN runs r ON r.id = s.run",
    "INSERT INTO ptebench_meta VALUES ('application', 'ptebench-history'), "
    "('schema_version', '1')",
    nullptr,
};

// The columns the tables must have, "table.column type" in table and column order: what an
// open checks, so that another program's tables of the same names are never written to.
constexpr std::string_view kColumns =
    "ptebench_meta.key text;ptebench_meta.value text;"
    "run_context.run bigint;run_context.position integer;run_context.key text;"
    "run_context.value text;"
    "runs.id bigint;runs.run_id text;runs.batch bigint;runs.started_utc text;runs.host text;"
    "runs.arch text;runs.cpu_model text;runs.kernel text;runs.compiler text;runs.git_rev text;"
    "runs.suite text;runs.samples bigint;"
    "samples.id bigint;samples.run bigint;samples.codegen text;samples.workload text;"
    "samples.pte_format text;samples.variant text;samples.layout text;samples.ptes bigint;"
    "samples.repetition bigint;samples.metric text;samples.value double precision;"
    "samples.unit text;samples.coverage double precision;samples.zero_signs integer;";

// pg_advisory_xact_lock key under which the schema is created ("ptb1").
constexpr long long kLockKey = 0x70746231;

std::string first_line(const char* message) {
  std::string s = message == nullptr ? "" : message;
  const auto nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  return s;
}

class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result& operator=(Result&& o) noexcept {
    if (this != &o) {
      PQclear(r_);
      r_ = std::exchange(o.r_, nullptr);
    }
    return *this;
  }
  ~Result() { PQclear(r_); }
  PGresult* get() const { return r_; }
  int rows() const { return PQntuples(r_); }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col),
                       static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  bool null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

 private:
  PGresult* r_;
};

class Connection {
 public:
  explicit Connection(const std::string& uri)
      : location_(redact_password(uri)), conn_(PQconnectdb(uri.c_str())) {
    // A constructor that throws runs no destructor: the connection (which libpq allocates even
    // when it fails) is finished here before any throw.
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
      const std::string why = first_line(PQerrorMessage(conn_));
      PQfinish(conn_);
      throw InputError(location_ + ": cannot connect: " + why);
    }
    try {
      exec("SET client_min_messages = warning");
      // Shortest text that reads back to the same double (the default since PostgreSQL 12).
      exec("SET extra_float_digits = 1");
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { PQfinish(conn_); }

  const std::string& location() const { return location_; }
  PGconn* get() const { return conn_; }

  [[noreturn]] void fail(std::string_view what, const PGresult* r = nullptr) const {
    const char* msg = r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
    throw InputError(location_ + ": " + std::string(what) + ": " + first_line(msg));
  }

  Result exec(const std::string& sql, std::vector<std::string> params = {}) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(sql.substr(0, 60), r.get());
    return r;
  }

  // The SQLSTATE of a failed statement, or "" when it succeeded.
  std::string try_exec(const std::string& sql, std::vector<std::string> params, Result* out) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0));
    const auto status = PQresultStatus(r.get());
    std::string state;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      const char* s = PQresultErrorField(r.get(), PG_DIAG_SQLSTATE);
      state = s == nullptr ? "?" : s;
      last_error_ = first_line(PQresultErrorMessage(r.get()));
    }
    if (out != nullptr) *out = std::move(r);
    return state;
  }
  const std::string& last_error() const { return last_error_; }

  // COPY ... FROM STDIN with `data` (text format).
  void copy_in(const std::string& sql, const std::string& data) {
    Result start(PQexec(conn_, sql.c_str()));
    if (PQresultStatus(start.get()) != PGRES_COPY_IN) fail("COPY", start.get());
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1)
      fail("COPY");
    Result end(PQgetResult(conn_));
    const bool ok = PQresultStatus(end.get()) == PGRES_COMMAND_OK;
    std::string msg = ok ? "" : first_line(PQresultErrorMessage(end.get()));
    std::string state;
    if (!ok) {
      const char* s = PQresultErrorField(end.get(), PG_DIAG_SQLSTATE);
      state = s == nullptr ? "" : s;
    }
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);
    if (!ok) throw CopyError{state, msg};
  }

  struct CopyError {
    std::string sqlstate, message;
  };

 private:
  std::string location_;
  PGconn* conn_;
  std::string last_error_;
};

std::string to_text(std::int64_t v) {
  return std::to_string(v);
}

// COPY's text format: backslash, tab, newline and carriage return escaped.
void append_copy_field(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

double parse_double(const std::string& text, const std::string& location) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size())
    throw InputError(location + ": stored value '" + text + "' is not a number");
  return v;
}

void ensure_schema(Connection& c) {
  c.exec("BEGIN");
  try {
    c.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kLockKey) + ")");
    const Result meta = c.exec("SELECT to_regclass('ptebench_meta') IS NOT NULL");
    if (meta.text(0, 0) != "t") {
      const Result clash = c.exec(
          "SELECT string_agg(t, ', ') FROM unnest(ARRAY['runs', 'run_context', 'samples', "
          "'results', 'ptebench_batch']) t WHERE to_regclass(t) IS NOT NULL");
      if (!clash.null(0, 0))
        throw InputError(c.location() + ": not a ptebench history (" + clash.text(0, 0) +
                         " exist without ptebench_meta); left unchanged");
      for (const char* const* sql = kSchema; *sql != nullptr; ++sql) c.exec(*sql);
    } else {
      const Result version = c.exec("SELECT value FROM ptebench_meta WHERE key = 'schema_version'");
      const std::string v = version.rows() == 1 ? version.text(0, 0) : "none";
      if (v != "1")
        throw InputError(c.location() + ": ptebench history schema version " + v +
                         ", this ptebench reads version 1; left unchanged");
      const Result cols = c.exec(
          "SELECT coalesce(string_agg(table_name || '.' || column_name || ' ' || data_type || "
          "';', '' ORDER BY table_name, ordinal_position), '') FROM information_schema.columns "
          "WHERE table_schema = current_schema() AND table_name IN ('ptebench_meta', 'runs', "
          "'run_context', 'samples')");
      if (cols.text(0, 0) != kColumns)
        throw InputError(c.location() +
                         ": damaged ptebench history (tables differ from ptebench's); left "
                         "unchanged");
    }
    c.exec("COMMIT");
  } catch (...) {
    PQclear(PQexec(c.get(), "ROLLBACK"));
    throw;
  }
}

class PgStore;

class PgBatch final : public Batch {
 public:
  explicit PgBatch(Connection& c) : c_(c) {
    c_.exec("BEGIN");
    open_ = true;
    batch_ = c_.exec("SELECT nextval('ptebench_batch')").text(0, 0);
  }
  ~PgBatch() override {
    if (open_) PQclear(PQexec(c_.get(), "ROLLBACK"));
  }

  void add(const results::Row& row, std::string_view where) override {
    auto it = runs_.find(row.run_id);
    if (it == runs_.end()) {
      flush(where);
      const RunInfo info = run_info_of(row);
      Result r(nullptr);
      // Two hosts adding the same run at once: the second waits on the unique index, then
      // fails with unique_violation (23505), the message of a run already stored.
      const std::string state = c_.try_exec(
          "INSERT INTO runs (run_id, batch, started_utc, host, arch, cpu_model, kernel, "
          "compiler, git_rev, suite, samples) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "0) RETURNING id",
          {info.run_id, batch_, info.started_utc, info.host, info.arch, info.cpu_model, info.kernel,
           info.compiler, info.git_rev, info.suite},
          &r);
      if (state == "23505")
        throw InputError(already_stored_message(where, row.run_id, c_.location()));
      if (!state.empty()) throw InputError(c_.location() + ": " + c_.last_error());
      it = runs_.emplace(row.run_id, Pending{info, r.text(0, 0), 0}).first;
    } else if (auto bad = run_mismatch(it->second.info, row)) {
      throw InputError(std::string(where) + ": run " + row.run_id + " has " + *bad);
    }
    std::string& o = copy_;
    o += it->second.id;
    for (const std::string* f :
         {&row.codegen, &row.workload, &row.pte_format, &row.variant, &row.layout}) {
      o += '\t';
      append_copy_field(o, *f);
    }
    o += '\t';
    o += to_text(std::bit_cast<std::int64_t>(row.ptes));
    o += '\t';
    o += to_text(row.repetition);
    o += '\t';
    append_copy_field(o, row.metric);
    o += '\t';
    o += results::format_double(row.value);
    o += '\t';
    append_copy_field(o, row.unit);
    o += '\t';
    o += results::format_double(row.coverage);
    o += '\t';
    o += to_text(zero_sign_flags(row));
    o += '\n';
    ++it->second.samples;
    last_where_ = where;
    if (copy_.size() > (8u << 20)) flush(where);
  }

  void add_context(const std::string& run_id, const context::Entries& entries) override {
    auto it = runs_.find(run_id);
    if (it == runs_.end())
      throw InputError(c_.location() + ": context of run " + run_id + " given without its rows");
    int position = 0;
    for (const auto& [key, value] : entries) {
      if (!c_.try_exec("INSERT INTO run_context (run, position, key, value) VALUES ($1, $2, $3, "
                       "$4)",
                       {it->second.id, std::to_string(position++), key, value}, nullptr)
               .empty())
        throw InputError(c_.location() + ": context of run " + run_id + ": " + c_.last_error());
    }
  }

  void commit() override {
    flush(last_where_);
    for (const auto& [run_id, p] : runs_)
      c_.exec("UPDATE runs SET samples = $2 WHERE id = $1", {p.id, to_text(p.samples)});
    c_.exec("COMMIT");
    open_ = false;
  }

 private:
  void flush(std::string_view where) {
    if (copy_.empty()) return;
    try {
      c_.copy_in(
          "COPY samples (run, codegen, workload, pte_format, variant, layout, ptes, repetition, "
          "metric, value, unit, coverage, zero_signs) FROM STDIN",
          copy_);
    } catch (const Connection::CopyError& e) {
      if (e.sqlstate == "23505")
        throw InputError(std::string(where) + ": duplicate row (" + e.message + ")");
      throw InputError(c_.location() + ": cannot add samples: " + e.message);
    }
    copy_.clear();
  }

  struct Pending {
    RunInfo info;
    std::string id;
    std::int64_t samples;
  };
  Connection& c_;
  bool open_ = false;
  std::string batch_;
  std::map<std::string, Pending> runs_;
  std::string copy_;
  std::string last_where_;
};

// The RunInfo of each row of a result selecting run_id, started_utc, host, arch, cpu_model,
// kernel, compiler, git_rev, suite, samples (runs() and recent_runs()).
std::vector<RunInfo> run_infos(const Result& r) {
  std::vector<RunInfo> out;
  for (int i = 0; i < r.rows(); ++i) {
    RunInfo info{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4),
                 r.text(i, 5), r.text(i, 6), r.text(i, 7), r.text(i, 8), 0};
    info.samples = std::stoull(r.text(i, 9));
    out.push_back(std::move(info));
  }
  return out;
}

class PgStore final : public Store {
 public:
  explicit PgStore(const std::string& uri) : c_(uri) { ensure_schema(c_); }

  const std::string& location() const override { return c_.location(); }
  std::unique_ptr<Batch> begin() override { return std::make_unique<PgBatch>(c_); }

  std::vector<RunInfo> runs() override {
    return run_infos(c_.exec(
        "SELECT run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, suite, "
        "samples FROM runs ORDER BY batch, id"));
  }

  // The last `count` runs of a host and suite through runs_by_host (host = $1), as SQLite's
  // (kSqliteRecentRunsSql), instead of Store's default, which lists every run of every host: a
  // fleet's database holds a run a night of each of its hosts, and nightly reads one host's
  // window of them.
  std::vector<RunInfo> recent_runs(const std::string& host, const std::string& suite,
                                   std::size_t count) override {
    return run_infos(c_.exec(
        "SELECT run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, suite, "
        "samples FROM (SELECT * FROM runs WHERE host = $1 AND suite = $2 "
        "ORDER BY batch DESC, id DESC LIMIT $3) t ORDER BY batch, id",
        {host, suite, std::to_string(std::min<std::size_t>(count, INT64_MAX))}));
  }

  // Ordered byte for byte (COLLATE "C"), as SQLite's and Store's default order them.
  std::vector<RunGroup> run_groups() override {
    const Result r = c_.exec(
        "SELECT host, suite, count(*) FROM runs GROUP BY host, suite "
        "ORDER BY host COLLATE \"C\", suite COLLATE \"C\"");
    std::vector<RunGroup> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(RunGroup{r.text(i, 0), r.text(i, 1), std::stoull(r.text(i, 2))});
    return out;
  }

  void scan(const std::optional<std::string>& run_id, const results::RowSink& sink) override {
    // One snapshot for the run list and the samples: a concurrent commit is not seen half-way.
    c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    struct Rollback {
      Connection& c;
      ~Rollback() { PQclear(PQexec(c.get(), "ROLLBACK")); }
    } rollback{c_};
    std::map<std::string, RunInfo> runs;
    Result r(nullptr);
    if (run_id) {
      r = c_.exec(
          "SELECT id, run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, "
          "suite FROM runs WHERE run_id = $1",
          {*run_id});
    } else {
      r = c_.exec(
          "SELECT id, run_id, started_utc, host, arch, cpu_model, kernel, compiler, git_rev, "
          "suite FROM runs");
    }
    for (int i = 0; i < r.rows(); ++i)
      runs[r.text(i, 0)] =
          RunInfo{r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                  r.text(i, 6), r.text(i, 7), r.text(i, 8), r.text(i, 9), 0};
    if (run_id && runs.empty())
      throw InputError(c_.location() + ": no run " + *run_id + " in this history");
    // Streamed a row at a time (libpq single-row mode): memory stays flat for any history.
    const std::string sql =
        std::string(
            "SELECT s.run, s.codegen, s.workload, s.pte_format, s.variant, s.layout, s.ptes, "
            "s.repetition, s.metric, s.value, s.unit, s.coverage, s.zero_signs FROM samples s ") +
        (run_id ? "WHERE s.run = " + runs.begin()->first + " ORDER BY s.id"
                : "JOIN runs r ON r.id = s.run ORDER BY r.batch, s.id");
    if (PQsendQuery(c_.get(), sql.c_str()) != 1 || PQsetSingleRowMode(c_.get()) != 1)
      c_.fail("cannot read samples");
    results::Row row;
    std::string current;
    std::size_t line = 0;
    std::string error;
    while (PGresult* raw = PQgetResult(c_.get())) {
      Result part(raw);
      const auto status = PQresultStatus(raw);
      if (status == PGRES_TUPLES_OK) continue;
      if (status != PGRES_SINGLE_TUPLE) {
        error = first_line(PQresultErrorMessage(raw));
        continue;
      }
      if (!error.empty()) continue;
      const std::string run = part.text(0, 0);
      if (run != current) {
        fill_run_columns(runs.at(run), row);
        current = run;
      }
      row.codegen = part.text(0, 1);
      row.workload = part.text(0, 2);
      row.pte_format = part.text(0, 3);
      row.variant = part.text(0, 4);
      row.layout = part.text(0, 5);
      row.ptes = std::bit_cast<std::uint64_t>(std::stoll(part.text(0, 6)));
      row.repetition = static_cast<std::uint32_t>(std::stoul(part.text(0, 7)));
      row.metric = part.text(0, 8);
      row.value = parse_double(part.text(0, 9), c_.location());
      row.unit = part.text(0, 10);
      row.coverage = parse_double(part.text(0, 11), c_.location());
      apply_zero_sign_flags(std::stoll(part.text(0, 12)), row);
      try {
        sink(row, ++line);
      } catch (...) {
        while (PGresult* rest = PQgetResult(c_.get())) PQclear(rest);
        throw;
      }
    }
    if (!error.empty()) throw InputError(c_.location() + ": cannot read samples: " + error);
  }

  context::Entries context(const std::string& run_id) override {
    const Result r = c_.exec(
        "SELECT c.key, c.value FROM run_context c JOIN runs r ON r.id = c.run WHERE r.run_id = "
        "$1 ORDER BY c.position",
        {run_id});
    context::Entries out;
    for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
    return out;
  }

 private:
  Connection c_;
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& uri) {
  return std::make_unique<PgStore>(uri);
}

#endif

}  // namespace ptebench::history
