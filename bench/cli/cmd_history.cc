// ptebench history import|export|list|judge|noise|power: moves runs between results CSVs (schema
// ptebench-results/1, the interchange format) and a history database (harness/history_store.h:
// a SQLite file, or postgresql://... for a fleet), and reads a history back (judge, noise, power).
// Import then export gives back the same bytes.
//
//   ptebench history import FILE.csv... --history DB   every file checked whole first, then all
//                                                     their runs in one transaction; FILE's
//                                                     context sidecar (FILE.context.csv) too
//   ptebench history export --history DB [--run ID] --out F.csv   (+ F.context.csv with --run)
//                           [--summary S.csv]    and/or the dashboard summary (summary_csv.h)
//   ptebench history list --history DB                 one line per run
//   ptebench history judge --history H [flags]         nightly's judgement replayed over the
//                                                     stored nights (harness/nightly_judge.h):
//                                                     each night against the nights before it,
//                                                     without re-runs (H a CSV or a database), or
//                                                     with those nightly kept (--reruns DIR)
//   ptebench history noise --history H [flags]         each case's night-to-night noise over the
//                                                     latest nights (harness/night_noise.h),
//                                                     steadiest first, as CSV
//   ptebench history power --history H --case NAME     a step injected into the stored nights,
//                                                     judged as nightly would have
//                                                     (harness/step_power.h)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench/cli/commands.h"
#include "bench/cli/flags.h"
#include "harness/atomic_file.h"
#include "harness/history_store.h"
#include "harness/history_window.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/night_noise.h"
#include "harness/night_series.h"
#include "harness/nightly_judge.h"
#include "harness/nightly_report.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"
#include "harness/run_context.h"
#include "harness/step_power.h"
#include "harness/summary_csv.h"

namespace ptebench::cli {
namespace {

void require_store(const std::string& history, std::string_view command) {
  if (history.empty())
    throw InputError("ptebench history " + std::string(command) + ": --history DB is needed");
  if (!history::is_store_location(history))
    throw InputError(
        "ptebench history " + std::string(command) + ": --history " + history +
        ": expected a database (a .db, .sqlite or .sqlite3 file, or postgresql://...)");
}

int history_import(int argc, char** argv) {
  std::string history;
  FlagParser flags("history import");
  flags.add_string("history", &history, "history database the runs are added to (required)");
  const auto files = flags.parse(argc, argv, 3);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench history import FILE.csv... --history DB\n" << flags.usage();
    return 0;
  }
  require_store(history, "import");
  if (files.empty()) throw InputError("ptebench history import: no results file given");

  // Everything is checked before the database is opened: a malformed file, a sidecar that
  // belongs to no run of its file.
  std::vector<std::map<std::string, context::Entries>> contexts(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::map<std::string, std::size_t> runs;
    results::scan_unique_results(files[i],
                                 [&](const results::Row& r, std::size_t) { ++runs[r.run_id]; });
    const auto sidecar = context::context_path(files[i]);
    if (!std::filesystem::exists(sidecar)) continue;
    context::Entries entries = context::read_context(sidecar);
    const auto run_id = context::find_entry(entries, "run_id");
    if (!run_id || runs.count(*run_id) == 0)
      throw InputError(sidecar.string() + ": run_id '" + run_id.value_or("") +
                       "' is not a run of " + files[i]);
    contexts[i][*run_id] = std::move(entries);
  }

  auto store = history::open_store(history);
  auto batch = store->begin();
  std::size_t rows = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    results::scan_results(files[i], [&](const results::Row& r, std::size_t line) {
      batch->add(r, files[i] + ":" + std::to_string(line));
      ++rows;
    });
    for (const auto& [run_id, entries] : contexts[i]) batch->add_context(run_id, entries);
  }
  batch->commit();
  log_line("imported " + std::to_string(rows) + " rows into " + store->location());
  return 0;
}

int history_export(int argc, char** argv) {
  std::string history, run_id, out, summary_out;
  FlagParser flags("history export");
  flags.add_string("summary", &summary_out,
                   "also (or only) write the summary CSV: a row per run x case x metric");
  flags.add_string("history", &history, "history database to read (required)");
  flags.add_string("run", &run_id, "only this run (and its context sidecar beside --out)");
  flags.add_string("out", &out, "results CSV to write (required)");
  const auto positional = flags.parse(argc, argv, 3);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench history export --history DB [--run ID] --out F.csv "
                 "[--summary S.csv]\n"
              << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench history export: unexpected argument '" + positional[0] + "'");
  require_store(history, "export");
  if (out.empty() && summary_out.empty())
    throw InputError("ptebench history export: --out F.csv or --summary S.csv is needed");

  auto store = history::open_store(history);
  std::string csv = results::header_line() + "\n";
  summary::SummaryBuilder summary;
  store->scan(run_id.empty() ? std::nullopt : std::optional<std::string>(run_id),
              [&](const results::Row& r, std::size_t n) {
                // A row the reader would refuse means the database was changed behind our back.
                if (auto problem = results::check_row(r))
                  throw InputError(store->location() + ": stored row " + std::to_string(n) +
                                   " (run " + r.run_id + "): " + problem->what);
                if (!out.empty()) results::append_csv_row(csv, r);
                if (!summary_out.empty()) summary.add(r);
              });
  context::Entries entries;
  if (!run_id.empty()) entries = store->context(run_id);
  const std::string what = run_id.empty() ? std::string("every run") : "run " + run_id;
  if (!out.empty()) {
    write_file_atomically(out, csv);
    if (!entries.empty()) context::write_context(context::context_path(out), entries);
    log_line("exported " + what + " to " + out);
  }
  if (!summary_out.empty()) {
    write_file_atomically(summary_out, summary.csv());
    log_line("summary of " + what + " in " + summary_out);
  }
  return 0;
}

int history_list(int argc, char** argv) {
  std::string history;
  FlagParser flags("history list");
  flags.add_string("history", &history, "history database to read (required)");
  const auto positional = flags.parse(argc, argv, 3);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench history list --history DB\n" << flags.usage();
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench history list: unexpected argument '" + positional[0] + "'");
  require_store(history, "list");
  auto store = history::open_store(history);
  std::cout << "run_id,started_utc,host,arch,kernel,git_rev,suite,samples\n";
  for (const auto& r : store->runs()) {
    std::string line;
    for (const std::string* f :
         {&r.run_id, &r.started_utc, &r.host, &r.arch, &r.kernel, &r.git_rev, &r.suite}) {
      results::append_csv_field(line, *f);
      line += ',';
    }
    std::cout << line << r.samples << "\n";
  }
  return 0;
}

// The flags `history judge` and `history noise` share: which nights of which history they read,
// and how many factors of the machine's state are removed after the first.
struct NightsRead {
  std::string history, host, suite, metric = "ns_per_pte";
  std::int64_t factors = static_cast<std::int64_t>(nightly::JudgeOptions{}.further_factors);

  // `verb`: what is done with the nights ("judged", "read").
  void add_flags(FlagParser& flags, const std::string& verb) {
    flags.add_string("history", &history, "history to read: a CSV, a database (required)");
    flags.add_string("host", &host,
                     "host whose nights are " + verb + " (default: the last night's)");
    flags.add_string("suite", &suite,
                     "suite whose nights are " + verb + " (default: the last night's)");
    flags.add_string("metric", &metric, "metric " + verb);
    flags.add_int("factors", &factors, 0,
                  "factors of the machine's state removed after the first common factor "
                  "(harness/factor_model.h; 0: the first only)");
  }

  // After parsing: no positional argument, a history given that exists (InputError otherwise);
  // the query for its latest `nights` nights.
  history::WindowQuery query(const std::string& command, const std::vector<std::string>& positional,
                             std::size_t nights) const {
    if (!positional.empty())
      throw InputError("ptebench " + command + ": unexpected argument '" + positional[0] + "'");
    if (history.empty()) throw InputError("ptebench " + command + ": --history is needed");
    if (!history::is_store_location(history) && !std::filesystem::exists(history))
      throw InputError("ptebench " + command + ": --history " + history + ": no such file");
    history::WindowQuery q;
    q.nights = nights;
    q.timed_metric = metric;
    q.host = host;  // empty: the latest night's (history_window.h)
    q.suite = suite;
    return q;
  }
};

// The judge's flags of a replay over stored nights (`history judge`, `history power`): nightly's
// own, with its defaults.
struct ReplayFlags {
  NightsRead read;
  nightly::JudgeOptions judge;
  std::int64_t window = 20, min_history = static_cast<std::int64_t>(judge.min_history);

  void add_flags(FlagParser& flags, const std::string& verb) {
    read.add_flags(flags, verb);
    flags.add_int("window", &window, 2, "nights each night is judged against");
    flags.add_int("min-history", &min_history, 2, "nights needed before anything is judged");
    flags.add_double("threshold", &judge.threshold_pct, "smallest change that is a verdict, %");
    flags.add_double("replicate-alpha", &judge.replicate_alpha,
                     "level at which a night's run alone confirms a suspect of the night before, "
                     "Bonferroni over its suspects (0: off)");
    flags.add_double("noisy-null", &judge.noisy_bound,
                     "widening of a night's one-night null above which it stayed noisy: the night "
                     "after it is not a night a change is confirmed on, as in nightly (0: off)");
  }

  // After parsing: the flags checked (InputError naming `command`'s flag otherwise), the judge's
  // options set, and every stored night of the host and suite read.
  history::Window nights(const std::string& command, const std::vector<std::string>& positional) {
    const history::WindowQuery query =
        read.query(command, positional, static_cast<std::size_t>(-1));
    if (min_history >= window)
      throw InputError("ptebench " + command + ": --min-history " + std::to_string(min_history) +
                       " must be below --window " + std::to_string(window));
    if (!(judge.replicate_alpha >= 0 && judge.replicate_alpha < 1))
      throw InputError("ptebench " + command + ": --replicate-alpha must be in [0, 1), got " +
                       results::format_double(judge.replicate_alpha));
    if (!(judge.noisy_bound == 0 || judge.noisy_bound >= 1))
      throw InputError("ptebench " + command +
                       ": --noisy-null must be 0 (off) or at least 1, got " +
                       results::format_double(judge.noisy_bound));
    judge.window = static_cast<std::size_t>(window);
    judge.min_history = static_cast<std::size_t>(min_history);
    judge.further_factors = static_cast<std::size_t>(read.factors);
    return history::read_window(read.history, query);
  }
};

// A judged change as the replays print it: "+5.6% [+2.5%, +8.8%] p 0.0026".
std::string change_text(const nightly::CaseJudgement& j) {
  char text[64];
  std::snprintf(text, sizeof text, "%+.1f%% [%+.1f%%, %+.1f%%] p %.2g", (j.ratio - 1) * 100,
                (j.ratio_low - 1) * 100, (j.ratio_high - 1) * 100, j.p);
  return text;
}

// "<x>.rerun<k>.csv" as (<x>, k); nothing for any other name. By hand, not std::regex: GCC 12's
// <regex> fails the sanitizer build's -Werror (-Wmaybe-uninitialized inside std::function).
std::optional<std::pair<std::string, unsigned long>> rerun_file_name(const std::string& name) {
  constexpr std::string_view kSuffix = ".csv", kMark = ".rerun";
  if (name.size() <= kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  const std::string stem = name.substr(0, name.size() - kSuffix.size());
  const std::size_t at = stem.rfind(kMark);
  if (at == std::string::npos || at == 0) return std::nullopt;
  const std::string k = stem.substr(at + kMark.size());
  if (k.empty() || k.size() > 9 ||
      !std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::pair{stem.substr(0, at), std::stoul(k)};
}

// The re-runs nightly kept in `dir` (<x>.rerun<k>.csv beside its run <x>.csv, from
// `nightly --out <x>.csv`), each kept run's in the order of k, keyed by that run's id: the run id
// of <x>.csv's rows. A re-run whose run is not there is left out; an unreadable or malformed file
// is an InputError naming it.
std::map<std::string, std::vector<std::vector<results::Row>>> kept_reruns(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir))
    throw InputError("ptebench history judge: --reruns " + dir + ": no such directory");
  std::map<fs::path, std::map<unsigned long, fs::path>> by_run;  // <x>.csv -> k -> file
  for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
    const auto rerun = rerun_file_name(e.path().filename().string());
    if (e.is_regular_file() && rerun)
      by_run[e.path().parent_path() / (rerun->first + ".csv")][rerun->second] = e.path();
  }
  std::map<std::string, std::vector<std::vector<results::Row>>> out;
  for (const auto& [run, files] : by_run) {
    if (!fs::exists(run)) continue;
    const std::vector<results::Row> rows = results::read_results(run);
    if (rows.empty()) continue;
    std::vector<std::vector<results::Row>>& runs = out[rows.front().run_id];
    for (const auto& [k, file] : files) runs.push_back(results::read_results(file));
  }
  return out;
}

// Each stored night of one host and suite judged against the nights before it, as nightly
// judged it: without its re-runs, which the history does not hold, or with those nightly kept
// beside its runs (--reruns DIR). One line per night, then the cases confirmed. For reading a
// history back and for checking a machine's false-alarm rate.
int history_judge(int argc, char** argv) {
  ReplayFlags replay;
  FlagParser flags("history judge");
  replay.add_flags(flags, "judged");
  bool all = false;
  flags.add_bool("all", &all, "list every judged case, stable ones too (with their z)");
  std::string reruns_dir;
  flags.add_string("reruns", &reruns_dir,
                   "a directory of nightly's kept runs and re-runs (<x>.csv, <x>.rerun<k>.csv): "
                   "a night whose run is there is judged with its re-runs");
  std::string rerun_factor = "size";
  flags.add_string("rerun-factor", &rerun_factor,
                   "a re-run's factor from the controls of the candidate's size (size) or from "
                   "every control (all: nightly before 2026-12-07)");
  const auto positional = flags.parse(argc, argv, 3);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench history judge --history H [flags]\n" << flags.usage();
    return 0;
  }
  if (rerun_factor != "size" && rerun_factor != "all")
    throw InputError("ptebench history judge: --rerun-factor " + rerun_factor +
                     ": expected size or all");
  replay.judge.rerun_factor_by_size = rerun_factor == "size";
  const history::Window window_all = replay.nights("history judge", positional);
  const nightly::JudgeOptions& judge = replay.judge;
  const NightsRead& read = replay.read;
  const std::vector<history::Night>& nights = window_all.nights;
  const std::map<std::string, std::vector<std::vector<results::Row>>> kept =
      reruns_dir.empty() ? decltype(kept){} : kept_reruns(reruns_dir);
  std::vector<const std::vector<results::Row>*> rows;
  std::vector<std::string> ids;
  for (const history::Night& n : nights) rows.push_back(&n.rows), ids.push_back(n.run_id);
  std::size_t alarms = 0, judged = 0, rerun_nights = 0;
  for (std::size_t k = 0; k < nights.size(); ++k) {
    std::vector<nightly::CaseSeries> series;
    const auto it = kept.find(nights[k].run_id);
    const nightly::NightReport replayed = nightly::replay_night(
        std::span(rows).first(k + 1), std::span(ids).first(k + 1), read.metric, judge, series,
        it == kept.end() ? std::span<const std::vector<results::Row>>{} : std::span(it->second));
    const nightly::NightJudgement& j = replayed.night;
    judged += j.collecting ? 0 : 1;
    alarms += static_cast<std::size_t>(j.exit_code());
    rerun_nights += replayed.rerun_processes > 0 ? 1 : 0;
    std::cout << "night " << k + 1 << " " << nights[k].run_id << ": " << j.headline();
    if (j.null_scale > 1)
      std::cout << " (null widened " << nightly::widening_text(j.null_scale) << ")";
    if (replayed.rerun_processes > 0)
      std::cout << " (" << replayed.rerun_cases << " case" << (replayed.rerun_cases == 1 ? "" : "s")
                << " re-run in " << replayed.rerun_processes << " kept processes)";
    std::cout << "\n";
    // The whole run, when it is not stable (nightly_report.h: never an alarm).
    if (replayed.whole_run_judged && replayed.whole_run.state != nightly::State::stable &&
        replayed.whole_run.state != nightly::State::collecting)
      std::cout << "  " << nightly::whole_run_line(replayed) << "\n";
    for (std::size_t c = 0; c < j.cases.size(); ++c) {
      const nightly::CaseJudgement& cj = j.cases[c];
      if (cj.state == nightly::State::collecting) continue;
      // A stable case is listed with --all, or when it was a suspect last night (what became of
      // it: CaseJudgement::not_replicated).
      const std::string replication = nightly::replication_text(cj);
      if (cj.state == nightly::State::stable && !all && replication.empty()) continue;
      std::cout << "  " << nightly::state_name(cj.state) << " " << results::case_name(series[c].key)
                << " " << change_text(cj) << ", " << cj.nights_after
                << (cj.nights_after == 1 ? " night after" : " nights after");
      if (!replication.empty()) std::cout << " (" << replication << ")";
      if (cj.after_noisy_nights > 0) std::cout << " (" << nightly::after_noisy_text(cj) << ")";
      if (all) {
        char z[32];
        std::snprintf(z, sizeof z, ", z %.2f", cj.z);
        std::cout << z;
      }
      std::cout << "\n";
    }
  }
  std::cout << "judged " << judged << " of " << nights.size() << " nights";
  if (!reruns_dir.empty()) std::cout << " (" << rerun_nights << " with their kept re-runs)";
  std::cout << ": " << alarms << " with a confirmed regression\n";
  return 0;
}

// A step injected into one case of the stored nights at every night with enough history before
// it, each stepped night judged as nightly judged it (harness/step_power.h): how often, and how
// soon, this machine's nightly confirms a step of that size in that case.
int history_power(int argc, char** argv) {
  ReplayFlags replay;
  std::string case_wanted;
  double step_pct = 5;
  std::int64_t stepped_nights = 2;
  FlagParser flags("history power");
  replay.add_flags(flags, "read");
  flags.add_string("case", &case_wanted,
                   "the case stepped, as `history noise` names it, or all: each case in turn, "
                   "steadiest first, one CSV row each (required)");
  flags.add_double("step", &step_pct, "the step, % (+5: 5% slower; -5: 5% faster)");
  std::int64_t threads = 0;
  flags.add_int("threads", &threads, 0,
                "threads --case all runs the cases on (0: one per hardware thread)");
  flags.add_int("by-night", &stepped_nights, 1,
                "the stepped night by which the step is to be confirmed (each placement judges "
                "the step's nights up to it)");
  const auto positional = flags.parse(argc, argv, 3);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench history power --history H --case NAME [flags]\n" << flags.usage();
    return 0;
  }
  if (case_wanted.empty()) throw InputError("ptebench history power: --case is needed");
  if (!(std::isfinite(step_pct) && step_pct != 0 && step_pct > -100))
    throw InputError(
        "ptebench history power: --step must be a nonzero percentage above -100, got " +
        results::format_double(step_pct));
  const history::Window window_all = replay.nights("history power", positional);
  const NightsRead& read = replay.read;
  const std::vector<history::Night>& nights = window_all.nights;
  const std::size_t after = static_cast<std::size_t>(stepped_nights);
  if (nights.size() < replay.judge.min_history + after)
    throw InputError("ptebench history power: --history " + read.history + ": " +
                     std::to_string(nights.size()) + " nights of " + read.metric + ", " +
                     std::to_string(replay.judge.min_history + after) +
                     " are needed (--min-history before a step confirmed by --by-night " +
                     std::to_string(after) + ")");
  std::vector<const std::vector<results::Row>*> rows;
  std::vector<std::string> ids;
  for (const history::Night& n : nights) rows.push_back(&n.rows), ids.push_back(n.run_id);
  char step[32];
  std::snprintf(step, sizeof step, "%+g%%", step_pct);
  if (case_wanted == "all") {
    // Every case, steadiest first (night_noise.h over the nights read, none under test).
    const std::vector<nightly::CaseSeries> series =
        nightly::build_series(rows, {read.metric}, 0, replay.judge.further_factors);
    const std::vector<nightly::CaseNoise> noise = nightly::case_noise(series, replay.judge);
    std::vector<results::CaseKey> keys;
    for (const nightly::CaseNoise& n : noise) keys.push_back(series[n.series].key);
    log_line("history power: a " + std::string(step) + " step in each of " +
             std::to_string(keys.size()) + " cases, " +
             std::to_string(nights.size() - replay.judge.min_history - after + 1) +
             " placements each");
    const std::vector<nightly::StepPower> powers =
        nightly::step_powers(rows, ids, read.metric, keys, step_pct, after, replay.judge,
                             threads > 0 ? static_cast<std::size_t>(threads)
                                         : std::max(1u, std::thread::hardware_concurrency()));
    std::cout << "case,metric,sd_pct,placements,confirmed,suspected\n";
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string line;
      results::append_csv_field(line, results::case_name(keys[i]));
      line += ',';
      results::append_csv_field(line, read.metric);
      char numbers[96];
      std::snprintf(numbers, sizeof numbers, ",%.2f,%zu,%zu,%zu", noise[i].sd_pct,
                    powers[i].placements.size(), powers[i].confirmed, powers[i].suspected);
      std::cout << line << numbers << "\n";
    }
    return 0;
  }
  std::optional<results::CaseKey> key;
  for (const history::Night& n : nights)
    for (const results::Row& r : n.rows)
      if (!key && r.metric == read.metric &&
          results::case_name(results::case_key(r)) == case_wanted)
        key = results::case_key(r);
  if (!key)
    throw InputError("ptebench history power: --history " + read.history + ": no case " +
                     case_wanted + " with " + read.metric +
                     " in the nights read (`ptebench history "
                     "noise` lists them)");
  const nightly::StepPower power =
      nightly::step_power(rows, ids, read.metric, *key, step_pct, after, replay.judge);
  std::cout << "a " << step << " step in " << case_wanted << " (" << read.metric
            << "), injected from each night with " << replay.judge.min_history
            << " or more before it, each stepped night judged as nightly judged it (without "
               "re-runs):\n";
  std::size_t other_regressions = 0, other_improvements = 0;
  for (const nightly::StepPlacement& p : power.placements) {
    std::cout << "  from night " << p.first + 1 << " " << nights[p.first].run_id << ":";
    for (std::size_t k = 0; k < p.judged.size(); ++k) {
      const nightly::CaseJudgement& j = p.judged[k];
      std::cout << (k == 0 ? " " : "; ") << "night " << p.first + k + 1 << " "
                << nightly::state_name(j.state);
      if (j.state != nightly::State::collecting) std::cout << " " << change_text(j);
      if (const std::string replication = nightly::replication_text(j); !replication.empty())
        std::cout << " (" << replication << ")";
      if (j.after_noisy_nights > 0) std::cout << " (" << nightly::after_noisy_text(j) << ")";
    }
    for (const std::string& other : p.other_regressions)
      std::cout << "; other case confirmed: " << other;
    for (const std::string& other : p.other_improvements)
      std::cout << "; improvement of another case confirmed: " << other;
    std::cout << "\n";
    other_regressions += p.other_regressions.size();
    other_improvements += p.other_improvements.size();
  }
  std::cout << "step " << step << " in " << case_wanted << ": confirmed by its night " << after
            << " in " << power.confirmed << " of " << power.placements.size()
            << " placements, a suspect or confirmed in " << power.suspected
            << "; other cases confirmed: " << other_regressions
            << "; improvements of other cases confirmed: " << other_improvements << "\n";
  return 0;
}

// Each case's night-to-night noise over the latest nights of one host and suite, steadiest first
// (harness/night_noise.h), as CSV: which cases a nightly can see a change of a given size in.
int history_noise(int argc, char** argv) {
  NightsRead read;
  nightly::JudgeOptions judge;
  std::int64_t nights_wanted = 20;
  FlagParser flags("history noise");
  read.add_flags(flags, "read");
  flags.add_int("nights", &nights_wanted, 3,
                "the latest nights read (nightly's --window: a split's reference at most)");
  const auto positional = flags.parse(argc, argv, 3);
  if (flags.help_requested()) {
    std::cout << "usage: ptebench history noise --history H [flags]\n" << flags.usage();
    return 0;
  }
  const history::WindowQuery query =
      read.query("history noise", positional, static_cast<std::size_t>(nights_wanted));
  judge.window = static_cast<std::size_t>(nights_wanted);
  judge.further_factors = static_cast<std::size_t>(read.factors);
  const history::Window window = history::read_window(read.history, query);
  if (window.nights.size() < 3)
    throw InputError("ptebench history noise: --history " + read.history + ": " +
                     std::to_string(window.nights.size()) + " nights of " + read.metric +
                     ", at least 3 are needed");
  std::vector<const std::vector<results::Row>*> rows;
  for (const history::Night& n : window.nights) rows.push_back(&n.rows);
  // Every night is reference: none is under test.
  const std::vector<nightly::CaseSeries> series =
      nightly::build_series(rows, {read.metric}, 0, judge.further_factors);
  std::cout << "case,metric,nights,loading,raw_sd_pct,sd_pct,suspect_step_pct\n";
  for (const nightly::CaseNoise& n : nightly::case_noise(series, judge)) {
    const nightly::CaseSeries& s = series[n.series];
    std::string line;
    results::append_csv_field(line, results::case_name(s.key));
    line += ',';
    results::append_csv_field(line, s.metric);
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, ",%zu,%.2f,%.2f,%.2f,%.2f", n.nights, s.loading,
                  n.raw_sd_pct, n.sd_pct, n.suspect_step_pct);
    std::cout << line << numbers << "\n";
  }
  return 0;
}

}  // namespace

int cmd_history(int argc, char** argv) {
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "import") return history_import(argc, argv);
  if (sub == "export") return history_export(argc, argv);
  if (sub == "list") return history_list(argc, argv);
  if (sub == "judge") return history_judge(argc, argv);
  if (sub == "noise") return history_noise(argc, argv);
  if (sub == "power") return history_power(argc, argv);
  if (sub == "--help" || sub == "-h") {
    std::cout << "usage: ptebench history import FILE.csv... --history DB\n"
                 "       ptebench history export --history DB [--run ID] --out F.csv\n"
                 "       ptebench history list --history DB\n"
                 "       ptebench history judge --history H [flags]\n"
                 "       ptebench history noise --history H [flags]\n"
                 "       ptebench history power --history H --case NAME [flags]\n";
    return 0;
  }
  throw InputError("ptebench history: expected import, export, list, judge, noise or power, got '" +
                   sub + "'");
}

}  // namespace ptebench::cli
