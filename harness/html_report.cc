#include "harness/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

#include "harness/junit.h"
#include "harness/run_choice.h"
#include "harness/stats.h"

namespace ptebench::html {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string esc(std::string_view s) {
  return junit::xml_escape(s);
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}
std::string num1(double v) {  // SVG coordinates
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}
std::string pct(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.1f", v);
  return buf;
}

double med(std::vector<double> v) {
  return stats::median(v);
}

// Robust sigma of values around their own median, NaN for none.
double pooled_sigma(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> dev;
  const double ma = med(a), mb = med(b);
  for (double x : a) dev.push_back(std::fabs(x - ma));
  for (double x : b) dev.push_back(std::fabs(x - mb));
  return stats::kMadToSigma * med(dev);
}

const char* variant_color(std::string_view variant) {
  if (variant == "plain") return "#1f77b4";
  if (variant == "read_once") return "#ff7f0e";
  if (variant == "arch") return "#2ca02c";
  return "#9467bd";
}

// A plot area and its scales.
struct Frame {
  double width = 560, height = 190, left = 64, right = 12, top = 12, bottom = 30;
  double x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  double x(double v) const {
    const double span = x_max > x_min ? x_max - x_min : 1;
    return left + (v - x_min) / span * (width - left - right);
  }
  double y(double v) const {
    const double span = y_max > y_min ? y_max - y_min : 1;
    return height - bottom - (v - y_min) / span * (height - top - bottom);
  }
  void fit_y(const std::vector<double>& values) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : values)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi == lo) hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1), lo -= (hi - lo);
    const double pad = (hi - lo) * 0.08;
    y_min = lo - pad;
    y_max = hi + pad;
  }
  std::string open(std::string_view label) const {
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) +
                    "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " +
                    num(height) + "\" role=\"img\" aria-label=\"" + esc(label) + "\">";
    // Axes and the y range.
    s += "<path class=\"axis\" d=\"M" + num(left) + " " + num(top) + "V" + num(height - bottom) +
         "H" + num(width - right) + "\"/>";
    s += "<text x=\"" + num(left - 4) + "\" y=\"" + num(y(y_max) + 4) + "\" text-anchor=\"end\">" +
         num(y_max) + "</text>";
    s += "<text x=\"" + num(left - 4) + "\" y=\"" + num(y(y_min)) + "\" text-anchor=\"end\">" +
         num(y_min) + "</text>";
    return s;
  }
};

std::string polyline(const Frame& f, const std::vector<std::pair<double, double>>& pts,
                     const std::string& attrs) {
  if (pts.empty()) return "";
  std::string d;
  for (const auto& [x, y] : pts) d += (d.empty() ? "M" : "L") + num1(f.x(x)) + " " + num1(f.y(y));
  // A single point is a dot: a zero-length line with round caps.
  if (pts.size() == 1) d += "h0.01";
  return "<path d=\"" + d + "\" " + attrs + "/>";
}

}  // namespace

Band noise_band(const std::vector<double>& series) {
  if (series.empty()) return {kNaN, kNaN, kNaN};
  const std::size_t from = series.size() > kWindowRuns ? series.size() - kWindowRuns : 0;
  const std::vector<double> window(series.begin() + static_cast<std::ptrdiff_t>(from),
                                   series.end());
  const double mid = med(window);
  const double spread = kBandSigmas * stats::mad_sigma(window);
  return {mid - spread, mid, mid + spread};
}

std::vector<std::size_t> change_points(const std::vector<double>& series) {
  const std::size_t n = series.size();
  std::vector<double> score(n, 0);
  // The run-to-run noise of the whole series: the robust spread of successive differences
  // (divided by sqrt 2: a difference has twice a value's variance). A step is one difference,
  // so it barely moves this median, while runs that alternate between levels (a noisy VM)
  // raise it, where the windows' own MAD alone would call each alternation a change.
  std::vector<double> diffs;
  for (std::size_t i = 1; i < n; ++i) diffs.push_back(std::fabs(series[i] - series[i - 1]));
  const double run_noise = diffs.empty() ? 0 : stats::kMadToSigma * med(diffs) / std::sqrt(2.0);
  for (std::size_t i = kMinSide; i + kMinSide <= n; ++i) {
    const std::size_t lo = i >= kWindowRuns ? i - kWindowRuns : 0;
    const std::size_t hi = std::min(n, i + kWindowRuns);
    const std::vector<double> left(series.begin() + static_cast<std::ptrdiff_t>(lo),
                                   series.begin() + static_cast<std::ptrdiff_t>(i));
    const std::vector<double> right(series.begin() + static_cast<std::ptrdiff_t>(i),
                                    series.begin() + static_cast<std::ptrdiff_t>(hi));
    const double ml = med(left), mr = med(right);
    const double step = std::fabs(mr - ml);
    if (ml == 0 || step / std::fabs(ml) * 100 < kMinStepPct) continue;
    // The boundary itself: the last run before i is nearer the old level, run i nearer the
    // new one (otherwise the windows' medians would put the change a run early or late).
    if (std::fabs(left.back() - ml) > std::fabs(left.back() - mr) ||
        std::fabs(right.front() - mr) > std::fabs(right.front() - ml))
      continue;
    // A floor on the noise (0.1% of the level) so that a perfectly flat history does not
    // divide by zero and any step counts.
    const double sigma = std::max({pooled_sigma(left, right), run_noise, std::fabs(ml) * 1e-3});
    score[i] = step / sigma;
  }
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (score[i] < kChangeSigmas) continue;
    bool best = true;
    for (std::size_t j = i >= kWindowRuns ? i - kWindowRuns : 0;
         j < std::min(n, i + kWindowRuns + 1); ++j)
      if (j != i && (score[j] > score[i] || (score[j] == score[i] && j < i))) best = false;
    if (best) out.push_back(i);
  }
  return out;
}

void set_judgement(ReportOptions& options, const nightly::NightReport& report) {
  options.has_judgement = true;
  options.judged_run = report.night_ids.empty() ? "" : report.night_ids.back();
  options.judged_headline = report.night.headline();
  options.judged.clear();
  for (const nightly::JudgedCase& c : report.cases) {
    if (c.series == nullptr || c.series->metric != options.metric) continue;
    const nightly::State st = c.judgement.state;
    if (st == nightly::State::stable || st == nightly::State::collecting) continue;
    options.judged[results::case_name(c.series->key)] = {std::string(nightly::state_name(st)),
                                                         c.judgement.ratio, c.judgement.ratio_low,
                                                         c.judgement.ratio_high};
  }
}

struct ReportBuilder::State {
  ReportOptions options;
  struct Run {
    std::size_t first_seen;
    std::string started_utc, host, suite;
    bool holds_metric = false;  // a value of options.metric
  };
  using RunRef = std::pair<std::string, const Run*>;  // run_id, its run
  // The runs drawn (harness/run_choice.h), in start order; *left_out: the runs of other hosts or
  // suites.
  std::vector<RunRef> drawn_runs(LeftOut* left_out) const;
  std::map<std::string, Run> runs;  // every run a row was added of
  Run* last_run = nullptr;          // the run of the last row added (rows come run by run)
  std::string last_run_id;
  // (codegen, workload, pte_format, layout, ptes) -> variant -> run_id -> values
  using GroupKey = std::tuple<std::string, std::string, std::string, std::string, std::uint64_t>;
  std::map<GroupKey, std::map<std::string, std::map<std::string, std::vector<double>>>> groups;
  std::string unit;
};

ReportBuilder::ReportBuilder(ReportOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}
ReportBuilder::~ReportBuilder() = default;

void ReportBuilder::add(const results::Row& row) {
  State& s = *state_;
  // Every row's run is known, so that the runs of other hosts or suites are counted whatever
  // they hold, as a database's runs table counts them.
  if (s.last_run == nullptr || row.run_id != s.last_run_id) {
    s.last_run = &s.runs
                      .try_emplace(row.run_id,
                                   State::Run{s.runs.size(), row.started_utc, row.host, row.suite})
                      .first->second;
    s.last_run_id = row.run_id;
  }
  if (row.metric != s.options.metric) return;
  s.last_run->holds_metric = true;
  s.unit = row.unit;
  s.groups[{row.codegen, row.workload, row.pte_format, row.layout, row.ptes}][row.variant]
          [row.run_id]
              .push_back(row.value);
}

namespace {

struct VariantSeries {
  std::string variant;
  std::vector<std::size_t> at;  // run positions
  std::vector<double> medians;
  std::vector<std::size_t> changes;  // indices into medians
  Band band{};
  bool latest_outside = false;
};

struct GroupView {
  std::string name, anchor;
  // variant -> run_id -> values, of this group
  const std::map<std::string, std::map<std::string, std::vector<double>>>* data = nullptr;
  std::vector<VariantSeries> variants;
  bool flagged = false;
  std::string why;
};

}  // namespace

std::size_t flagged_groups(std::string_view page) {
  constexpr std::string_view kFlagged = "class=\"group flagged\"";
  std::size_t n = 0;
  for (auto pos = page.find(kFlagged); pos != std::string_view::npos;
       pos = page.find(kFlagged, pos + 1))
    ++n;
  return n;
}

std::vector<ReportBuilder::State::RunRef> ReportBuilder::State::drawn_runs(
    LeftOut* left_out) const {
  std::vector<RunRef> seen(runs.size());  // in the order first seen
  for (const auto& [id, run] : runs) seen[run.first_seen] = {id, &run};
  std::vector<RunHeader> headers;
  headers.reserve(seen.size());
  for (const RunRef& r : seen)
    headers.push_back({r.second->started_utc, r.second->host, r.second->suite});
  const std::vector<std::size_t> order = start_order(headers);
  const std::optional<std::size_t> latest =
      latest_drawn(headers, order, options.host, options.suite,
                   [&](std::size_t i) { return seen[i].second->holds_metric; });
  left_out->runs = options.unread_runs;
  left_out->others.insert(options.unread_others.begin(), options.unread_others.end());
  if (!latest && options.host.empty() && options.suite.empty())
    return {};  // no run holds the metric: nothing to draw, nothing left out
  const std::string& host = latest ? seen[*latest].second->host : options.host;
  const std::string& suite = latest ? seen[*latest].second->suite : options.suite;
  std::vector<RunRef> drawn;
  for (std::size_t i : order) {
    const Run& r = *seen[i].second;
    if (r.host != host || r.suite != suite)
      left_out->add(r.host, r.suite);
    else if (r.holds_metric)
      drawn.push_back(seen[i]);
  }
  return drawn;
}

ReportBuilder::Drawn ReportBuilder::drawn() const {
  Drawn d;
  LeftOut left_out;
  const std::vector<State::RunRef> runs = state_->drawn_runs(&left_out);
  d.runs = runs.size();
  d.left_out = left_out.runs;
  d.others.assign(left_out.others.begin(), left_out.others.end());
  if (!runs.empty()) {
    d.host = runs.back().second->host;
    d.suite = runs.back().second->suite;
  } else {
    d.host = state_->options.host;
    d.suite = state_->options.suite;
  }
  return d;
}

std::string ReportBuilder::html() const {
  const State& s = *state_;
  // The runs drawn, in start order.
  LeftOut left_out_runs;
  const std::vector<State::RunRef> runs = s.drawn_runs(&left_out_runs);
  const std::size_t left_out = left_out_runs.runs;
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < runs.size(); ++i) position[runs[i].first] = i;
  const std::string latest = runs.empty() ? "" : runs.back().first;

  std::vector<GroupView> views;
  for (const auto& [key, variants] : s.groups) {
    GroupView g;
    const auto& [codegen, workload, pte_format, layout, ptes] = key;
    g.name =
        workload + "/" + pte_format + "/*/" + layout + "/" + std::to_string(ptes) + "/" + codegen;
    g.anchor = "g" + std::to_string(views.size());
    g.data = &variants;
    for (const auto& [variant, by_run] : variants) {
      VariantSeries v;
      v.variant = variant;
      std::vector<std::pair<std::size_t, double>> points;
      for (const auto& [run_id, values] : by_run)
        if (const auto at = position.find(run_id); at != position.end())
          points.emplace_back(at->second, med(values));
      if (points.empty()) continue;  // a variant of other hosts' or suites' runs only
      std::sort(points.begin(), points.end());
      for (const auto& [at, m] : points) v.at.push_back(at), v.medians.push_back(m);
      v.changes = change_points(v.medians);
      // The band of the runs before the latest, so that the latest can fall outside it.
      const bool has_latest = !v.at.empty() && v.at.back() + 1 == runs.size();
      std::vector<double> before = v.medians;
      if (has_latest && before.size() > kMinSide) before.pop_back();
      v.band = noise_band(before);
      v.latest_outside = has_latest && v.medians.size() > kMinSide &&
                         (v.medians.back() < v.band.low || v.medians.back() > v.band.high);
      const auto add_why = [&g](const std::string& why) {
        g.flagged = true;
        g.why += (g.why.empty() ? "" : "; ") + why;
      };
      if (s.options.has_judgement) {
        const results::CaseKey case_key{codegen, workload, pte_format, variant, layout, ptes};
        if (const auto it = s.options.judged.find(results::case_name(case_key));
            it != s.options.judged.end()) {
          const JudgedChange& j = it->second;
          add_why(variant + ": nightly " + j.state + " " + pct(100 * (j.ratio - 1)) + "% [" +
                  pct(100 * (j.ratio_low - 1)) + "%, " + pct(100 * (j.ratio_high - 1)) + "%]");
        }
      } else {
        if (!v.changes.empty())
          add_why(variant + ": " + std::to_string(v.changes.size()) +
                  (v.changes.size() == 1 ? " change point" : " change points"));
        if (v.latest_outside) add_why(variant + ": latest run outside the band");
      }
      g.variants.push_back(std::move(v));
    }
    if (!g.variants.empty()) views.push_back(std::move(g));
  }
  std::stable_sort(views.begin(), views.end(),
                   [](const GroupView& a, const GroupView& b) { return a.flagged > b.flagged; });

  const std::string& metric = s.options.metric;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
       esc(s.options.title) +
       "</title>\n<style>\n"
       "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
       "h2{font-size:1.05em;margin:0 0 .3em}"
       ".group{border:1px solid #ccc;border-radius:4px;padding:.6em;margin:.8em 0}"
       ".flagged{border-color:#d62728;background:#fff6f6}"
       ".why{color:#d62728}.plots{display:flex;flex-wrap:wrap;gap:8px}"
       "svg{background:#fff;border:1px solid #eee}svg text{font-size:10px;fill:#444}"
       ".axis{stroke:#888;fill:none}.band{stroke:none;opacity:.15}"
       ".series{fill:none;stroke-width:1.6;stroke-linecap:round}"
       ".cp{stroke:#d62728;stroke-dasharray:3 2}.one{stroke:#888;stroke-dasharray:2 2}"
       ".legend span{margin-right:1em}table{border-collapse:collapse}"
       "td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}\n"
       "</style></head><body>\n";
  std::size_t flagged = 0;
  for (const auto& g : views) flagged += g.flagged;
  h += "<h1>" + esc(s.options.title) + "</h1>\n<p>Metric <b>" + esc(metric) + "</b> (" +
       esc(s.unit) + "), " + std::to_string(runs.size()) + " runs";
  if (!runs.empty())
    h += " from " + esc(runs.front().second->started_utc) + " to " +
         esc(runs.back().second->started_utc) + " (latest: " + esc(latest) + ", host " +
         esc(runs.back().second->host) + ", suite " + esc(runs.back().second->suite) + ")";
  if (left_out > 0)
    h += "; " + std::to_string(left_out) + (left_out == 1 ? " run" : " runs") +
         " of other hosts or suites not drawn";
  h += ". " + std::to_string(views.size()) + " case groups, <b>" + std::to_string(flagged) +
       " flagged</b> (" +
       (s.options.has_judgement
            ? "nightly's judgement of " + esc(s.options.judged_run) + ": " +
                  esc(s.options.judged_headline) +
                  "; suspects, regressions and improvements, against the nights before it"
            : std::string("a change point, or the latest run outside the noise band")) +
       "), shown first.</p>\n<p class=\"legend\">";
  for (const char* v : {"plain", "read_once", "arch"})
    h += std::string("<span style=\"color:") + variant_color(v) + "\">&#9632; " + v + "</span>";
  h += "<span>band: median &#177; " + num(kBandSigmas) + "&#183;1.4826&#183;MAD of the last " +
       std::to_string(kWindowRuns) + " runs; red dashes: change points</span></p>\n";
  if (flagged > 0) {
    h += "<table><tr><th>flagged case group</th><th>why</th></tr>\n";
    for (const auto& g : views)
      if (g.flagged)
        h += "<tr><td><a href=\"#" + g.anchor + "\">" + esc(g.name) + "</a></td><td>" + esc(g.why) +
             "</td></tr>\n";
    h += "</table>\n";
  }

  const double last_x = runs.empty() ? 1 : static_cast<double>(runs.size() - 1);
  for (const auto& g : views) {
    h += "<section id=\"" + g.anchor + "\" class=\"group" + (g.flagged ? " flagged" : "") +
         "\"><h2>" + esc(g.name) + "</h2>";
    if (g.flagged) h += "<div class=\"why\">" + esc(g.why) + "</div>";
    h += "<div class=\"plots\">";
    // Trend with bands and change points.
    {
      Frame f;
      f.x_max = std::max(last_x, 1.0);
      std::vector<double> ys;
      for (const auto& v : g.variants) {
        ys.insert(ys.end(), v.medians.begin(), v.medians.end());
        ys.push_back(v.band.low);
        ys.push_back(v.band.high);
      }
      f.fit_y(ys);
      h += f.open("trend of " + g.name);
      for (const auto& v : g.variants) {
        if (!std::isfinite(v.band.low)) continue;
        const double y0 = f.y(std::max(v.band.high, f.y_min)),
                     y1 = f.y(std::max(v.band.low, f.y_min));
        h += "<path class=\"band\" fill=\"" + std::string(variant_color(v.variant)) + "\" d=\"M" +
             num(f.x(0)) + " " + num1(y0) + "H" + num(f.x(f.x_max)) + "V" +
             num1(std::min(y1, f.height - f.bottom)) + "H" + num(f.x(0)) + "Z\"><title>" +
             esc(v.variant) + " band " + num(v.band.low) + " .. " + num(v.band.high) +
             "</title></path>";
      }
      for (const auto& v : g.variants) {
        std::vector<std::pair<double, double>> pts;
        for (std::size_t i = 0; i < v.at.size(); ++i)
          pts.emplace_back(static_cast<double>(v.at[i]), v.medians[i]);
        h += polyline(f, pts,
                      "class=\"series\" stroke=\"" + std::string(variant_color(v.variant)) + "\"");
        for (std::size_t c : v.changes) {
          const double x = f.x(static_cast<double>(v.at[c]));
          const double before = c > 0 ? v.medians[c - 1] : v.medians[c];
          h += "<path class=\"cp\" d=\"M" + num1(x) + " " + num(f.top) + "V" +
               num(f.height - f.bottom) + "\"><title>" + esc(v.variant) + ": change at " +
               esc(runs[v.at[c]].first) + " (" + pct((v.medians[c] / before - 1) * 100) +
               "% from the run before)" + "</title></path>";
        }
      }
      if (!runs.empty()) {
        h += "<text x=\"" + num(f.left) + "\" y=\"" + num(f.height - 8) + "\">" +
             esc(runs.front().second->started_utc) + "</text>";
        h += "<text x=\"" + num(f.width - f.right) + "\" y=\"" + num(f.height - 8) +
             "\" text-anchor=\"end\">" + esc(runs.back().second->started_utc) + "</text>";
      }
      h += "</svg>";
    }
    // Variant ratios over time.
    {
      const VariantSeries* plain = nullptr;
      for (const auto& v : g.variants)
        if (v.variant == "plain") plain = &v;
      std::vector<std::pair<std::string, std::vector<std::pair<double, double>>>> ratios;
      if (plain != nullptr) {
        std::map<std::size_t, double> base;
        for (std::size_t i = 0; i < plain->at.size(); ++i) base[plain->at[i]] = plain->medians[i];
        for (const auto& v : g.variants) {
          if (&v == plain) continue;
          std::vector<std::pair<double, double>> pts;
          for (std::size_t i = 0; i < v.at.size(); ++i) {
            auto it = base.find(v.at[i]);
            if (it != base.end() && it->second != 0)
              pts.emplace_back(static_cast<double>(v.at[i]), v.medians[i] / it->second);
          }
          ratios.emplace_back(v.variant, std::move(pts));
        }
      }
      Frame f;
      f.x_max = std::max(last_x, 1.0);
      std::vector<double> ys = {1.0};
      for (const auto& [name, pts] : ratios)
        for (const auto& p : pts) ys.push_back(p.second);
      f.fit_y(ys);
      h += f.open("variant ratios of " + g.name);
      h += "<path class=\"one\" d=\"M" + num(f.left) + " " + num1(f.y(1)) + "H" +
           num(f.width - f.right) + "\"/>";
      for (const auto& [name, pts] : ratios)
        h += polyline(f, pts,
                      "class=\"series\" stroke=\"" + std::string(variant_color(name)) + "\"");
      h += "<text x=\"" + num(f.left + 4) + "\" y=\"" + num(f.top + 8) + "\">" +
           (plain != nullptr ? "ratio to plain (1 = dotted)" : "no plain variant: no ratios") +
           "</text></svg>";
    }
    // The latest run's distribution per variant.
    {
      const auto& by_variant = *g.data;
      Frame f;
      f.width = 320;
      f.left = 70;
      std::vector<double> xs;
      for (const auto& [variant, runs_of] : by_variant)
        if (auto it = runs_of.find(latest); it != runs_of.end())
          xs.insert(xs.end(), it->second.begin(), it->second.end());
      // Values along x: reuse fit_y, then swap the axes.
      f.fit_y(xs);
      f.x_min = f.y_min;
      f.x_max = f.y_max;
      std::string svg =
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"190\" "
          "viewBox=\"0 0 320 190\" role=\"img\" aria-label=\"latest run of " +
          esc(g.name) + "\"><path class=\"axis\" d=\"M70 12V160H308\"/>";
      svg += "<text x=\"70\" y=\"178\">" + num(f.x_min) +
             "</text><text x=\"308\" y=\"178\" "
             "text-anchor=\"end\">" +
             num(f.x_max) + "</text>";
      int row = 0;
      for (const auto& [variant, runs_of] : by_variant) {
        auto it = runs_of.find(latest);
        const double y = 30 + row++ * 40;
        svg += "<text x=\"64\" y=\"" + num(y + 3) + "\" text-anchor=\"end\">" + esc(variant) +
               "</text>";
        if (it == runs_of.end()) continue;
        std::string d;
        for (double v : it->second) d += "M" + num1(f.x(v)) + " " + num(y - 6) + "v12";
        svg += "<path d=\"" + d + "\" stroke=\"" + variant_color(variant) +
               "\" stroke-opacity=\"0.6\"/>";
        const double m = med(it->second);
        svg += "<path d=\"M" + num1(f.x(m)) + " " + num(y - 11) +
               "v22\" stroke=\"#000\" "
               "stroke-width=\"2\"><title>" +
               esc(variant) + " median " + num(m) + " (" + std::to_string(it->second.size()) +
               " values)</title></path>";
      }
      svg += "<text x=\"72\" y=\"22\">latest run: each repetition, median black</text></svg>";
      h += svg;
    }
    h += "</div></section>\n";
  }
  h += "</body></html>\n";
  return h;
}

}  // namespace ptebench::html
