// The ptebench commands end to end, through ptebench::cli::main as the executable calls it.
#include "bench/cli.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "harness/results_reader.h"
#include "harness/run_context.h"

namespace {

int run_cli(std::vector<std::string> words) {
  words.insert(words.begin(), "ptebench");
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  return ptebench::cli::main(static_cast<int>(words.size()), argv.data());
}

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::path(PTEBENCH_BINARY_DIR) / "cli_test";
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / name);
  return dir / name;
}

}  // namespace

TEST_CASE("bad usage is exit status 2 and writes nothing") {
  const auto out = scratch("never.csv");
  CHECK(run_cli({}) == 2);
  CHECK(run_cli({"frobnicate"}) == 2);
  CHECK(run_cli({"run", "--bogus"}) == 2);
  CHECK(run_cli({"run", "--suite", "weekly", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--filter", "no_such/*", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--counters", "no_such_event_xyz", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--inject-slowdown", "x", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--codegen", "fast", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--out", "/nonexistent-dir/x.csv", "--filter", "none_scan/*"}) == 2);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(run_cli({"compare", "/nonexistent.csv", "/nonexistent2.csv"}) == 2);
  CHECK(run_cli({"compare", "only-one.csv"}) == 2);
  CHECK(run_cli({"compare", "a.csv", "b.csv", "--format", "html"}) == 2);
  CHECK(run_cli({"nightly", "--history", "h.csv"}) == 2);
  CHECK(run_cli({"ab", "--a", "true"}) == 2);
}

TEST_CASE("run writes a valid results file and sidecar - compare reads it back") {
  const auto out = scratch("run.csv");
  REQUIRE(run_cli({"run", "--filter", "none_scan/arm64/*/dense/4096/*", "--repetitions", "2",
                   "--out", out.string(), "--no-table"}) == 0);
  const auto rows = ptebench::results::read_results(out);
  std::size_t ns_rows = 0;
  for (const auto& r : rows) {
    CHECK(r.schema == "ptebench-results/1");
    CHECK(r.workload == "none_scan");
    CHECK(r.ptes == 4096);
    if (r.metric == "ns_per_pte") {
      ++ns_rows;
      CHECK(r.value > 0);
      CHECK(r.unit == "ns");
    }
    CHECK(r.metric != "cycles_per_pte");  // no PMU here, or a real value: never a fake zero
  }
  CHECK(ns_rows == 3 * 2);  // variants x repetitions
  const auto ctx = ptebench::context::read_context(ptebench::context::context_path(out));
  CHECK(ptebench::context::find_entry(ctx, "seed") == std::optional<std::string>("1"));
  CHECK(ptebench::context::find_entry(ctx, "suite") == std::optional<std::string>("quick"));
  // 2 repetitions a side: every row is insufficient, so no regression.
  CHECK(run_cli({"compare", out.string(), out.string(), "--metric", "ns_per_pte"}) == 0);
  CHECK(run_cli({"compare", out.string(), "--between", "variant=plain,read_once"}) == 0);
  // The drift flags: each mode runs on a real file; bad values are bad usage (the messages are
  // checked in compare_test).
  for (const char* drift : {"none", "repetition", "run"}) {
    CHECK(run_cli({"compare", out.string(), out.string(), "--drift", drift}) == 0);
  }
  CHECK(run_cli({"compare", out.string(), out.string(), "--drift", "sideways"}) == 2);
  CHECK(run_cli({"compare", out.string(), out.string(), "--shift-limit", "-1"}) == 2);
  CHECK(run_cli({"compare", out.string(), "--between", "variant=plain,read_once", "--drift",
                 "run"}) == 2);
}

TEST_CASE("a malformed results file is exit status 2 and named with its line") {
  const auto bad = scratch("bad.csv");
  std::ofstream(bad) << "schema,run_id\n1,2\n";
  CHECK(run_cli({"compare", bad.string(), bad.string()}) == 2);
}

TEST_CASE("nightly refuses a malformed history before running - and leaves it as it was") {
  const auto run_out = scratch("first.csv");
  REQUIRE(run_cli({"run", "--filter", "none_scan/x86_64/plain/dense/4096/*", "--repetitions", "1",
                   "--out", run_out.string(), "--no-table"}) == 0);
  // A history holding the same run twice: every row a duplicate of one above it.
  const auto history = scratch("history.csv");
  std::filesystem::copy_file(run_out, history);
  {
    std::ifstream in(run_out);
    std::string line;
    std::getline(in, line);  // the header once
    std::ofstream out(history, std::ios::app);
    while (std::getline(in, line)) out << line << '\n';
  }
  const auto before = std::filesystem::file_size(history);
  const auto nightly_out = scratch("nightly.csv");
  const auto nightly = [&](const std::filesystem::path& hist) {
    return run_cli({"nightly", "--baseline", scratch("none.csv").string(), "--history",
                    hist.string(), "--filter", "none_scan/x86_64/plain/dense/512/*",
                    "--repetitions", "1", "--out", nightly_out.string()});
  };
  CHECK(nightly(history) == 2);
  CHECK_FALSE(std::filesystem::exists(nightly_out));  // refused before the run
  CHECK(std::filesystem::file_size(history) == before);
  // The control: the same command with no history yet runs and starts one.
  const auto fresh = scratch("fresh_history.csv");
  CHECK(nightly(fresh) == 0);
  CHECK(std::filesystem::exists(nightly_out));
  CHECK(ptebench::results::read_results(fresh).size() > 0);
}
