// nightly with a history database (--history X.db): each run appended with its context, a
// foreign database refused before the run and left as it was; `ptebench history` usage errors.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "cli_driver.h"
#include "harness/history_store.h"
#include "harness/run_context.h"

namespace {

using ptebench::test::run_cli;

std::filesystem::path scratch(const std::string& name) {
  const auto path = ptebench::test::scratch_path("history_nightly_test", name);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
  return path;
}

int nightly(const std::filesystem::path& history, const std::filesystem::path& out) {
  return run_cli({"nightly", "--baseline", scratch("none.csv").string(), "--history",
                  history.string(), "--filter", "none_scan/x86_64/plain/dense/512/*",
                  "--repetitions", "1", "--out", out.string()});
}

}  // namespace

TEST_CASE("nightly appends each run to a SQLite history, with its context") {
  const auto db = scratch("history.db");
  const auto out = scratch("nightly.csv");
  std::filesystem::remove(scratch("nightly.html"));
  REQUIRE(nightly(db, out) == 0);
  // A run_id is the start second, host and pid: a second run in this process needs a new second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  REQUIRE(nightly(db, out) == 0);
  auto store = ptebench::history::open_store(db.string());
  const auto runs = store->runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].run_id != runs[1].run_id);
  CHECK(runs[1].samples > 0);
  // The second run is the one in out.csv: its rows and sidecar are what the store holds.
  std::size_t n = 0;
  store->scan(runs[1].run_id, [&](const ptebench::results::Row& r, std::size_t) {
    CHECK(r.workload == "none_scan");
    ++n;
  });
  CHECK(n == runs[1].samples);
  const auto ctx = store->context(runs[1].run_id);
  CHECK(ctx == ptebench::context::read_context(ptebench::context::context_path(out)));
  // The HTML report of the history beside the Markdown: both runs, one plot set per group.
  std::ifstream html(std::filesystem::path(out).replace_extension(".html"));
  const std::string page((std::istreambuf_iterator<char>(html)), std::istreambuf_iterator<char>());
  CHECK(page.find("2 runs from") != std::string::npos);
  CHECK(page.find("<svg") != std::string::npos);
}

TEST_CASE("nightly refuses a foreign database as history before running, leaving it as it was") {
  const auto db = scratch("foreign.db");
  { std::ofstream(db) << "not a database\n"; }
  const auto out = scratch("refused.csv");
  CHECK(nightly(db, out) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  std::ifstream in(db);
  std::string line;
  std::getline(in, line);
  CHECK(line == "not a database");
}

TEST_CASE("history: bad usage is exit status 2") {
  CHECK(run_cli({"history"}) == 2);
  CHECK(run_cli({"history", "frob"}) == 2);
  CHECK(run_cli({"history", "import", "x.csv"}) == 2);  // no --history
  const auto db = scratch("u.db");
  CHECK(run_cli({"history", "import", "--history", db.string()}) == 2);  // no file
  CHECK_FALSE(std::filesystem::exists(db));
  CHECK(run_cli({"history", "import", "/nonexistent.csv", "--history", db.string()}) == 2);
  CHECK_FALSE(std::filesystem::exists(db));
  CHECK(run_cli({"history", "export", "--history", "h.csv", "--out", "x.csv"}) == 2);
  CHECK(run_cli({"history", "export", "--history", "h.db"}) == 2);  // no --out
}
