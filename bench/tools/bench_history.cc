// ptebench-bench-history DB [ROWS]: times nightly's read of its history window (README, Speed):
// open the SQLite history DB (IntegrityCheck::before_first_write: the whole-file quick_check is
// left to the nightly's write), take the last 20 nightly runs of one host (Store::recent_runs)
// and read each (Store::scan), five times; prints each time and the median. --with-check times
// the same with the quick_check at open (open_store's default) instead.
//
// When DB does not exist it is first generated (deterministically, minutes for 10 M rows) with
// ROWS samples (default 10,000,000) and kept for the next call: night after night, host "gen"
// stores a nightly run (31,000 rows: 775 cases x 10 repetitions x 4 metrics) and a quick run
// (1,100 rows), and host "gen2" a nightly run. It is written to DB.partial and renamed when
// complete, so an interrupted generation is never taken for a whole one.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "harness/history_store.h"
#include "harness/input_error.h"
#include "harness/results_row.h"

namespace {

namespace fs = std::filesystem;
using ptebench::results::Row;

constexpr std::size_t kNightlyRows = 31000;
constexpr std::size_t kQuickRows = 1100;
constexpr std::size_t kWindowRuns = 20;
constexpr int kTimings = 5;

// One run's rows into `batch`: `rows` of them, cases x 10 repetitions x 4 metrics.
void add_run(ptebench::history::Batch& batch, const std::string& host, const std::string& suite,
             int night, std::size_t rows) {
  constexpr const char* kMetrics[] = {"ns_per_pte", "cycles_per_pte", "page_faults",
                                      "task_clock_ns"};
  constexpr const char* kUnits[] = {"ns", "cycles", "count", "ns"};
  Row row;
  char day[32];
  std::snprintf(day, sizeof day, "2026-%02d-%02dT02:00:00Z", 1 + night / 28 % 12, 1 + night % 28);
  row.run_id = std::string(day) + "-" + host + "-" + suite + "-" + std::to_string(night);
  row.started_utc = day;
  row.host = host;
  row.arch = "x86_64";
  row.cpu_model = "AMD EPYC 7B13 64-Core Processor";
  row.kernel = "6.18.44-fc-v1045";
  row.compiler = "GNU 12.2.0";
  row.git_rev = "c47d7d2";
  row.suite = suite;
  row.pte_format = "x86_64";
  row.layout = "dense";
  std::uint64_t state = static_cast<std::uint64_t>(night) * 7919 + rows;
  std::size_t n = 0;
  for (std::size_t c = 0; n < rows; ++c) {
    row.codegen = c % 2 ? "kernel" : "user";
    row.workload = "workload_" + std::to_string(c / 6);
    row.variant = c % 3 == 0 ? "plain" : c % 3 == 1 ? "read_once" : "arch";
    row.ptes = 512u << (c % 5);
    for (std::uint32_t rep = 0; rep < 10 && n < rows; ++rep) {
      row.repetition = rep;
      for (std::size_t m = 0; m < 4 && n < rows; ++m, ++n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        row.metric = kMetrics[m];
        row.unit = kUnits[m];
        row.value =
            m == 2 ? 0 : 1 + static_cast<double>(c % 97) + static_cast<double>(state >> 40) / 1e9;
        batch.add(row, "generated");
      }
    }
  }
}

void generate(const fs::path& db, std::size_t total_rows) {
  const fs::path partial = db.string() + ".partial";
  fs::remove(partial);
  fs::remove(partial.string() + "-wal");
  fs::remove(partial.string() + "-shm");
  {
    auto store = ptebench::history::open_store(partial.string());
    std::size_t stored = 0;
    for (int night = 0; stored < total_rows; ++night) {
      auto batch = store->begin();
      add_run(*batch, "gen", "nightly", night, kNightlyRows);
      add_run(*batch, "gen", "quick", night, kQuickRows);
      add_run(*batch, "gen2", "nightly", night, kNightlyRows);
      batch->commit();
      stored += 2 * kNightlyRows + kQuickRows;
      if (night % 20 == 0) std::cerr << "generated " << stored << " rows\n";
    }
  }
  fs::rename(partial, db);
}

}  // namespace

int main(int argc, char** argv) try {
  std::vector<std::string> args(argv + 1, argv + argc);
  const bool with_check = std::erase(args, "--with-check") > 0;
  if (args.empty() || args.size() > 2) {
    std::cerr << "usage: ptebench-bench-history DB [ROWS] [--with-check]\n";
    return 2;
  }
  const fs::path db = args[0];
  const std::size_t rows =
      args.size() == 2 ? std::strtoull(args[1].c_str(), nullptr, 10) : 10'000'000;
  if (!fs::exists(db)) generate(db, rows);
  std::vector<double> ms;
  std::size_t read = 0, runs = 0;
  for (int t = 0; t < kTimings; ++t) {
    const auto start = std::chrono::steady_clock::now();
    auto store = ptebench::history::open_store(
        db.string(), with_check ? ptebench::history::IntegrityCheck::on_open
                                : ptebench::history::IntegrityCheck::before_first_write);
    const auto window = store->recent_runs("gen", "nightly", kWindowRuns);
    read = 0;
    for (const auto& run : window)
      store->scan(run.run_id, [&read](const Row&, std::size_t) { ++read; });
    const auto end = std::chrono::steady_clock::now();
    runs = window.size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    std::cout << "window read " << t + 1 << ": " << ms.back() << " ms\n";
  }
  std::sort(ms.begin(), ms.end());
  std::cout << "history window: " << runs << " runs, " << read << " rows, median "
            << ms[ms.size() / 2] << " ms of " << kTimings << " (" << db.string()
            << (with_check ? ", quick_check at open" : ", quick_check left to the first write")
            << ")\n";
  return 0;
} catch (const ptebench::InputError& e) {
  std::cerr << e.what() << "\n";
  return 2;
}
