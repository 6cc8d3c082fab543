// Parts of the PostgreSQL history store that need no server (the server tests are
// tests/scripts/history_postgres.sh): which locations are databases, passwords kept out of
// messages.
#include "harness/history_postgres.h"

#include <catch2/catch.hpp>

#include "harness/history_store.h"

namespace ptebench::history {

TEST_CASE("history_postgres: locations") {
  CHECK(is_postgres_location("postgresql://u@h/db"));
  CHECK(is_postgres_location("postgres://h/db"));
  CHECK_FALSE(is_postgres_location("h.db"));
  CHECK(is_store_location("postgresql:///fleet?host=/tmp"));
  CHECK(is_store_location("results/history/ci.db"));
  CHECK(is_store_location("h.sqlite3"));
  CHECK_FALSE(is_store_location("results/history/ci.csv"));
}

TEST_CASE("history_postgres: the password never appears in messages") {
  CHECK(redact_password("postgresql://bench:s3cret@db.example/fleet") ==
        "postgresql://bench:***@db.example/fleet");
  CHECK(redact_password("postgresql://bench@db.example/fleet") ==
        "postgresql://bench@db.example/fleet");
  CHECK(redact_password("postgresql:///fleet?host=/tmp/x") == "postgresql:///fleet?host=/tmp/x");
  CHECK(redact_password("postgresql:///fleet?host=/tmp&password=s3cret&port=5") ==
        "postgresql:///fleet?host=/tmp&password=***&port=5");
  CHECK(redact_password("postgresql://u:a@h/db?password=b") ==
        "postgresql://u:***@h/db?password=***");
  CHECK(redact_password("postgresql://db.example:5433/fleet") ==
        "postgresql://db.example:5433/fleet");
}

}  // namespace ptebench::history
