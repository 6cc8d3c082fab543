// Tests for harness/nightly_report: the whole run's series and its judgement (what the cases'
// series remove as the machine's state), on synthetic nights.
#include "harness/nightly_report.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "harness/drift.h"
#include "harness/night_series.h"
#include "harness/results_row.h"
#include "tests/harness/test_rows.h"

namespace {

using ptebench::results::Row;

// `cases` cases over 13 nights: case c's value exp(1 + 0.1 c + machine[i] + its own noise (sd
// 0.3%)), the machine moving by sd 1% a night; every case times `step` on the last two nights.
std::vector<std::vector<Row>> nights_of(std::size_t cases, double step) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> unit(0, 1);
  std::vector<std::vector<Row>> nights(13);
  for (std::size_t i = 0; i < 13; ++i) {
    const double machine = 0.01 * unit(rng);
    for (std::size_t c = 0; c < cases; ++c) {
      const double value =
          std::exp(1 + 0.1 * static_cast<double>(c) + machine + 0.003 * unit(rng)) *
          (i >= 11 ? step : 1);
      Row r = ptebench::test::synthetic_row(c, value);
      r.run_id = "night-" + std::to_string(i);
      nights[i].push_back(r);
    }
  }
  return nights;
}

ptebench::nightly::NightReport replay(const std::vector<std::vector<Row>>& nights,
                                      std::vector<ptebench::nightly::CaseSeries>& series) {
  std::vector<const std::vector<Row>*> pointers;
  std::vector<std::string> ids;
  for (const auto& n : nights) pointers.push_back(&n), ids.push_back(n.front().run_id);
  ptebench::nightly::JudgeOptions options;
  options.window = 20;  // nightly's and history judge's default: every night here
  return ptebench::nightly::replay_night(pointers, ids, "ns_per_pte", options, series);
}

}  // namespace

TEST_CASE("whole run levels: each night's median deviation, from cases with every night") {
  // 30 cases moving with a known factor exactly: the whole run's levels are the factor less its
  // mean.
  const double factor[4] = {0.04, -0.06, 0.10, -0.02};  // mean 0.015
  std::vector<std::vector<Row>> nights(4);
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t c = 0; c < 30; ++c)
      nights[i].push_back(
          ptebench::test::synthetic_row(c, std::exp(1 + 0.1 * static_cast<double>(c) + factor[i])));
  nights[1].pop_back();  // case 29 misses night 1: left out of the whole run
  std::vector<const std::vector<Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  const auto series = ptebench::nightly::build_series(pointers, {"ns_per_pte"}, 3, 0);
  const std::vector<double> whole = ptebench::nightly::whole_run_levels(series, "ns_per_pte", 4);
  REQUIRE(whole.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) CHECK(whole[i] == Approx(factor[i] - 0.015).margin(1e-12));
  CHECK(ptebench::nightly::whole_run_levels(series, "task_clock_ns", 4).empty());
  // Too few cases to tell the machine's state: none.
  std::vector<ptebench::nightly::CaseSeries> few(series.begin(),
                                                 series.begin() + ptebench::drift::kMinCases);
  CHECK(ptebench::nightly::whole_run_levels(few, "ns_per_pte", 4).empty());
}

TEST_CASE("nightly report: a change of every case is the whole run's, reported and no alarm") {
  // Every case +20% on the last two nights: the cases' series remove it as the machine's state
  // (no case confirmed, exit 0); the whole run's series shows it, confirmed at +20%.
  std::vector<ptebench::nightly::CaseSeries> series;
  const auto report = replay(nights_of(40, 1.2), series);
  REQUIRE(report.whole_run_judged);
  CHECK(report.night.exit_code() == 0);
  CHECK(report.night.confirmed_regressions.empty());
  CHECK(report.whole_run.state == ptebench::nightly::State::regression);
  CHECK(report.whole_run.ratio == Approx(1.2).margin(0.02));
  CHECK(report.whole_run.nights_after == 2);
  const std::string line = ptebench::nightly::whole_run_line(report);
  INFO(line);
  CHECK(line.starts_with("whole run +"));
  CHECK(line.find("over 2 nights, confirmed as a change") != std::string::npos);
  CHECK(line.find("not an alarm") != std::string::npos);
  std::ostringstream text;
  ptebench::nightly::write_night_report(text, report, false);
  CHECK(text.str().find("- " + line + "\n") != std::string::npos);

  // Without the step: stable, its change and interval given.
  std::vector<ptebench::nightly::CaseSeries> calm_series;
  const auto calm = replay(nights_of(40, 1.0), calm_series);
  CHECK(calm.whole_run.state == ptebench::nightly::State::stable);
  CHECK(ptebench::nightly::whole_run_line(calm).starts_with("whole run stable ("));
  // Too few cases, or collecting history: no line.
  std::vector<ptebench::nightly::CaseSeries> few_series;
  CHECK_FALSE(replay(nights_of(15, 1.2), few_series).whole_run_judged);
  const auto young = nights_of(40, 1.0);
  std::vector<ptebench::nightly::CaseSeries> young_series;
  CHECK(ptebench::nightly::whole_run_line(
            replay(std::vector<std::vector<Row>>(young.begin(), young.begin() + 6), young_series))
            .empty());
}

namespace {

// `nights` nights of `cases` cases, each case's own noise sd 0.5% a night, the machine's state a
// common factor (sd 1%); tonight (the last night) each case's own noise times `tonight_noise`.
std::vector<std::vector<Row>> nights_with_tonight(std::size_t nights, std::size_t cases,
                                                  double tonight_noise) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> unit(0, 1);
  std::vector<std::vector<Row>> out(nights);
  for (std::size_t i = 0; i < nights; ++i) {
    const double machine = 0.01 * unit(rng);
    const double own = 0.005 * (i + 1 == nights ? tonight_noise : 1);
    for (std::size_t c = 0; c < cases; ++c) {
      Row r = ptebench::test::synthetic_row(
          c, std::exp(1 + 0.1 * static_cast<double>(c) + machine + own * unit(rng)));
      r.run_id = "night-" + std::to_string(i);
      out[i].push_back(r);
    }
  }
  return out;
}

std::optional<double> tonight_null(const std::vector<std::vector<Row>>& nights) {
  std::vector<const std::vector<Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  ptebench::nightly::JudgeOptions options;
  options.window = 20;
  return ptebench::nightly::tonight_null_scale(pointers, {"ns_per_pte"}, options);
}

// The night report as the terminal has it (plain lines) or as Markdown.
std::string written(const ptebench::nightly::NightReport& report, bool markdown) {
  std::ostringstream out;
  ptebench::nightly::write_night_report(out, report, markdown);
  return out.str();
}

}  // namespace

TEST_CASE("tonight's null: the one-night split's widening, as the night's first judgement has it") {
  // 80 cases over 13 nights. Tonight as the reference nights: no widening worth a second measure.
  const std::optional<double> calm = tonight_null(nights_with_tonight(13, 80, 1));
  REQUIRE(calm.has_value());
  CHECK(*calm >= 1);  // a null only widens
  CHECK(*calm < 1.3);
  // Tonight's cases scattered 4x their nights' spread: the one-night split's z-values spread about
  // 4x (against a reference of 10 nights, a t of df 10 taken to the normal scale a little less).
  const std::optional<double> noisy = tonight_null(nights_with_tonight(13, 80, 4));
  REQUIRE(noisy.has_value());
  CHECK(*noisy > 2.5);
  CHECK(*noisy < 4.5);
  // The same as judge_night's null_scales[0] over the same nights (replay_night's judgement).
  const auto nights = nights_with_tonight(13, 80, 4);
  std::vector<ptebench::nightly::CaseSeries> series;
  const auto report = replay(nights, series);
  REQUIRE_FALSE(report.night.null_scales.empty());
  CHECK(report.night.null_scales.front() == *noisy);
  CHECK(report.night.null_scale >= *noisy);  // the largest of the splits'
  // Too few cases for an empirical null (20 or fewer): 1, nothing widened.
  CHECK(tonight_null(nights_with_tonight(13, 20, 4)) == 1.0);
  // Collecting history: nothing to judge tonight against.
  CHECK_FALSE(tonight_null(nights_with_tonight(6, 80, 4)).has_value());
}

TEST_CASE("nightly report: a night measured again says so, with each measure's null") {
  ptebench::nightly::NightReport report;
  report.noisy_bound = 1.5;
  CHECK(ptebench::nightly::measures_line(report).empty());  // measured once
  report.measure_nulls = {2.414, 1.5, 1.18};
  report.measure_chosen = 2;
  report.measures_set_aside = {"night.noisy1.csv", "night.noisy2.csv"};
  const std::string line = ptebench::nightly::measures_line(report);
  CHECK(line ==
        "tonight's run was noisy (the one-night split's null widened 2.41x, above 1.50x): measured "
        "3 times in all (2.41x, 1.50x, 1.18x); the night is measure 3, the calmest; set aside: "
        "night.noisy1.csv, night.noisy2.csv");
  std::ostringstream md;
  ptebench::nightly::write_night_report(md, report, true);
  CHECK(md.str().find("- " + line + "\n") != std::string::npos);
  // Measures taken some time apart say so.
  report.measure_wait_s = 30;
  CHECK(ptebench::nightly::measures_line(report) ==
        "tonight's run was noisy (the one-night split's null widened 2.41x, above 1.50x): measured "
        "3 times in all, 30 s apart (2.41x, 1.50x, 1.18x); the night is measure 3, the calmest; "
        "set aside: night.noisy1.csv, night.noisy2.csv");
}

TEST_CASE("last night's suspects: last night's first judgement, mapped onto tonight's cases") {
  // 80 cases over 13 nights, case 3 +5% on the last two nights (12 and 13): last night (night 12
  // judged against the nights before it) it is a suspect one night after its change point.
  auto nights = nights_with_tonight(13, 80, 1);
  for (const std::size_t i : {11, 12}) nights[i][3].value *= 1.05;
  std::vector<const std::vector<Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  ptebench::nightly::JudgeOptions options;
  options.window = 20;
  std::vector<ptebench::nightly::CaseSeries> series;
  replay(nights, series);  // tonight's series
  const auto last =
      ptebench::nightly::last_night_suspects(pointers, {"ns_per_pte"}, options, series);
  REQUIRE(last.size() == series.size());
  // The same as replaying last night itself, case by case (by key: the series are built anew).
  std::vector<ptebench::nightly::CaseSeries> last_series;
  const auto last_report =
      replay(std::vector<std::vector<Row>>(nights.begin(), nights.end() - 1), last_series);
  std::size_t suspects = 0;
  for (std::size_t c = 0; c < series.size(); ++c) {
    REQUIRE(last_series[c].key == series[c].key);
    const auto& j = last_report.night.cases[c];
    const bool suspect = j.state != ptebench::nightly::State::stable &&
                         j.state != ptebench::nightly::State::collecting;
    CHECK((last[c].nights_after > 0) == suspect);
    if (suspect) {
      CHECK(last[c].nights_after == j.nights_after);
      CHECK(last[c].ratio == j.ratio);
      ++suspects;
    }
  }
  const std::size_t stepped = 3;
  CHECK(last[stepped].nights_after == 1);
  CHECK(last[stepped].ratio == Approx(1.05).margin(0.015));
  CHECK(suspects >= 1);
  // Replication off: nothing looked up.
  options.replicate_alpha = 0;
  for (const auto& l :
       ptebench::nightly::last_night_suspects(pointers, {"ns_per_pte"}, options, series))
    CHECK(l.nights_after == 0);
}

TEST_CASE("nightly report: a replicated regression says so, with tonight's p alone") {
  std::vector<ptebench::nightly::CaseSeries> series;
  auto report = replay(nights_with_tonight(13, 80, 1), series);
  auto& j = report.cases[0].judgement;
  j.state = ptebench::nightly::State::regression;
  j.p = 0.0019;
  j.replicated = true;
  j.replicate_p = 2.9e-08;
  const std::string text = written(report, false), md = written(report, true);
  INFO(text);
  CHECK(text.find(" p 0.0019 (replicated: tonight alone p 2.9e-08), since ") != std::string::npos);
  CHECK(text.find("or when a suspect of last night is replicated by tonight alone against "
                  "the same reference (p < 0.01, Bonferroni over last night's suspects)") !=
        std::string::npos);
  CHECK(md.find("| 0.0019 (replicated: tonight alone p 2.9e-08) |") != std::string::npos);
  const auto cases = ptebench::nightly::testcases(report);
  CHECK(cases.at(0).message.find("(replicated: tonight alone p 2.9e-08)") != std::string::npos);
  // An improvement confirmed so says so too.
  j.state = ptebench::nightly::State::improvement;
  CHECK(ptebench::nightly::testcases(report).at(0).message.find("confirmed improvement: ") == 0);
  CHECK(ptebench::nightly::testcases(report).at(0).message.find(
            "(replicated: tonight alone p 2.9e-08)") != std::string::npos);
}

TEST_CASE("nightly report: a suspect of last night stable tonight is named, with why") {
  // Stable cases are counted, not listed; one that was last night's suspect and that replication
  // did not confirm gets a line of its own (text, Markdown) and its reason in JUnit. A suspect
  // not replicated says so in its row.
  std::vector<ptebench::nightly::CaseSeries> series;
  auto report = replay(nights_with_tonight(13, 80, 1), series);
  for (const auto& c : report.cases) REQUIRE(c.judgement.state == ptebench::nightly::State::stable);
  const std::string quiet = written(report, false);
  CHECK(quiet.find("last night's suspects stable tonight") == std::string::npos);
  auto& j = report.cases[0].judgement;
  j.p = 0.049;
  j.not_replicated = ptebench::nightly::NotReplicated::weak;
  j.replicate_p = 0.12;
  auto& k = report.cases[1].judgement;
  k.not_replicated = ptebench::nightly::NotReplicated::both_noisy;
  const std::string text = written(report, false), md = written(report, true);
  INFO(text);
  const std::string first = ptebench::results::case_name(report.cases[0].series->key);
  const std::string second = ptebench::results::case_name(report.cases[1].series->key);
  const std::string head = "- last night's suspects stable tonight: " + first + " ns_per_pte ";
  const std::string rest = " p 0.049 (not replicated: tonight alone p 0.12); " + second;
  for (const std::string* out : {&text, &md}) {
    const std::size_t at = out->find(head);
    CHECK(at != std::string::npos);
    CHECK(out->find(rest, at) != std::string::npos);
  }
  CHECK(text.find("(not tried for replication: last night and tonight both stayed noisy)\n") !=
        std::string::npos);
  // Still counted among the stable cases, not listed in the table.
  CHECK(md.find("| case | metric | state |") == std::string::npos);
  const auto cases = ptebench::nightly::testcases(report);
  CHECK(cases.at(0).outcome == ptebench::junit::Outcome::pass);
  CHECK(cases.at(0).message.find("stable: ") == 0);
  CHECK(cases.at(0).message.find("(not replicated: tonight alone p 0.12)") != std::string::npos);
  CHECK(cases.at(2).message == "stable");
  // A suspect not replicated: in its row.
  j.state = ptebench::nightly::State::suspect;
  report.night.suspects = {0};
  const std::string suspect_md = written(report, true);
  CHECK(suspect_md.find("| 0.049 (not replicated: tonight alone p 0.12) |") != std::string::npos);
  CHECK(ptebench::nightly::testcases(report).at(0).message.find(
            "(not replicated: tonight alone p 0.12)") != std::string::npos);
}

namespace {

std::vector<double> nulls_of(const std::vector<std::vector<Row>>& nights, double noisy_bound) {
  std::vector<const std::vector<Row>*> pointers;
  for (const auto& n : nights) pointers.push_back(&n);
  ptebench::nightly::JudgeOptions options;
  options.window = 20;
  options.noisy_bound = noisy_bound;
  return ptebench::nightly::night_nulls(pointers, {"ns_per_pte"}, options);
}

}  // namespace

TEST_CASE("night nulls: each of the last nights' one-night widening, as it was judged") {
  // 13 nights, tonight's cases scattered 4x: the last max_after (3) nights get their widening as
  // each was judged as tonight (the nights before it only), the others NaN.
  const auto nights = nights_with_tonight(13, 80, 4);
  const std::vector<double> nulls = nulls_of(nights, 1.5);
  REQUIRE(nulls.size() == 13);
  for (std::size_t k = 0; k < 10; ++k) CHECK(std::isnan(nulls[k]));
  CHECK(nulls[12] == *tonight_null(nights));
  CHECK(nulls[12] > 2.5);
  const std::vector<std::vector<Row>> to_11(nights.begin(), nights.begin() + 12);
  CHECK(nulls[11] == *tonight_null(to_11));
  CHECK(nulls[11] < 1.5);  // a calm night
  const std::vector<std::vector<Row>> to_10(nights.begin(), nights.begin() + 11);
  CHECK(nulls[10] == *tonight_null(to_10));
  // The rule off: nothing computed.
  for (const double n : nulls_of(nights, 0)) CHECK(std::isnan(n));
  // Collecting history (6 nights): NaN, calm.
  for (const double n : nulls_of(nights_with_tonight(6, 80, 4), 1.5)) CHECK(std::isnan(n));
}

TEST_CASE("nightly report: a suspect held by nights after one that stayed noisy says how many") {
  std::vector<ptebench::nightly::CaseSeries> series;
  auto report = replay(nights_with_tonight(13, 80, 1), series);
  auto& j = report.cases[0].judgement;
  j.state = ptebench::nightly::State::suspect;
  j.p = 0.0003;
  j.nights_after = 2;
  j.after_noisy_nights = 1;
  const std::string text = written(report, false), md = written(report, true);
  INFO(text);
  CHECK(text.find(" p 0.0003 (1 of 2 nights after followed a night that stayed noisy), since ") !=
        std::string::npos);
  CHECK(md.find("| 0.0003 (1 of 2 nights after followed a night that stayed noisy) |") !=
        std::string::npos);
  const auto cases = ptebench::nightly::testcases(report);
  CHECK(cases.at(0).message.find("confirmed only after 2 nights (1 of 2 nights after "
                                 "followed a night that stayed noisy)") != std::string::npos);
  // A suspect for other reasons says nothing of it.
  j.after_noisy_nights = 0;
  CHECK(written(report, false).find("stayed noisy") == std::string::npos);
}

TEST_CASE("nightly report: a night that stayed noisy through its measures says so") {
  ptebench::nightly::NightReport report;
  report.noisy_bound = 1.5;
  report.measure_nulls = {2.41, 1.92};
  report.measure_chosen = 1;
  CHECK(
      written(report, true)
          .find("- tonight stayed noisy (1.92x after 2 measures, above 1.50x): its state may last "
                "into the next night, which then does not count toward a change tonight is part "
                "of (a change is confirmed with 2 nights after it that do not follow a noisy "
                "one; a suspect of tonight is replicated tomorrow only on a calm night)\n") !=
      std::string::npos);
  // Measured once (--remeasure 0) and noisy: said too.
  report.measure_nulls = {1.7};
  report.measure_chosen = 0;
  CHECK(written(report, false).find("tonight stayed noisy (1.70x after 1 measure, above 1.50x)") !=
        std::string::npos);
  // Calm at last, at the bound, or collecting history: nothing.
  report.measure_nulls = {2.41, 1.18};
  report.measure_chosen = 1;
  CHECK(written(report, true).find("stayed noisy") == std::string::npos);
  report.measure_nulls = {1.5};
  report.measure_chosen = 0;
  CHECK(written(report, true).find("stayed noisy") == std::string::npos);
  report.measure_nulls = {1.7};
  report.night.collecting = true;
  CHECK(written(report, true).find("stayed noisy") == std::string::npos);
}
