// The PostgreSQL back end of the history store (harness/history_store.h), for a fleet: many
// hosts append to one database, each run keyed by its run_id and indexed by host. libpq; the
// tables are created on first use (under an advisory lock, so hosts starting together do not
// race) and checked on every open: a database whose ptebench_meta says another schema version,
// or whose ptebench tables have other columns, is refused with one line before any write.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "harness/history_store.h"

namespace ptebench::history {

// "postgresql://..." or "postgres://..." (libpq's URI forms).
bool is_postgres_location(std::string_view location);

// The location with any password (user:PASSWORD@, password=PASSWORD) masked, for messages.
std::string redact_password(std::string_view uri);

// Whether this build has libpq (PTEBENCH_HAVE_LIBPQ); without it open_postgres_store refuses.
bool postgres_available();

std::unique_ptr<Store> open_postgres_store(const std::string& uri);

}  // namespace ptebench::history
