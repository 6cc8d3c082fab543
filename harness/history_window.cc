#include "harness/history_window.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>

#include "harness/history_store.h"
#include "harness/results_reader.h"

namespace ptebench::history {
namespace {

struct RunSeen {
  std::string run_id, host, suite, started_utc;
  bool timed = false;
};

// Where the window may start: the first stored run of `since`, or 0 (RunSeen or RunInfo).
template <class Run>
std::size_t start_of(const std::vector<Run>& runs, const WindowQuery& q, Window& window) {
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (q.since.count(runs[i].run_id) != 0) {
      window.since_found = true;
      return i;
    }
  }
  return 0;
}

// The runs to read: those of the host and suite from start_of on, of which the last `nights`
// timed ones. `runs` in the order stored.
std::vector<std::size_t> choose(const std::vector<RunSeen>& runs, const WindowQuery& q,
                                Window& window) {
  const std::size_t begin = start_of(runs, q, window);
  std::vector<std::size_t> chosen;
  std::string host = q.host, suite = q.suite;
  for (std::size_t i = runs.size(); i-- > begin && chosen.size() < q.nights;) {
    const RunSeen& r = runs[i];
    if (!r.timed) continue;
    if (host.empty()) host = r.host;
    if (suite.empty()) suite = r.suite;
    if (r.host == host && r.suite == suite) chosen.push_back(i);
  }
  std::reverse(chosen.begin(), chosen.end());
  return chosen;
}

Window read_store(const std::string& location, const WindowQuery& q) {
  Window window;
  // The cheap checks only: the whole-file check (seconds for 10 M rows) is the writer's
  // (history_store.h, IntegrityCheck).
  const std::unique_ptr<Store> store = open_store(location, IntegrityCheck::before_first_write);
  // With host and suite known, the latest runs of them through the index; twice the nights (and
  // two more), since a night's exact pass is a run of the same host and suite.
  const std::size_t runs_wanted = q.nights > (SIZE_MAX - 2) / 2 ? SIZE_MAX : 2 * q.nights + 2;
  const std::vector<RunInfo> infos = !q.host.empty() && !q.suite.empty()
                                         ? store->recent_runs(q.host, q.suite, runs_wanted)
                                         : store->runs();
  window.runs_stored = infos.size();
  // Newest first: scan runs of the host and suite until `nights` timed ones are found (the
  // exact pass's runs share host and suite but hold no timed metric).
  const std::size_t begin = start_of(infos, q, window);
  std::string host = q.host, suite = q.suite;
  for (std::size_t i = infos.size(); i-- > begin && window.nights.size() < q.nights;) {
    const RunInfo& info = infos[i];
    if ((!host.empty() && info.host != host) || (!suite.empty() && info.suite != suite)) continue;
    Night night{info.run_id, info.started_utc, {}};
    bool timed = false;
    store->scan(info.run_id, [&](const results::Row& row, std::size_t) {
      timed = timed || row.metric == q.timed_metric;
      night.rows.push_back(row);
    });
    if (!timed) continue;
    if (host.empty()) host = info.host;
    if (suite.empty()) suite = info.suite;
    window.nights.push_back(std::move(night));
  }
  std::reverse(window.nights.begin(), window.nights.end());
  return window;
}

Window read_csv(const std::string& path, const WindowQuery& q) {
  Window window;
  if (!std::filesystem::exists(path)) return window;
  // Two passes, so that a large history costs a run's key per run, not its rows: which runs
  // there are, then the rows of the chosen ones.
  std::vector<RunSeen> runs;
  std::map<std::string, std::size_t> index;
  results::scan_results(path, [&](const results::Row& row, std::size_t) {
    auto [it, added] = index.try_emplace(row.run_id, runs.size());
    if (added) runs.push_back({row.run_id, row.host, row.suite, row.started_utc, false});
    runs[it->second].timed = runs[it->second].timed || row.metric == q.timed_metric;
  });
  window.runs_stored = runs.size();
  const std::vector<std::size_t> chosen = choose(runs, q, window);
  std::map<std::string, std::size_t> slot;
  for (const std::size_t i : chosen) {
    slot.emplace(runs[i].run_id, window.nights.size());
    window.nights.push_back({runs[i].run_id, runs[i].started_utc, {}});
  }
  if (chosen.empty()) return window;
  results::scan_results(path, [&](const results::Row& row, std::size_t) {
    if (const auto it = slot.find(row.run_id); it != slot.end())
      window.nights[it->second].rows.push_back(row);
  });
  return window;
}

}  // namespace

Window read_window(const std::string& location, const WindowQuery& query) {
  return is_store_location(location) ? read_store(location, query) : read_csv(location, query);
}

}  // namespace ptebench::history
