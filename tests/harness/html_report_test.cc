// The HTML report's detector and page: a step is found where it is and nowhere else, noise
// that alternates between levels is not a change, the band is median +- 3 robust sigmas of
// the last runs, flagged groups come first, the page is self-contained, and given nightly's
// judgement it alone flags.
#include "harness/html_report.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <vector>

#include "harness/nightly_report.h"

namespace ptebench::html {
namespace {

TEST_CASE("html_report: a step is one change point, at the step") {
  std::vector<double> s;
  for (int i = 0; i < 20; ++i) s.push_back((i >= 12 ? 13.0 : 10.0) + 0.05 * (i % 3));
  CHECK(change_points(s) == std::vector<std::size_t>{12});
  // Too close to the end: fewer than kMinSide runs on the new level.
  std::vector<double> late(s.begin(), s.begin() + 15);
  CHECK(change_points(late).empty());
}

TEST_CASE("html_report: noise that alternates between levels, or a flat line, is no change") {
  // Four runs in turn on a VM (the shared noisy data): 16.26, 16.04, 17.47, 17.6.
  const double levels[] = {16.26, 16.04, 17.47, 17.6};
  std::vector<double> s;
  for (int i = 0; i < 20; ++i) s.push_back(levels[i % 4]);
  CHECK(change_points(s).empty());
  CHECK(change_points(std::vector<double>(20, 5.0)).empty());
  // A 1% step is below kMinStepPct however clean.
  std::vector<double> small;
  for (int i = 0; i < 20; ++i) small.push_back(i >= 10 ? 10.1 : 10.0);
  CHECK(change_points(small).empty());
}

TEST_CASE("html_report: the band") {
  // Last 8 of 1..10: 3..10, median 6.5, MAD 2 -> 6.5 +- 3 * 1.4826 * 2.
  std::vector<double> s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const Band b = noise_band(s);
  CHECK(b.mid == Approx(6.5));
  CHECK(b.high - b.mid == Approx(3 * 1.4826 * 2));
  CHECK(b.mid - b.low == Approx(3 * 1.4826 * 2));
}

results::Row row(const std::string& workload, const std::string& variant, int night, int rep,
                 double v) {
  results::Row r;
  r.run_id = "run" + std::to_string(night);
  r.started_utc =
      "2026-11-" + std::string(night < 10 ? "0" : "") + std::to_string(night) + "T02:00:00Z";
  r.host = "ci";
  r.codegen = "kernel";
  r.workload = workload;
  r.pte_format = "x86_64";
  r.variant = variant;
  r.layout = "dense";
  r.ptes = 4096;
  r.repetition = static_cast<std::uint32_t>(rep);
  r.metric = "ns_per_pte";
  r.value = v;
  r.unit = "ns";
  return r;
}

TEST_CASE("html_report: flagged groups first, three plots a group, nothing external") {
  ReportBuilder b({});
  for (int night = 1; night <= 20; ++night) {
    for (int rep = 0; rep < 5; ++rep) {
      const double noise = 0.01 * rep;
      // "a_stable" sorts first by name; "z_step" steps up 30% from night 13 and must lead.
      for (const char* v : {"plain", "read_once", "arch"}) {
        b.add(row("a_stable", v, night, rep, 2.0 + noise));
        b.add(row("z_step", v, night, rep,
                  (std::string(v) == "plain" && night >= 13 ? 1.3 : 1.0) * 3 + noise));
      }
    }
  }
  const std::string page = b.html();
  CHECK(html::flagged_groups(b.html()) == 1);
  const auto step = page.find("<section id=\"g1\" class=\"group flagged\"><h2>z_step/");
  const auto stable = page.find("<section id=\"g0\" class=\"group\"><h2>a_stable/");
  REQUIRE(step != std::string::npos);
  REQUIRE(stable != std::string::npos);
  CHECK(step < stable);
  CHECK(page.find("plain: 1 change point<") != std::string::npos);
  // The why cell lists its reasons separated by "; ", with none trailing.
  CHECK(page.find("change point; <") == std::string::npos);
  CHECK(page.find("; </") == std::string::npos);
  std::size_t svgs = 0;
  for (auto p = page.find("<svg"); p != std::string::npos; p = page.find("<svg", p + 1)) ++svgs;
  CHECK(svgs == 6);
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("http://www.w3.org/2000/svg") != std::string::npos);  // the SVG namespace
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("src=") == std::string::npos);
}

TEST_CASE("html_report: given nightly's judgement, it alone flags a group") {
  // z_step has a change point the page's own detector flags (the test above); the judgement
  // says instead: a_stable's read_once is a confirmed regression, z_step is stable.
  nightly::CaseSeries judged_series;
  judged_series.key = {"kernel", "a_stable", "x86_64", "read_once", "dense", 4096};
  judged_series.metric = "ns_per_pte";
  nightly::CaseSeries other_metric = judged_series;
  other_metric.metric = "instructions_per_pte";
  nightly::CaseSeries stable_series = judged_series;
  stable_series.key.workload = "z_step";
  nightly::NightReport report;
  report.night_ids = {"run19", "run20"};
  report.night.confirmed_regressions = {0};
  nightly::CaseJudgement regression;
  regression.state = nightly::State::regression;
  regression.ratio = 1.05;
  regression.ratio_low = 1.03;
  regression.ratio_high = 1.07;
  nightly::CaseJudgement stable;
  stable.state = nightly::State::stable;
  report.cases = {{&judged_series, regression, {}},
                  {&other_metric, regression, {}},
                  {&stable_series, stable, {}}};
  ReportOptions options;
  set_judgement(options, report);
  CHECK(options.judged.size() == 1);  // ns_per_pte's change only; stable cases none
  ReportBuilder b(options);
  for (int night = 1; night <= 20; ++night)
    for (int rep = 0; rep < 5; ++rep)
      for (const char* v : {"plain", "read_once", "arch"}) {
        b.add(row("a_stable", v, night, rep, 2.0 + 0.01 * rep));
        b.add(row("z_step", v, night, rep,
                  (std::string(v) == "plain" && night >= 13 ? 1.3 : 1.0) * 3 + 0.01 * rep));
      }
  const std::string page = b.html();
  INFO(page.substr(0, 2000));
  CHECK(html::flagged_groups(b.html()) == 1);
  CHECK(page.find("<section id=\"g0\" class=\"group flagged\"><h2>a_stable/") != std::string::npos);
  CHECK(page.find("<section id=\"g1\" class=\"group\"><h2>z_step/") != std::string::npos);
  CHECK(page.find("read_once: nightly regression +5.0% [+3.0%, +7.0%]") != std::string::npos);
  // Drawn, not a reason: no "N change point(s)" anywhere (the legend's "red dashes: change
  // points" has no count). Not std::regex: GCC 12 warns inside it under -fsanitize (-Werror).
  for (auto p = page.find(" change point"); p != std::string::npos;
       p = page.find(" change point", p + 1))
    CHECK_FALSE(std::isdigit(static_cast<unsigned char>(page[p - 1])));
  CHECK(page.find("(nightly's judgement of run20: 1 confirmed regression") != std::string::npos);
}

}  // namespace
}  // namespace ptebench::html
