#include "harness/nightly_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "harness/rerun_levels.h"
#include "harness/results_writer.h"

namespace ptebench::nightly {
namespace {

std::string percent(double ratio) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f%%", (ratio - 1) * 100);
  return text;
}

std::string change_cell(const CaseJudgement& j) {
  return percent(j.ratio) + " [" + percent(j.ratio_low) + ", " + percent(j.ratio_high) + "]";
}

// The p of a case, and when it was confirmed by replication the p of tonight alone (when nights
// after one that stayed noisy left it a suspect, how many).
std::string p_text(const CaseJudgement& j) {
  char p[32];
  std::snprintf(p, sizeof p, "%.2g", j.p);
  std::string out = p;
  if (const std::string replication = replication_text(j); !replication.empty())
    out += " (" + replication + ")";
  if (j.after_noisy_nights > 0) out += " (" + after_noisy_text(j) + ")";
  return out;
}

int rank(State s) {
  switch (s) {
    case State::regression:
      return 0;
    case State::improvement:
      return 1;
    case State::suspect:
      return 2;
    case State::collecting:
      return 3;
    case State::stable:
      return 4;
  }
  return 5;
}

// The night a change starts at: its run id.
std::string split_night(const NightReport& r, const JudgedCase& c) {
  const std::size_t k = c.judgement.split;
  if (k >= c.series->nights.size()) return "tonight";
  const std::size_t night = c.series->nights[k];
  return night + 1 == r.night_ids.size() ? "tonight" : r.night_ids[night];
}

// The re-runs as a change against the reference nights, e.g. "3: +4.8%".
std::string reruns_cell(const JudgedCase& c) {
  if (c.reruns.empty()) return "-";
  double mean = 0;
  for (const double l : c.reruns) mean += l;
  mean /= static_cast<double>(c.reruns.size());
  return std::to_string(c.reruns.size()) + ": " +
         percent(std::exp(mean - c.judgement.before_level));
}

std::string case_of(const JudgedCase& c) {
  return results::case_name(c.series->key);
}

}  // namespace

std::string replication_text(const CaseJudgement& j) {
  if (!j.replicated) return not_replicated_text(j.not_replicated, j.replicate_p);
  char text[64];
  std::snprintf(text, sizeof text, "replicated: tonight alone p %.2g", j.replicate_p);
  return text;
}

std::string stable_suspects_line(const NightReport& r) {
  std::string line;
  for (const JudgedCase& c : r.cases) {
    const CaseJudgement& j = c.judgement;
    if (j.state != State::stable || j.not_replicated == NotReplicated::none) continue;
    line += (line.empty() ? "" : "; ") + case_of(c) + " " + c.series->metric + " " +
            change_cell(j) + " p " + p_text(j);
  }
  return line.empty() ? "" : "last night's suspects stable tonight: " + line;
}

std::string widening_text(double scale) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", scale);
  return text;
}

std::string measures_line(const NightReport& r) {
  if (r.measure_nulls.size() < 2) return "";
  const auto widening = widening_text;
  std::string all;
  for (const double s : r.measure_nulls) all += (all.empty() ? "" : ", ") + widening(s);
  std::string aside;
  for (const std::string& p : r.measures_set_aside) aside += (aside.empty() ? "" : ", ") + p;
  return "tonight's run was noisy (the one-night split's null widened " +
         widening(r.measure_nulls.front()) + ", above " + widening(r.noisy_bound) + "): measured " +
         std::to_string(r.measure_nulls.size()) + " times in all" +
         (r.measure_wait_s > 0 ? ", " + std::to_string(r.measure_wait_s) + " s apart" : "") + " (" +
         all + "); the night is measure " + std::to_string(r.measure_chosen + 1) + ", the calmest" +
         (aside.empty() ? std::string() : "; set aside: " + aside);
}

// Tonight's night (the calmest measure) still above the bound: the next night will not count
// toward a change tonight is part of (JudgeOptions::noisy_bound); empty otherwise, and while
// collecting history.
std::string stayed_noisy_line(const NightReport& r) {
  if (r.night.collecting || r.measure_nulls.size() <= r.measure_chosen || !(r.noisy_bound > 0))
    return "";
  const double night = r.measure_nulls[r.measure_chosen];
  if (!(night > r.noisy_bound) || !std::isfinite(night)) return "";
  const std::size_t measures = r.measure_nulls.size();
  return "tonight stayed noisy (" + widening_text(night) + " after " + std::to_string(measures) +
         (measures == 1 ? " measure" : " measures") + ", above " + widening_text(r.noisy_bound) +
         "): its state may last into the next night, which then does not count toward a change "
         "tonight is part of (a change is confirmed with " +
         std::to_string(r.options.confirm_nights) +
         " nights after it that do not follow a noisy one; a suspect of tonight is replicated "
         "tomorrow only on a calm night)";
}

void write_night_report(std::ostream& out, const NightReport& r, const bool markdown) {
  const std::string_view gap = markdown ? "\n" : "";
  const std::size_t history = r.night_ids.empty() ? 0 : r.night_ids.size() - 1;
  if (markdown)
    out << "## Against the history: " << r.night.headline() << "\n\n";
  else
    out << "against the history: " << r.night.headline() << "\n";
  out << "- " << history << " nights before tonight"
      << (r.since_run.empty() ? std::string(" (the latest of the history)")
                              : " (since the baseline run " + r.since_run + ")")
      << "; each case's level a night = median log value, the night's common factor removed "
         "(leave-one-out median over cases, times the case's loading)"
      << (r.options.further_factors == 0
              ? std::string()
              : " and " + std::to_string(r.options.further_factors) + " further factor" +
                    (r.options.further_factors == 1 ? "" : "s") +
                    " (leave-one-out principal components)")
      << "; a change = a split of the series tested with a t test, Bonferroni over the splits, p < "
      << results::format_double(r.options.alpha)
      << " and >= " << results::format_double(r.options.threshold_pct) << "%; confirmed after "
      << r.options.confirm_nights << " nights on its side, judged again with re-runs"
      << (r.options.replicate_alpha > 0
              ? ", or when a suspect of last night is replicated by tonight alone against the "
                "same reference (p < " +
                    results::format_double(r.options.replicate_alpha) +
                    ", Bonferroni over last night's suspects)"
              : std::string())
      << "\n"
      << gap;
  if (r.night.null_scale > 1) {
    out << "- many cases moved tonight: the cases' nulls widened up to "
        << widening_text(r.night.null_scale)
        << " (Efron's empirical null of each split's z over the night's cases)\n"
        << gap;
  }
  if (const std::string measured = measures_line(r); !measured.empty())
    out << "- " << measured << "\n" << gap;
  if (const std::string noisy = stayed_noisy_line(r); !noisy.empty())
    out << "- " << noisy << "\n" << gap;
  if (const std::string whole = whole_run_line(r); !whole.empty())
    out << "- " << whole << "\n" << gap;
  if (r.rerun_cases > 0) {
    out << "- re-ran " << r.rerun_cases << (r.rerun_cases == 1 ? " case" : " cases") << " in "
        << r.rerun_processes << " fresh processes before deciding\n"
        << gap;
  }
  std::vector<const JudgedCase*> listed;
  for (const JudgedCase& c : r.cases)
    if (c.judgement.state != State::stable && c.judgement.state != State::collecting)
      listed.push_back(&c);
  std::stable_sort(listed.begin(), listed.end(), [](const JudgedCase* a, const JudgedCase* b) {
    return rank(a->judgement.state) < rank(b->judgement.state);
  });
  const std::size_t rest = r.cases.size() - listed.size();
  if (!listed.empty()) {
    if (markdown) {
      out << "| case | metric | state | change [95%] | p | since | nights after | re-runs |\n"
          << "|---|---|---|---:|---:|---|---:|---|\n";
    }
    for (const JudgedCase* c : listed) {
      const CaseJudgement& j = c->judgement;
      const std::string p = p_text(j);
      const std::string state(state_name(j.state));
      if (markdown) {
        out << "| " << case_of(*c) << " | " << c->series->metric << " | "
            << (j.state == State::regression ? "**" + state + "**" : state) << " | "
            << change_cell(j) << " | " << p << " | " << split_night(r, *c) << " | "
            << j.nights_after << " | " << reruns_cell(*c) << " |\n";
      } else {
        out << "  " << state << "  " << case_of(*c) << " " << c->series->metric << " "
            << change_cell(j) << " p " << p << ", since " << split_night(r, *c) << ", "
            << j.nights_after << (j.nights_after == 1 ? " night" : " nights") << ", re-runs "
            << reruns_cell(*c) << "\n";
      }
    }
    out << gap;
  }
  if (const std::string stable = stable_suspects_line(r); !stable.empty())
    out << "- " << stable << "\n" << gap;
  out << (markdown ? "" : "  ") << rest << (rest == 1 ? " case" : " cases")
      << (r.night.collecting ? " collecting history" : " stable") << "\n"
      << gap;
}

std::vector<junit::TestCase> testcases(const NightReport& r) {
  std::vector<junit::TestCase> out;
  for (const JudgedCase& c : r.cases) {
    const CaseJudgement& j = c.judgement;
    junit::TestCase t{case_of(c), c.series->metric, "", junit::Outcome::pass};
    const std::string detail = change_cell(j) + " since " + split_night(r, c);
    // Replicated, or a suspect of last night and why not (replication_text); empty otherwise.
    const std::string replication = replication_text(j);
    const std::string why = replication.empty() ? "" : " (" + replication + ")";
    switch (j.state) {
      case State::regression:
        t.outcome = junit::Outcome::failure;
        t.message = "confirmed regression: " + detail + why;
        break;
      case State::improvement:
        t.message = "confirmed improvement: " + detail + why;
        break;
      case State::suspect:
        t.outcome = junit::Outcome::skipped;
        t.message = "suspect: " + detail + "; confirmed only after " +
                    std::to_string(r.options.confirm_nights) + " nights" +
                    (j.after_noisy_nights > 0 ? " (" + after_noisy_text(j) + ")" : "") + why;
        break;
      case State::collecting:
        t.outcome = junit::Outcome::skipped;
        t.message = "collecting history: " + r.night.headline();
        break;
      case State::stable:
        // A suspect of last night: what became of it.
        t.message = why.empty() ? "stable" : "stable: " + detail + why;
        break;
    }
    out.push_back(std::move(t));
  }
  return out;
}

void judge_whole_run(NightReport& report, const std::vector<CaseSeries>& series,
                     const std::string& metric) {
  const std::vector<double> levels = whole_run_levels(series, metric, report.night_ids.size());
  report.whole_run_judged = !levels.empty();
  if (report.whole_run_judged) report.whole_run = judge_case(levels, {}, report.options);
}

std::string whole_run_line(const NightReport& report) {
  const CaseJudgement& w = report.whole_run;
  if (!report.whole_run_judged || w.state == State::collecting) return "";
  char change[96];
  std::snprintf(change, sizeof change, "%+.1f%% [%+.1f%%, %+.1f%%]", (w.ratio - 1) * 100,
                (w.ratio_low - 1) * 100, (w.ratio_high - 1) * 100);
  if (w.state == State::stable) return std::string("whole run stable (") + change + ")";
  const std::string over =
      std::to_string(w.nights_after) + (w.nights_after == 1 ? " night" : " nights");
  const std::string what = w.state == State::suspect ? "a suspect" : "confirmed as a change";
  return std::string("whole run ") + change + " over " + over + ", " + what +
         " (the machine's state, or a change of every case, which the cases' own series do not "
         "show: not an alarm; `ptebench ab` of this build against the last one tells them "
         "apart)";
}

std::vector<LastNightSuspect> last_night_suspects(
    std::span<const std::vector<results::Row>* const> nights,
    const std::vector<std::string>& metrics, const JudgeOptions& options,
    const std::vector<CaseSeries>& series) {
  std::vector<LastNightSuspect> out(series.size());
  if (options.replicate_alpha <= 0 || nights.size() < 2) return out;
  const std::span<const std::vector<results::Row>* const> before = nights.first(nights.size() - 1);
  const std::size_t begin =
      before.size() > options.window + 1 ? before.size() - options.window - 1 : 0;
  const std::vector<CaseSeries> last =
      build_series(before.subspan(begin), metrics, options.max_after, options.further_factors);
  std::vector<std::vector<double>> levels;
  for (const CaseSeries& s : last) levels.push_back(s.levels);
  const NightJudgement judged = judge_night(levels, {}, options);
  std::map<std::pair<results::CaseKey, std::string>, LastNightSuspect> by_case;
  for (std::size_t c = 0; c < last.size(); ++c) {
    const CaseJudgement& j = judged.cases[c];
    if (j.state == State::suspect || j.state == State::regression || j.state == State::improvement)
      by_case[{last[c].key, last[c].metric}] = {j.nights_after, j.ratio};
  }
  for (std::size_t c = 0; c < series.size(); ++c) {
    const auto it = by_case.find({series[c].key, series[c].metric});
    if (it != by_case.end()) out[c] = it->second;
  }
  return out;
}

NightReport replay_night(std::span<const std::vector<results::Row>* const> nights,
                         std::span<const std::string> night_ids, const std::string& metric,
                         const JudgeOptions& options, std::vector<CaseSeries>& series,
                         std::span<const std::vector<results::Row>> reruns) {
  const std::size_t begin =
      nights.size() > options.window + 1 ? nights.size() - options.window - 1 : 0;
  NightReport report;
  report.options = options;
  report.night_ids.assign(night_ids.begin() + static_cast<std::ptrdiff_t>(begin), night_ids.end());
  series =
      build_series(nights.subspan(begin), {metric}, options.max_after, options.further_factors);
  const std::vector<LastNightSuspect> last =
      last_night_suspects(nights.subspan(begin), {metric}, options, series);
  // With kept re-runs, the first judgement's candidates judged again with their levels in them.
  const RerunJudgement judged = judge_with_reruns(
      series, options, last, night_nulls(nights.subspan(begin), {metric}, options),
      [&](const std::vector<std::size_t>&) {
        return std::optional<std::vector<std::vector<results::Row>>>(std::in_place, reruns.begin(),
                                                                     reruns.end());
      });
  report.night = judged.night;
  report.rerun_processes = judged.processes;
  report.rerun_cases = judged.cases;
  for (std::size_t c = 0; c < series.size(); ++c)
    report.cases.push_back({&series[c], report.night.cases[c], judged.levels[c]});
  judge_whole_run(report, series, metric);
  return report;
}

std::optional<double> tonight_null_scale(std::span<const std::vector<results::Row>* const> nights,
                                         const std::vector<std::string>& metrics,
                                         const JudgeOptions& options) {
  const std::vector<CaseSeries> series =
      build_series(nights, metrics, options.max_after, options.further_factors);
  std::vector<std::vector<double>> levels;
  for (const CaseSeries& s : series) levels.push_back(s.levels);
  const NightJudgement night = judge_night(levels, {}, options);
  if (night.collecting || night.null_scales.empty()) return std::nullopt;
  return night.null_scales.front();
}

std::vector<double> night_nulls(std::span<const std::vector<results::Row>* const> nights,
                                const std::vector<std::string>& metrics,
                                const JudgeOptions& options) {
  std::vector<double> out(nights.size(), std::nan(""));
  if (options.noisy_bound <= 0) return out;
  const std::size_t n = nights.size();
  for (std::size_t k = n > options.max_after ? n - options.max_after : 0; k < n; ++k) {
    const std::size_t begin = k > options.window ? k - options.window : 0;
    if (const auto scale =
            tonight_null_scale(nights.subspan(begin, k + 1 - begin), metrics, options))
      out[k] = *scale;
  }
  return out;
}

std::string after_noisy_text(const CaseJudgement& j) {
  if (j.after_noisy_nights == 0) return "";
  return std::to_string(j.after_noisy_nights) + " of " + std::to_string(j.nights_after) +
         (j.nights_after == 1 ? " night" : " nights") + " after followed a night that stayed noisy";
}

}  // namespace ptebench::nightly
