// Tests for harness/nightly_judge: synthetic nightly series with a known noise pattern (+-1%)
// and known steps and blips, judged night by night as nightly would.
#include "harness/nightly_judge.h"

#include "harness/noise_model.h"
#include "harness/stats.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

namespace {

using ptebench::nightly::judge_night;
using ptebench::nightly::JudgeOptions;
using ptebench::nightly::NightJudgement;
using ptebench::nightly::State;

// Night i's noise on the log level: a fixed pattern within +-1%.
double noise(std::size_t night, std::size_t c) {
  static const double pattern[] = {0.01, -0.01, 0.005, -0.005, 0.0, 0.008, -0.008, 0.003, -0.003};
  return pattern[(night + 2 * c) % 9];
}

// `cases` series of `nights` nights; case 0 gets `step` (log) from night `from` on (0-based),
// and `blip` on night `blip_night` only.
std::vector<std::vector<double>> series(std::size_t cases, std::size_t nights, double step = 0,
                                        std::size_t from = 1000, double blip = 0,
                                        std::size_t blip_night = 1000) {
  std::vector<std::vector<double>> out(cases);
  for (std::size_t c = 0; c < cases; ++c) {
    for (std::size_t n = 0; n < nights; ++n) {
      double v = std::log(10.0 + static_cast<double>(c)) + noise(n, c);
      if (c == 0 && n >= from) v += step;
      if (c == 0 && n == blip_night) v += blip;
      out[c].push_back(v);
    }
  }
  return out;
}

const double k5pct = std::log(1.05);

// `cases` series of `nights` nights of independent normal noise, sd `sd` (log), from a fixed
// seed (splitmix64, Box-Muller); case 0 gets `step` from night `from` on.
std::vector<std::vector<double>> normal_series(std::size_t cases, std::size_t nights, double sd,
                                               double step, std::size_t from) {
  std::uint64_t state = 42;
  const auto uniform = [&state] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (static_cast<double>((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0;
  };
  std::vector<std::vector<double>> out(cases);
  for (std::size_t c = 0; c < cases; ++c) {
    for (std::size_t n = 0; n < nights; ++n) {
      const double normal = std::sqrt(-2 * std::log(uniform())) * std::cos(2 * M_PI * uniform());
      out[c].push_back(std::log(10.0) + sd * normal + (c == 0 && n >= from ? step : 0));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("nightly judge: collecting history until enough nights", "[nightly]") {
  JudgeOptions options;
  options.min_history = 5;
  const NightJudgement j = judge_night(series(3, 4), {}, options);  // 3 nights before tonight
  CHECK(j.collecting);
  CHECK(j.headline() == "collecting history (3 of 5)");
  CHECK(judge_night(series(3, 4), {}, JudgeOptions{}).headline() ==
        "collecting history (3 of 10)");  // the default
  CHECK(j.exit_code() == 0);
  for (const auto& c : j.cases) CHECK(c.state == State::collecting);
  // Even a large change raises nothing while collecting.
  CHECK(judge_night(series(3, 4, 0.5, 3), {}, options).exit_code() == 0);
  const NightJudgement enough = judge_night(series(3, 6), {}, options);
  CHECK_FALSE(enough.collecting);
  CHECK(enough.headline() == "stable");
}

TEST_CASE("nightly judge: 10 clean nights raise nothing", "[nightly]") {
  for (std::size_t nights = 1; nights <= 10; ++nights) {
    const NightJudgement j = judge_night(series(20, nights), {}, JudgeOptions{});
    INFO("night " << nights);
    CHECK(j.suspects.empty());
    CHECK(j.confirmed_regressions.empty());
    CHECK(j.exit_code() == 0);
  }
}

TEST_CASE("nightly judge: a 5% step is a suspect on its first night, confirmed on its second",
          "[nightly]") {
  // Nights 0-9 clean, the step from night 10 (the 11th) on.
  const NightJudgement first = judge_night(series(20, 11, k5pct, 10), {}, JudgeOptions{});
  CHECK(first.suspects == std::vector<std::size_t>{0});
  CHECK(first.exit_code() == 0);  // one night after a split is never an alarm
  CHECK(first.headline() == "1 suspect");
  const NightJudgement second = judge_night(series(20, 12, k5pct, 10), {}, JudgeOptions{});
  CHECK(second.confirmed_regressions == std::vector<std::size_t>{0});
  CHECK(second.cases[0].state == State::regression);
  CHECK(second.cases[0].split == 10);
  CHECK(second.cases[0].nights_after == 2);
  CHECK(second.cases[0].ratio == Approx(1.05).epsilon(0.01));
  CHECK(second.exit_code() == 1);
  CHECK(second.headline() == "1 confirmed regression");
  for (std::size_t c = 1; c < 20; ++c) CHECK(second.cases[c].state == State::stable);
}

TEST_CASE("nightly judge: re-runs refine tonight's level but are not nights", "[nightly]") {
  const auto levels = series(20, 11, k5pct, 10);
  std::vector<std::vector<double>> reruns(20);
  SECTION("re-runs at the new level keep it a suspect: one night is no confirmation") {
    reruns[0] = {levels[0][10] + 0.002, levels[0][10] - 0.002, levels[0][10]};
    const NightJudgement j = judge_night(levels, reruns, JudgeOptions{});
    CHECK(j.suspects == std::vector<std::size_t>{0});
    CHECK(j.cases[0].nights_after == 1);
    CHECK(j.exit_code() == 0);
  }
  SECTION("re-runs back at the old level clear it (it was tonight's machine)") {
    // Tonight's level becomes the mean of tonight and the re-runs: (+5% + 0 + 0 + 0) / 4.
    reruns[0] = {levels[0][9], levels[0][8], levels[0][7]};
    const NightJudgement j = judge_night(levels, reruns, JudgeOptions{});
    CHECK(j.suspects.empty());
    CHECK(j.cases[0].state == State::stable);
  }
  SECTION("on the second night, re-runs back at the old level withdraw the alarm") {
    const auto two = series(20, 12, k5pct, 10);
    REQUIRE(judge_night(two, {}, JudgeOptions{}).exit_code() == 1);  // before the re-runs
    reruns[0] = {two[0][9], two[0][8], two[0][7]};
    const NightJudgement j = judge_night(two, reruns, JudgeOptions{});
    CHECK(j.confirmed_regressions.empty());
    CHECK(j.exit_code() == 0);
  }
}

TEST_CASE("nightly judge: a change the re-runs do not reproduce is not confirmed", "[nightly]") {
  // Case 0 at +7% for three nights (nights 10-12), tonight's run at +11% on top: without re-runs
  // a confirmed regression (a disturbed night after two high ones, as on this VM 2026-12-02).
  auto levels = series(20, 13, std::log(1.07), 10);
  levels[0][12] += std::log(1.04);
  const NightJudgement before = judge_night(levels, {}, JudgeOptions{});
  REQUIRE(before.confirmed_regressions == std::vector<std::size_t>{0});
  const double base = before.cases[0].before_level;
  std::vector<std::vector<double>> reruns(20);
  SECTION("re-runs near the old level (+1.3%): a suspect, though averaged in they stay above") {
    reruns[0] = {base + 0.010, base + 0.016, base + 0.013};
    const NightJudgement j = judge_night(levels, reruns, JudgeOptions{});
    // Tonight's level averaged with the re-runs still lies beyond the midpoint of the change
    // judged: the step check alone would confirm; the re-runs by themselves do not.
    const double averaged = (levels[0][12] + reruns[0][0] + reruns[0][1] + reruns[0][2]) / 4;
    CHECK(averaged - base > std::log(j.cases[0].ratio) / 2);
    CHECK(j.cases[0].split == 10);
    CHECK(j.cases[0].state == State::suspect);
    CHECK(j.suspects == std::vector<std::size_t>{0});
    CHECK(j.exit_code() == 0);
  }
  SECTION("re-runs at the new level: confirmed") {
    reruns[0] = {levels[0][10], levels[0][11], base + std::log(1.07)};
    const NightJudgement j = judge_night(levels, reruns, JudgeOptions{});
    CHECK(j.cases[0].state == State::regression);
    CHECK(j.exit_code() == 1);
  }
  SECTION("an improvement the re-runs do not reproduce is a suspect too") {
    auto down = series(20, 13, -std::log(1.07), 10);
    const NightJudgement d = judge_night(down, {}, JudgeOptions{});
    REQUIRE(d.cases[0].state == State::improvement);
    reruns[0] = {d.cases[0].before_level - 0.01, d.cases[0].before_level,
                 d.cases[0].before_level - 0.005};
    CHECK(judge_night(down, reruns, JudgeOptions{}).cases[0].state == State::suspect);
  }
}

TEST_CASE("nightly judge: re-runs past the midpoint but below the threshold do not confirm",
          "[nightly]") {
  // Case 0 at +3.5% on nights 11 and 12: the midpoint of the change lies below the 2% threshold,
  // so re-runs can lie beyond it while showing less than a verdict-sized change (as a none_scan
  // case's re-runs did on this VM, 2026-12-04: +1.8% against a +1.75% midpoint).
  const auto levels = series(20, 13, std::log(1.035), 11);
  const NightJudgement before = judge_night(levels, {}, JudgeOptions{});
  REQUIRE(before.confirmed_regressions == std::vector<std::size_t>{0});
  const double base = before.cases[0].before_level;
  std::vector<std::vector<double>> reruns(20);
  const auto judged = [&](double rerun_ratio, const JudgeOptions& options) {
    reruns[0].assign(3, base + std::log(rerun_ratio));
    return judge_night(levels, reruns, options).cases[0];
  };
  SECTION("re-runs at +1.85%: beyond the midpoint, below 2%: a suspect") {
    const auto j = judged(1.0185, JudgeOptions{});
    CHECK(std::log(1.0185) > std::log(j.ratio) / 2);  // the midpoint alone would confirm it
    CHECK(j.split == 11);
    CHECK(j.state == State::suspect);
  }
  SECTION("the same re-runs with a 1.5% threshold: confirmed") {
    JudgeOptions options;
    options.threshold_pct = 1.5;
    CHECK(judged(1.0185, options).state == State::regression);
  }
  SECTION("re-runs at +3%: confirmed") {
    CHECK(judged(1.03, JudgeOptions{}).state == State::regression);
  }
}

TEST_CASE("nightly judge: the interval and reference level of a confirmed step", "[nightly]") {
  const NightJudgement j = judge_night(series(20, 12, k5pct, 10), {}, JudgeOptions{});
  const auto& c = j.cases[0];
  REQUIRE(c.state == State::regression);
  CHECK(c.ratio_low < c.ratio);
  CHECK(c.ratio < c.ratio_high);
  CHECK(c.ratio_low > 1.02);  // the +-1% noise leaves the whole interval above +2%
  // The reference nights 0-9 of case 0: log(10) plus the mean of the noise pattern over them.
  double mean_noise = 0;
  for (std::size_t n = 0; n < 10; ++n) mean_noise += noise(n, 0);
  CHECK(c.before_level == Approx(std::log(10.0) + mean_noise / 10).epsilon(1e-12));
}

TEST_CASE("nightly judge: a one-night 5% blip is not a confirmed regression", "[nightly]") {
  const auto blip = series(20, 11, 0, 1000, k5pct, 10);
  const NightJudgement blip_night = judge_night(blip, {}, {});
  CHECK(blip_night.suspects == std::vector<std::size_t>{0});
  // Re-runs that reproduce it (a build slow for one night) still leave it a suspect.
  std::vector<std::vector<double>> reruns(20);
  reruns[0] = {blip[0][10], blip[0][10], blip[0][10]};
  CHECK(judge_night(blip, reruns, {}).exit_code() == 0);
  const NightJudgement next = judge_night(series(20, 12, 0, 1000, k5pct, 10), {}, {});
  CHECK(next.confirmed_regressions.empty());
  CHECK(next.cases[0].state != State::regression);
  CHECK(next.exit_code() == 0);
}

TEST_CASE("nightly judge: a confirmed improvement is reported, exit 0", "[nightly]") {
  const NightJudgement j = judge_night(series(20, 12, -k5pct, 10), {}, {});
  CHECK(j.cases[0].state == State::improvement);
  CHECK(j.exit_code() == 0);
  CHECK(j.headline() == "1 confirmed improvement");
}

TEST_CASE("nightly judge: what a first judgement re-runs: suspects, regressions, improvements",
          "[nightly]") {
  // Case 0 at -7% from night 10 (an improvement), case 1 at +7% from night 10 (a regression),
  // case 2 at +7% tonight only (a suspect); the other 17 stable.
  auto levels = series(20, 12, -std::log(1.07), 10);
  for (const std::size_t n : {10, 11}) levels[1][n] += std::log(1.07);
  levels[2][11] += std::log(1.07);
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{});
  REQUIRE(j.cases[0].state == State::improvement);
  REQUIRE(j.cases[1].state == State::regression);
  REQUIRE(j.cases[2].state == State::suspect);
  CHECK(j.rerun_candidates() == std::vector<std::size_t>{0, 1, 2});
  // A night with nothing moved re-runs nothing.
  CHECK(judge_night(series(20, 12), {}, JudgeOptions{}).rerun_candidates().empty());
}

TEST_CASE("nightly judge: a change below the threshold is stable", "[nightly]") {
  JudgeOptions options;
  options.threshold_pct = 10;
  CHECK(judge_night(series(20, 12, k5pct, 10), {}, options).cases[0].state == State::stable);
}

TEST_CASE("nightly judge: one disturbed night in the reference does not hide a step", "[nightly]") {
  // Case 0 at 1.8x its level on night 3 only (a busy machine), then +10% from night 10 on.
  // (Winsorized, that night still counts at its bound, 3.5 robust sd: a 5% step on this +-1%
  // pattern is a suspect beside it among 20 cases, q 0.086.)
  auto levels = series(20, 12, std::log(1.10), 10);
  levels[0][3] += std::log(1.8);
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{});
  INFO("p " << j.cases[0].p << " q " << j.cases[0].q << " ratio " << j.cases[0].ratio);
  CHECK(j.cases[0].state == State::regression);
  CHECK(j.cases[0].split == 10);
  // Kept in as it is, that night would put the reference's sd near 18% and the step in it.
}

TEST_CASE("nightly judge: confirmation is corrected across the night's cases", "[nightly]") {
  // The same modest step in case 0: confirmed among 5 cases, a suspect among 400, where its p
  // is what a few of 400 unchanged cases would show by chance over two nights.
  const double step = std::log(1.03);
  const NightJudgement few = judge_night(series(5, 12, step, 10), {}, JudgeOptions{});
  const NightJudgement many = judge_night(series(400, 12, step, 10), {}, JudgeOptions{});
  INFO("p " << few.cases[0].p << " q(5) " << few.cases[0].q << " q(400) " << many.cases[0].q);
  CHECK(few.cases[0].p == many.cases[0].p);
  CHECK(few.cases[0].state == State::regression);
  CHECK(many.cases[0].state == State::suspect);
  CHECK(many.exit_code() == 0);
  for (const auto& c : few.cases) CHECK(c.q >= c.p);
}

TEST_CASE("nightly judge: a night on which many cases moved widens every case's null",
          "[nightly]") {
  // 100 cases; on nights 10 and 11 cases 1-60 move by +-6% (a machine in another state for a
  // while, each case responding its own way). Without the empirical null most would be confirmed.
  auto levels = series(100, 12);
  for (std::size_t c = 1; c <= 60; ++c)
    for (const std::size_t n : {10, 11}) levels[c][n] += (c % 2 == 0 ? 1 : -1) * std::log(1.06);
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{});
  CHECK(j.null_scale > 2);
  CHECK(j.confirmed_regressions.empty());
  CHECK(j.exit_code() == 0);
  // A quiet night: hardly any widening (this fixed +-1% pattern is not normal: 1.19x), and the
  // same table's 5% step in case 0 is confirmed.
  const NightJudgement quiet = judge_night(series(100, 12, k5pct, 10), {}, JudgeOptions{});
  CHECK(quiet.null_scale < 1.25);
  CHECK(quiet.confirmed_regressions == std::vector<std::size_t>{0});
}

TEST_CASE("nightly judge: a step's two nights need not agree to be confirmed", "[nightly]") {
  // +100% on night 10, +140% on night 11: the first night of the step is not left out of the
  // reference of the split after it (seen: the CLI test's injected step stayed a suspect).
  auto levels = series(20, 12);
  levels[0][10] += std::log(2.0);
  levels[0][11] += std::log(2.4);
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{});
  CHECK(j.cases[0].state == State::regression);
  CHECK(j.cases[0].split == 10);
}

TEST_CASE("nightly judge: a step is alarmed on its 2nd and 3rd night, then it is the new normal",
          "[nightly]") {
  // +10% from night 6 on, judged night by night up to night 20 (the window of 10 nights holds
  // the old level as its majority until night 11): a suspect on night 6, confirmed on nights 7
  // and 8, stable after. Seen: its new nights, a minority of the window, were left out of the
  // reference as outliers, and the step was confirmed again on every night up to the last.
  // (min_history 5: a young history, where the window is still mostly the old level.)
  const double step = std::log(1.10);
  JudgeOptions options;
  options.min_history = 5;
  for (std::size_t nights = 7; nights <= 21; ++nights) {
    const NightJudgement j = judge_night(series(20, nights, step, 6), {}, options);
    const std::size_t tonight = nights - 1;
    INFO("night " << tonight << ": " << ptebench::nightly::state_name(j.cases[0].state) << " split "
                  << j.cases[0].split << " ratio " << j.cases[0].ratio);
    const State expected = tonight == 6                   ? State::suspect
                           : tonight == 7 || tonight == 8 ? State::regression
                                                          : State::stable;
    CHECK(j.cases[0].state == expected);
    if (expected == State::regression) CHECK(j.cases[0].split == 6);
  }
}

TEST_CASE("nightly judge: two disturbed nights in a row confirm nothing after them", "[nightly]") {
  // Case 0 at 1.5x on nights 7 and 8, normal again from night 9: tonight (night 11) is neither
  // an improvement against those two nights nor a change of any kind.
  auto levels = series(20, 12);
  levels[0][7] += std::log(1.5);
  levels[0][8] += std::log(1.5);
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{});
  CHECK(j.cases[0].state == State::stable);
  CHECK(j.exit_code() == 0);
}

TEST_CASE("nightly judge: an older change the other way does not hide a new one", "[nightly]") {
  // Case 0 improves by 30% from night 5 and regresses by 10% from night 14 (tonight 15): the
  // older split has the larger |t| but the opposite sign, so it is no explanation of tonight.
  // (Night 4, before the improvement, is in split 14's reference, winsorized: a 5% step is a
  // suspect beside it.)
  auto levels = series(20, 16, std::log(0.7), 5);
  levels[0][14] += std::log(1.10);
  levels[0][15] += std::log(1.10);
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{});
  INFO("state " << ptebench::nightly::state_name(j.cases[0].state) << " split " << j.cases[0].split
                << " ratio " << j.cases[0].ratio);
  CHECK(j.cases[0].state == State::regression);
  CHECK(j.cases[0].split == 14);
}

TEST_CASE("nightly judge: each split's null from that split's z, not from each case's best",
          "[nightly]") {
  // 111 cases (the quick suite's size) of normal noise, sd 0.6% (the steadiest cases on this VM):
  // the z of any one split is close to standard normal, so its null stays near 1; the largest |t|
  // of three splits is not (a median and MAD of those widened the null 1.6-2.1x on calm nights of
  // this VM, and a 5% step in a low-noise case stayed stable). Here the step is confirmed on its
  // second night and no other case is.
  const NightJudgement j = judge_night(normal_series(111, 12, 0.006, k5pct, 10), {}, {});
  INFO("null " << j.null_scale << " p " << j.cases[0].p << " q " << j.cases[0].q);
  CHECK(j.null_scale < 1.3);
  CHECK(j.cases[0].state == State::regression);
  CHECK(j.confirmed_regressions == std::vector<std::size_t>{0});
  // The best split's null: the spread of each case's z of its smallest-p split, as it was.
  std::vector<double> best_z;
  for (const auto& c : j.cases) best_z.push_back(c.z);
  const double best_scale = ptebench::noise::empirical_null(best_z, 20).scale;
  INFO("best-split null " << best_scale);
  CHECK(best_scale > j.null_scale);
}

namespace {

using ptebench::nightly::LastNightSuspect;
using ptebench::nightly::NotReplicated;

// Tonight's p of replication as the header states it: tonight's level against the reference
// nights before last night's change point (`split`), a new observation's t with df = nights - 1,
// on the normal scale, widened by tonight's one-night null, times last night's suspects.
double replication_p(const std::vector<double>& levels, std::size_t split, double null_scale,
                     std::size_t suspects) {
  double mean = 0;
  for (std::size_t i = 0; i < split; ++i) mean += levels[i];
  mean /= static_cast<double>(split);
  double ss = 0;
  for (std::size_t i = 0; i < split; ++i) ss += (levels[i] - mean) * (levels[i] - mean);
  const double df = static_cast<double>(split - 1);
  const double se = std::sqrt(ss / df * (1 + 1 / static_cast<double>(split)));
  const double z = ptebench::noise::z_of_t((levels.back() - mean) / se, df);
  return std::min(1.0, 2 * ptebench::stats::normal_cdf(-std::fabs(z) / null_scale) *
                           static_cast<double>(suspects));
}

}  // namespace

TEST_CASE("nightly judge: a suspect of last night that tonight alone confirms is replicated",
          "[nightly]") {
  // A 3% step in case 0 from night 10 among 400 cases: over its two nights a suspect only (the
  // correction across 400 cases, above). Last night it was a suspect (one night after its
  // change point); tonight's run alone, against the 10 nights before that change point, is an
  // independent test of it, corrected over last night's suspects only: confirmed.
  const double step = std::log(1.03);
  const auto levels = series(400, 12, step, 10);
  const NightJudgement before = judge_night(levels, {}, JudgeOptions{});
  REQUIRE(before.cases[0].state == State::suspect);
  std::vector<LastNightSuspect> last(400);
  last[0] = {1, 1.03};
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{}, last);
  const double expected = replication_p(levels[0], 10, j.null_scales.at(0), 1);
  INFO("tonight alone p " << j.cases[0].replicate_p << ", expected " << expected << ", null "
                          << j.null_scales.at(0));
  CHECK(expected < 0.01);
  CHECK(j.cases[0].replicate_p == Approx(expected).epsilon(1e-12));
  CHECK(j.cases[0].replicated);
  CHECK(j.cases[0].not_replicated == NotReplicated::none);
  CHECK(j.cases[0].state == State::regression);
  CHECK(j.confirmed_regressions == std::vector<std::size_t>{0});
  CHECK(j.exit_code() == 1);
  // The interval and p reported stay those of the best split (two nights), as before.
  CHECK(j.cases[0].p == before.cases[0].p);
  CHECK(j.cases[0].ratio == before.cases[0].ratio);
  // Corrected over last night's suspects: with enough of them (0.01 / p, and one more) tonight
  // alone is not enough.
  const std::size_t many = static_cast<std::size_t>(std::ceil(0.01 / expected)) + 1;
  for (std::size_t c = 1; c < many; ++c) last[c] = {1, 1.03};
  const NightJudgement corrected = judge_night(levels, {}, JudgeOptions{}, last);
  CHECK(corrected.cases[0].replicate_p ==
        Approx(std::min(1.0, expected * static_cast<double>(many))).epsilon(1e-9));
  CHECK_FALSE(corrected.cases[0].replicated);
  CHECK(corrected.cases[0].not_replicated == NotReplicated::weak);  // tried, p above the level
  CHECK(corrected.cases[0].state == State::suspect);
  CHECK(corrected.exit_code() == 0);
  // The cases last night did not make suspects: nothing to say.
  CHECK(corrected.cases[many].not_replicated == NotReplicated::none);
  // Off (replicate_alpha 0), or last night's change the other way: a suspect, untested.
  std::fill(last.begin() + 1, last.end(), LastNightSuspect{});
  JudgeOptions off;
  off.replicate_alpha = 0;
  const NightJudgement unreplicated = judge_night(levels, {}, off, last);
  CHECK(unreplicated.cases[0].state == State::suspect);
  CHECK(unreplicated.cases[0].not_replicated == NotReplicated::none);
  last[0] = {1, 0.97};
  const NightJudgement other_way = judge_night(levels, {}, JudgeOptions{}, last);
  CHECK(other_way.cases[0].state == State::suspect);
  CHECK(other_way.cases[0].replicate_p == 1);
  CHECK(other_way.cases[0].not_replicated == NotReplicated::not_shown);
}

TEST_CASE("nightly judge: a suspect of last night is replicated even when tonight's split is not",
          "[nightly]") {
  // A 3% step in case 0 from night 10 among 400 cases, and last night (night 10) disturbed for
  // all the others: odd cases +1%, even cases -1%. The splits' nulls widen with them (1.13x and
  // 1.22x), and case 0's split is no longer a suspect (stable, p 0.018); tonight alone,
  // against the nights before last night's change point (untouched by it), is the same
  // independent test as above: confirmed. (As on this VM's check of 2026-12-07 08:14, trial 1: a
  // suspect of night 11, stable on night 12 at p 0.012, the night's nulls up to 1.43x, where
  // tonight alone read p 0.0026.)
  auto levels = series(400, 12, std::log(1.03), 10);
  for (std::size_t c = 1; c < levels.size(); ++c) levels[c][10] += std::log(c % 2 ? 1.01 : 0.99);
  std::vector<LastNightSuspect> last(400);
  const NightJudgement unscreened = judge_night(levels, {}, JudgeOptions{}, last);
  INFO("split p " << unscreened.cases[0].p << ", nulls " << unscreened.null_scales.at(0) << " "
                  << unscreened.null_scales.at(1));
  REQUIRE(unscreened.cases[0].state == State::stable);
  CHECK_FALSE(unscreened.cases[0].older_change);
  CHECK(unscreened.cases[0].p >= 0.01);
  CHECK(unscreened.null_scales.at(1) > 1.2);
  last[0] = {1, 1.03};
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{}, last);
  const double expected = replication_p(levels[0], 10, j.null_scales.at(0), 1);
  INFO("tonight alone p " << j.cases[0].replicate_p << ", expected " << expected);
  CHECK(expected < 0.01);
  CHECK(j.cases[0].replicate_p == Approx(expected).epsilon(1e-12));
  CHECK(j.cases[0].replicated);
  CHECK(j.cases[0].state == State::regression);
  CHECK(j.exit_code() == 1);
  // A case stable because an older change explains it (+5% from night 6: the series' new
  // normal) is not tried, though last night's screen named it and its nights since the split
  // lie beyond the midpoint.
  const auto older = series(400, 12, k5pct, 6);
  const NightJudgement old = judge_night(older, {}, JudgeOptions{}, last);
  CHECK(old.cases[0].state == State::stable);
  CHECK(old.cases[0].older_change);
  CHECK(old.cases[0].replicate_p == 1);
  CHECK_FALSE(old.cases[0].replicated);
  CHECK(old.cases[0].not_replicated == NotReplicated::older_change);
}

TEST_CASE("nightly judge: an older change explains a case only beyond every split under test",
          "[nightly]") {
  // As above, last night disturbed by +-1.2%: the two-night split's null widens more than the
  // one-night split's, so the best split by widened p is tonight's alone (one night after, a
  // small t). The older splits (5 to 9) all straddle the step (nights of the old level in their
  // "after"): one's |t| beats the one-night split's, none the two-night split's. The
  // header's rule ("better, by |t|, than any split under test") keeps the case a change;
  // compared with the best split only, it read as the series' new normal and was never
  // replicated (seen building the test above).
  auto levels = series(400, 12, std::log(1.03), 10);
  for (std::size_t c = 1; c < levels.size(); ++c) levels[c][10] += std::log(c % 2 ? 1.012 : 0.988);
  std::vector<LastNightSuspect> last(400);
  last[0] = {1, 1.03};
  const NightJudgement j = judge_night(levels, {}, JudgeOptions{}, last);
  INFO("split " << j.cases[0].split << " p " << j.cases[0].p << ", nulls " << j.null_scales.at(0)
                << " " << j.null_scales.at(1) << ", replication p " << j.cases[0].replicate_p);
  CHECK(j.null_scales.at(1) > j.null_scales.at(0));
  CHECK(j.cases[0].split == 11);
  CHECK_FALSE(j.cases[0].older_change);
  CHECK(j.cases[0].replicated);
  CHECK(j.cases[0].state == State::regression);
  // The same series judged case by case with the nulls given: the split straddling the step
  // explains nothing; a step from night 6 (every split under test inside it) is still the
  // series' new normal under the same nulls.
  const std::vector<double> nulls = {1.0, 3.0, 1.0};
  const auto judged = ptebench::nightly::judge_case(levels[0], {}, JudgeOptions{}, nulls, {});
  CHECK(judged.split == 11);
  CHECK_FALSE(judged.older_change);
  const auto old =
      ptebench::nightly::judge_case(series(1, 12, k5pct, 6)[0], {}, JudgeOptions{}, nulls, {});
  CHECK(old.older_change);
  CHECK(old.state == State::stable);
}

TEST_CASE("nightly judge: replication needs every night since the change point on its side",
          "[nightly]") {
  // Last night's suspect was a blip: tonight is back at the old level (not replicated, stable); a
  // change two nights old last night is tested against the nights before its first night; re-runs
  // that do not reproduce the change, or reproduce less than the threshold, stop it.
  std::vector<LastNightSuspect> last(400);
  last[0] = {1, 1.05};
  const NightJudgement blip =
      judge_night(series(400, 12, 0, 1000, std::log(1.05), 10), {}, JudgeOptions{}, last);
  CHECK_FALSE(blip.cases[0].replicated);
  CHECK(blip.cases[0].not_replicated == NotReplicated::not_shown);
  CHECK(blip.cases[0].state != State::regression);
  CHECK(blip.exit_code() == 0);
  // +3% from night 10 of 13: last night (night 11) two nights after the change point, so tonight
  // (night 12) alone is tested against the nights before night 10. Here 3% is a suspect over the
  // three nights and tonight alone is not enough (p 0.039 against 0.01): a suspect still.
  const double step = std::log(1.03);
  const auto older = series(400, 13, step, 10);
  last[0] = {2, 1.03};
  const NightJudgement j = judge_night(older, {}, JudgeOptions{}, last);
  const double expected = replication_p(older[0], 10, j.null_scales.at(0), 1);
  INFO("tonight alone p " << j.cases[0].replicate_p << ", expected " << expected);
  CHECK(expected > 0.01);
  CHECK(j.cases[0].replicate_p == Approx(expected).epsilon(1e-12));
  CHECK_FALSE(j.cases[0].replicated);
  CHECK(j.cases[0].not_replicated == NotReplicated::weak);
  CHECK(j.cases[0].state == State::suspect);
  // Re-runs at the old level: averaged into tonight's level, and on their own not on the
  // change's side: not replicated.
  const auto levels = series(400, 12, step, 10);
  last[0] = {1, 1.03};
  std::vector<std::vector<double>> reruns(400);
  reruns[0] = {levels[0][9], levels[0][9], levels[0][9]};
  const NightJudgement refuted = judge_night(levels, reruns, JudgeOptions{}, last);
  CHECK_FALSE(refuted.cases[0].replicated);
  // Averaged with tonight's run, these re-runs pull tonight back so far that a split before the
  // nights under test explains the series better: not tried (its new normal).
  CHECK(refuted.cases[0].not_replicated == NotReplicated::older_change);
  CHECK(refuted.cases[0].state != State::regression);
  // Re-runs at the new level: replicated as without them.
  reruns[0] = {levels[0][11], levels[0][11], levels[0][11]};
  CHECK(judge_night(levels, reruns, JudgeOptions{}, last).cases[0].replicated);
  // A re-run at +1.85% after tonight's run at +5.4%: beyond the midpoint of tonight's change (the
  // two averaged, +3.6%: midpoint +1.8%) but less than the 2% threshold: a suspect; with a 1.5%
  // threshold the same re-run replicates it.
  auto high = levels;
  double base = 0;
  for (std::size_t k = 0; k < 10; ++k) base += high[0][k] / 10;
  high[0][11] = base + std::log(1.054);
  reruns[0] = {base + std::log(1.0185)};
  const NightJudgement small = judge_night(high, reruns, JudgeOptions{}, last);
  CHECK_FALSE(small.cases[0].replicated);
  CHECK(small.cases[0].not_replicated == NotReplicated::reruns);
  CHECK(small.cases[0].state == State::suspect);
  JudgeOptions lower;
  lower.threshold_pct = 1.5;
  const NightJudgement lowered = judge_night(high, reruns, lower, last);
  CHECK(lowered.cases[0].replicated);
  CHECK(lowered.cases[0].state == State::regression);
}

TEST_CASE("nightly judge: a night after one that stayed noisy does not count", "[nightly]") {
  // A 5% step in case 0 from night 10 of 12 (nights 10 and 11 after the split), confirmed when
  // every night is calm. night_nulls[k]: night k's one-night null widening as it was judged.
  const auto levels = series(20, 12, k5pct, 10);
  std::vector<double> nulls(12, 1.0);
  REQUIRE(judge_night(levels, {}, JudgeOptions{}, {}, nulls).cases[0].state == State::regression);
  SECTION("its first night stayed noisy: the night after it does not count, a suspect") {
    nulls[10] = 1.92;
    const NightJudgement j = judge_night(levels, {}, JudgeOptions{}, {}, nulls);
    CHECK(j.cases[0].state == State::suspect);
    CHECK(j.cases[0].split == 10);
    CHECK(j.cases[0].after_noisy_nights == 1);
    CHECK(j.exit_code() == 0);
    // The rule off, or the night just at the bound: confirmed.
    JudgeOptions off;
    off.noisy_bound = 0;
    CHECK(judge_night(levels, {}, off, {}, nulls).cases[0].state == State::regression);
    nulls[10] = 1.5;
    CHECK(judge_night(levels, {}, JudgeOptions{}, {}, nulls).cases[0].state == State::regression);
  }
  SECTION("tonight stayed noisy after a calm first night: confirmed (its state is in its null)") {
    nulls[11] = 1.82;
    const NightJudgement j = judge_night(levels, {}, JudgeOptions{}, {}, nulls);
    CHECK(j.cases[0].state == State::regression);
    CHECK(j.cases[0].after_noisy_nights == 0);
    CHECK(j.exit_code() == 1);
  }
  SECTION("both nights stayed noisy: the second does not count, a suspect") {
    nulls[10] = 1.6;
    nulls[11] = 1.82;
    const NightJudgement j = judge_night(levels, {}, JudgeOptions{}, {}, nulls);
    CHECK(j.cases[0].state == State::suspect);
    CHECK(j.cases[0].after_noisy_nights == 1);
  }
  SECTION("a night that stayed noisy before the split does not matter") {
    nulls[9] = 3.0;
    CHECK(judge_night(levels, {}, JudgeOptions{}, {}, nulls).cases[0].state == State::regression);
  }
  SECTION("the next night, two counted nights after the split: confirmed") {
    const auto three = series(20, 13, k5pct, 10);
    std::vector<double> later(13, 1.0);
    later[10] = 1.92;
    const NightJudgement j = judge_night(three, {}, JudgeOptions{}, {}, later);
    CHECK(j.cases[0].split == 10);
    CHECK(j.cases[0].state == State::regression);
    CHECK(j.cases[0].after_noisy_nights == 0);
  }
  SECTION("a case the correction leaves a suspect is not one of the noisy nights'") {
    // 400 cases: a 3% step is not confirmed over the night's cases (q above 0.05) anyway,
    // though on its own (judge_case, before the correction) the noisy night is what held it.
    const auto many = series(400, 12, std::log(1.03), 10);
    std::vector<double> noisy(12, 1.0);
    noisy[10] = 1.92;
    CHECK(
        ptebench::nightly::judge_case(many[0], {}, JudgeOptions{}, {}, noisy).after_noisy_nights ==
        1);
    const NightJudgement j = judge_night(many, {}, JudgeOptions{}, {}, noisy);
    REQUIRE(j.cases[0].state == State::suspect);
    CHECK(j.cases[0].after_noisy_nights == 0);
  }
}

TEST_CASE("nightly judge: replication waits when last night and tonight both stayed noisy",
          "[nightly]") {
  // As in "a suspect of last night that tonight alone confirms is replicated": a 3% step among
  // 400 cases, replicated by tonight's run alone, also when one of last night (the screen) and
  // tonight stayed noisy; not when both did.
  const auto levels = series(400, 12, std::log(1.03), 10);
  std::vector<LastNightSuspect> last(400);
  last[0] = {1, 1.03};
  std::vector<double> nulls(12, 1.0);
  REQUIRE(judge_night(levels, {}, JudgeOptions{}, last, nulls).cases[0].replicated);
  nulls[11] = 1.7;
  const NightJudgement tonight_noisy = judge_night(levels, {}, JudgeOptions{}, last, nulls);
  CHECK(tonight_noisy.cases[0].replicated);
  CHECK(tonight_noisy.cases[0].state == State::regression);
  nulls[10] = 1.7;
  const NightJudgement both = judge_night(levels, {}, JudgeOptions{}, last, nulls);
  CHECK_FALSE(both.cases[0].replicated);
  CHECK(both.cases[0].not_replicated == NotReplicated::both_noisy);
  CHECK(both.cases[0].replicate_p == 1);  // not tried
  CHECK(both.cases[0].state == State::suspect);
  CHECK(both.exit_code() == 0);
  nulls[11] = 1.0;
  const NightJudgement screen_noisy = judge_night(levels, {}, JudgeOptions{}, last, nulls);
  CHECK(screen_noisy.cases[0].replicated);
  CHECK(screen_noisy.cases[0].state == State::regression);
  CHECK(screen_noisy.cases[0].after_noisy_nights == 0);  // confirmed: not held by the noisy night
  // The rule off: both noisy replicates too.
  JudgeOptions off;
  off.noisy_bound = 0;
  nulls[11] = 1.7;
  CHECK(judge_night(levels, {}, off, last, nulls).cases[0].replicated);
}

TEST_CASE("nightly judge: what a suspect of last night not replicated tonight says", "[nightly]") {
  using ptebench::nightly::not_replicated_text;
  CHECK(not_replicated_text(NotReplicated::none, 0.5).empty());
  CHECK(not_replicated_text(NotReplicated::weak, 0.1234) == "not replicated: tonight alone p 0.12");
  CHECK(not_replicated_text(NotReplicated::not_shown, 1) ==
        "not replicated: the nights since its change point do not all show it");
  CHECK(not_replicated_text(NotReplicated::reruns, 1) ==
        "not replicated: tonight's re-runs do not reproduce it");
  CHECK(not_replicated_text(NotReplicated::both_noisy, 1) ==
        "not tried for replication: last night and tonight both stayed noisy");
  CHECK(not_replicated_text(NotReplicated::older_change, 1) ==
        "not tried for replication: an older change explains its series");
}
