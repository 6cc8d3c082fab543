// `ptebench report`: one self-contained HTML page over a history (inline SVG and CSS; no
// script, no external resource), for people to look at. For one metric (default ns_per_pte),
// per case group (a case without its variant):
//  - the trend: the median of each run, one line per variant, over the runs in start order,
//    with its noise band and the change points found (below);
//  - the variant ratios read_once/plain and arch/plain of the run medians over time;
//  - the latest run's distribution: every repetition's value per variant, and its median.
// Which groups are flagged (shown first, then the others by name):
//  - given nightly's judgement of the latest night (set_judgement: nightly passes its own, `report`
//    replays it as `history judge` does), a group whose case is a suspect, a confirmed regression
//    or an improvement there: one rule for the page, the Markdown and the exit status. The band
//    and the change points below are still drawn, and decide nothing;
//  - otherwise, a group with a change point, or whose latest median lies outside its band.
//
// Noise band of a series of run medians m_1..m_n: median(m) ± kBandSigmas * 1.4826 * MAD(m)
// over the last kWindowRuns runs (a robust "normal range" of recent nights).
// Change points (a simple detector, no library): at run i, L = the up to kWindowRuns medians
// before i, R = the up to kWindowRuns from i on, each with at least kMinSide; the score is
// |median(R) - median(L)| / sigma, sigma the largest of: 1.4826 * the pooled MAD of L and R
// around their own medians, the run-to-run noise of the whole series (1.4826 * median of
// |m_i - m_(i-1)| / sqrt 2, which a single step hardly moves) and 0.1% of median(L); i is a
// change point when the score is at least kChangeSigmas, the relative step at least
// kMinStepPct, run i-1 is nearer median(L) and run i nearer median(R), and no run within
// kWindowRuns of it scores higher.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/nightly_report.h"
#include "harness/results_row.h"

namespace ptebench::html {

inline constexpr std::size_t kWindowRuns = 8;
inline constexpr std::size_t kMinSide = 4;
inline constexpr double kBandSigmas = 3;
inline constexpr double kChangeSigmas = 4;
inline constexpr double kMinStepPct = 2;

// Change points of a series (indices i as above), ascending.
std::vector<std::size_t> change_points(const std::vector<double>& series);

struct Band {
  double low, mid, high;
};
Band noise_band(const std::vector<double>& series);

// One case's state in nightly's judgement (harness/nightly_judge.h): not stable.
struct JudgedChange {
  std::string state;  // "suspect", "regression" or "improvement"
  double ratio = 1, ratio_low = 1, ratio_high = 1;
};

struct ReportOptions {
  std::string metric = "ns_per_pte";
  std::string title = "ptebench history";
  // The runs drawn: those of this host and suite; one not given (empty) is that of the latest
  // run (in start order) of those that match the other and hold the metric
  // (harness/run_choice.h). A fleet's history holds several machines' runs of the same cases:
  // drawn as one series, one host's level would read as another's change.
  std::string host, suite;
  // Runs of other hosts or suites that the caller did not add (a database's, left unread once
  // its runs table named the host and suite drawn): counted, and named, with those left out.
  std::size_t unread_runs = 0;
  std::vector<std::string> unread_others;  // "host, suite S"
  // Set by set_judgement: then only `judged` flags a group.
  bool has_judgement = false;
  std::string judged_run, judged_headline;     // the night judged; "2 suspects", "stable", ...
  std::map<std::string, JudgedChange> judged;  // case name (results::case_name) -> its change
};

// Takes the night's judgement of options.metric into `options` (its cases not stable).
void set_judgement(ReportOptions& options, const nightly::NightReport& report);

// Collects rows of many runs (streamed; only `metric`'s values are kept) and renders the page.
class ReportBuilder {
 public:
  explicit ReportBuilder(ReportOptions options);
  ~ReportBuilder();
  void add(const results::Row& row);
  // The page. Runs are ordered by started_utc, then by first appearance.
  std::string html() const;
  // Which runs the page draws (options.host and suite, or the latest run's) and how many runs of
  // other hosts or suites it leaves out, and which ("host, suite S" each, once, sorted).
  struct Drawn {
    std::string host, suite;
    std::size_t runs = 0, left_out = 0;
    std::vector<std::string> others;
  };
  Drawn drawn() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// How many groups a page made by ReportBuilder::html() flags (the CLI's log line counts the page
// it has written, not one rendered again; the tests, the page they rendered).
std::size_t flagged_groups(std::string_view page);

}  // namespace ptebench::html
