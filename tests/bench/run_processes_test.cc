// Tests for bench/runner/run_processes: a run's repetitions spread over fresh processes and
// merged into one run; and that nightly's re-runs stay one process each.
#include "bench/runner/run_processes.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bench/runner/nightly_reruns.h"
#include "cli_driver.h"
#include "harness/results_reader.h"
#include "harness/run_context.h"

namespace {

using ptebench::cli::merge_process_rows;
using ptebench::cli::repetitions_per_process;
using ptebench::test::run_cli;

std::filesystem::path scratch(const std::string& name) {
  return ptebench::test::scratch_path("run_processes_test", name);
}

ptebench::results::Row row(const std::string& run_id, std::uint32_t repetition) {
  ptebench::results::Row r;
  r.run_id = run_id;
  r.started_utc = "2026-12-03T10:00:0" + run_id.substr(0, 1) + "Z";
  r.workload = "munmap";
  r.metric = "ns_per_pte";
  r.repetition = repetition;
  r.value = 1;
  return r;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("run --processes: the repetitions are shared out as evenly as they go") {
  CHECK(repetitions_per_process(10, 5) == std::vector<int>{2, 2, 2, 2, 2});
  CHECK(repetitions_per_process(10, 3) == std::vector<int>{4, 3, 3});
  CHECK(repetitions_per_process(10, 4) == std::vector<int>{3, 3, 2, 2});
  // Never a process with no repetition.
  CHECK(repetitions_per_process(2, 5) == std::vector<int>{1, 1});
  CHECK(repetitions_per_process(7, 1) == std::vector<int>{7});
}

TEST_CASE("run --processes: the processes' rows are one run, repetitions numbered in order") {
  const std::vector<std::vector<ptebench::results::Row>> runs = {
      {row("1a", 0), row("1a", 1)}, {}, {row("2b", 0), row("2b", 1)}, {row("3c", 0)}};
  const auto merged = merge_process_rows(runs);
  REQUIRE(merged.size() == 5);
  std::vector<std::uint32_t> repetitions;
  for (const auto& r : merged) {
    CHECK(r.run_id == "1a");
    CHECK(r.started_utc == "2026-12-03T10:00:01Z");
    repetitions.push_back(r.repetition);
  }
  CHECK(repetitions == std::vector<std::uint32_t>{0, 1, 2, 3, 4});
  CHECK(merge_process_rows({}).empty());
}

TEST_CASE("run --processes: one results file, one run_id, every repetition once, parts removed") {
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  const auto dir = scratch("three");  // its own directory: the parts are looked for in it
  std::filesystem::create_directories(dir);
  const auto out = dir / "three.csv";
  REQUIRE(run_cli({"run", "--filter", "none_scan/arm64/*/dense/4096/*", "--repetitions", "4",
                   "--processes", "3", "--out", out.string(), "--no-table"}) == 0);
  const auto rows = ptebench::results::read_results(out);
  std::set<std::string> run_ids;
  std::map<std::string, std::multiset<std::uint32_t>> repetitions;  // variant -> repetitions
  for (const auto& r : rows) {
    run_ids.insert(r.run_id);
    if (r.metric == "ns_per_pte") repetitions[r.variant].insert(r.repetition);
  }
  CHECK(run_ids.size() == 1);
  REQUIRE(repetitions.size() == 3);
  for (const auto& [variant, reps] : repetitions) {
    INFO(variant);
    CHECK(reps == std::multiset<std::uint32_t>{0, 1, 2, 3});
  }
  const auto ctx = ptebench::context::read_context(ptebench::context::context_path(out));
  CHECK(ptebench::context::find_entry(ctx, "processes") == std::optional<std::string>("3"));
  CHECK(ptebench::context::find_entry(ctx, "run_id") ==
        std::optional<std::string>(*run_ids.begin()));
  // Each process's walks, where they calibrated differently: whole numbers either way.
  const auto walks =
      ptebench::context::find_entry(ctx, "walks:none_scan/arm64/plain/dense/4096/kernel");
  REQUIRE(walks);
  CHECK(walks->find_first_not_of("0123456789 ") == std::string::npos);
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    CHECK(entry.path().filename().string().find(".process") == std::string::npos);
}

TEST_CASE("run --processes: bad values and a failed process are exit 2 and overwrite nothing") {
  const auto out = scratch("kept.csv");
  std::filesystem::create_directories(out.parent_path());
  { std::ofstream(out) << "an earlier file\n"; }
  CHECK(run_cli({"run", "--processes", "0", "--out", out.string()}) == 2);
  CHECK(run_cli({"run", "--processes", "2", "--engine", "valgrind", "--filter",
                 "none_scan/arm64/plain/dense/4096/*", "--out", out.string()}) == 2);
  // A process that fails (here: the command exits 1 at once) stops the run; OUT is left alone.
  setenv("PTEBENCH_EXE", "false", 1);
  CHECK(run_cli({"run", "--filter", "none_scan/arm64/plain/dense/4096/*", "--repetitions", "2",
                 "--processes", "2", "--out", out.string(), "--no-table"}) == 2);
  setenv("PTEBENCH_EXE", PTEBENCH_EXE_COMMAND, 1);
  CHECK(read_text(out) == "an earlier file\n");
}

TEST_CASE("nightly's re-runs are one fresh process each, whatever the night's --processes") {
  ptebench::cli::RunConfig night;
  night.processes = 5;
  const auto args = ptebench::cli::rerun_args(night, {"munmap/arm64/plain/dense/4096/kernel"},
                                              "/tmp/x.rerun1.csv");
  CHECK(std::find(args.begin(), args.end(), "--processes") == args.end());
  CHECK(std::find(args.begin(), args.end(), "--filter") != args.end());
}
