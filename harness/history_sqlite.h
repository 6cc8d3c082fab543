// The SQLite back end of the history store (harness/history_store.h): one file, WAL journal,
// one transaction per write (BEGIN IMMEDIATE), writers of several processes serialised by
// SQLite's lock with a busy timeout (they wait, nothing is lost).
//
// A file is accepted when it is empty or missing (the schema is created), or when it is a
// SQLite database with PRAGMA application_id kApplicationId, user_version kSchemaVersion,
// exactly the tables, indexes and view of kSchemaSql, and a clean PRAGMA quick_check. Anything
// else (a text file, another program's database, a newer schema, a damaged file) is refused
// with one InputError line, and the file is not written.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "harness/history_store.h"

namespace ptebench::history {

// "ptb1" in ASCII: what makes the file ours (sqlite.org/fileformat.html, application ID).
inline constexpr std::int32_t kApplicationId = 0x70746231;
inline constexpr int kSchemaVersion = 1;
// How long a writer waits for another one before giving up (a conversion of a year's CSV may
// hold the lock for minutes).
inline constexpr int kBusyTimeoutMs = 10 * 60 * 1000;

// The tables, indexes and view, in the order they are created.
extern const char* const kSqliteSchema[];

// The queries that read one run and a host's recent runs: each goes through an index (the
// tests check their query plans), so a history window costs the same with 10 M rows stored.
extern const char* const kSqliteRunSql;         // ?1 = run_id
extern const char* const kSqliteRunSpanSql;     // ?1 = runs.id
extern const char* const kSqliteRunSamplesSql;  // ?1 = runs.id, ?2 ?3 = its span of ids
extern const char* const kSqliteRecentRunsSql;  // ?1 = host, ?2 = suite, ?3 = count

std::unique_ptr<Store> open_sqlite_store(const std::string& path,
                                         IntegrityCheck check = IntegrityCheck::on_open);

}  // namespace ptebench::history
