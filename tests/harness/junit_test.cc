// compare's verdicts as JUnit XML: one testcase per (case, metric), a regression a failure,
// an undecidable row skipped with its reason, a whole-run shift its own testcase; escaping; the
// document well-formed (xmllint, where installed).
#include "harness/junit.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "harness/compare.h"
#include "tests/harness/test_files.h"

namespace ptebench::junit {
namespace {

using compare::ComparisonRow;
using compare::Verdict;

ComparisonRow row(std::string workload, std::string metric, Verdict verdict) {
  ComparisonRow r;
  r.key = results::CaseKey{"kernel", std::move(workload), "x86_64", "plain", "dense", 4096};
  r.metric = std::move(metric);
  r.unit = "ns";
  r.n_base = r.n_new = 10;
  r.median_base = 1.0;
  r.median_new = 1.1;
  r.ratio = 1.1;
  r.ratio_low = 1.08;
  r.ratio_high = 1.12;
  r.basis = compare::ChangeBasis::log_ratio;
  r.p_value = 0.001;
  r.p_adjusted = 0.002;
  r.verdict = verdict;
  return r;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

compare::Comparison sample() {
  compare::Comparison c;
  c.rows.push_back(row("zap_range", "ns_per_pte", Verdict::regression));
  c.rows.push_back(row("copy_range", "ns_per_pte", Verdict::unchanged));
  c.rows.push_back(row("copy_range", "cycles_per_pte", Verdict::improvement));
  auto few = row("none_scan", "ns_per_pte", Verdict::insufficient);
  few.n_new = 3;
  c.rows.push_back(few);
  auto gone = row("<odd & \"name\">", "ns_per_pte", Verdict::missing);
  gone.n_new = 0;
  c.rows.push_back(gone);
  compare::DriftNote note;
  note.metric = "ns_per_pte";
  note.common_ratio = 1.07;
  note.common_cases = 40;
  note.common_removed = true;
  note.common_verdict = Verdict::regression;
  c.drift.push_back(note);
  return c;
}

TEST_CASE("junit: one testcase per case and metric, regressions fail, undecided rows skip") {
  const std::string xml = to_junit(sample(), "ptebench compare a.csv b.csv");
  CHECK(count(xml, "<testcase ") == 6);
  CHECK(count(xml, "<failure ") == 2);  // the regression and the whole-run shift
  CHECK(count(xml, "<skipped ") == 2);
  CHECK(xml.find("tests=\"6\" failures=\"2\" errors=\"0\" skipped=\"2\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"zap_range/x86_64/plain/dense/4096/kernel\" "
                 "name=\"ns_per_pte\"><failure type=\"regression\" message=\"regression: +10.0% "
                 "[+8.0%, +12.0%]") != std::string::npos);
  CHECK(xml.find("<skipped message=\"insufficient: 10 base and 3 new samples, at least 5 a "
                 "side are needed\"/>") != std::string::npos);
  CHECK(xml.find("<skipped message=\"missing: no samples in the new run\"/>") != std::string::npos);
  CHECK(xml.find("classname=\"&lt;odd &amp; &quot;name&quot;&gt;/x86_64") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"drift\" name=\"ns_per_pte\"><failure") !=
        std::string::npos);
  CHECK(xml.find("shifted by +7.0% against the base (median over 40 cases; limit 5.0%)") !=
        std::string::npos);
}

TEST_CASE("junit: verdicts map to outcomes") {
  CHECK(outcome_of(Verdict::regression) == Outcome::failure);
  CHECK(outcome_of(Verdict::improvement) == Outcome::pass);
  CHECK(outcome_of(Verdict::unchanged) == Outcome::pass);
  CHECK(outcome_of(Verdict::insufficient) == Outcome::skipped);
  CHECK(outcome_of(Verdict::missing) == Outcome::skipped);
}

TEST_CASE("junit: escaping") {
  CHECK(xml_escape("a<b>&\"c'\n\x01") == "a&lt;b&gt;&amp;&quot;c&apos;  ");
}

TEST_CASE("junit: the document is well-formed XML") {
  if (std::system("command -v xmllint > /dev/null 2>&1") != 0) {
    WARN("SKIP: xmllint not installed (libxml2-utils)");
    CHECK(true);
    return;
  }
  test::TempDir dir;
  const auto file = dir.write("j.xml", to_junit(sample(), "s & t"));
  CHECK(std::system(("xmllint --noout " + file.string()).c_str()) == 0);
  const auto bad = dir.write("bad.xml", "<a><b></a>");
  CHECK(std::system(("xmllint --noout " + bad.string() + " 2> /dev/null").c_str()) != 0);
}

TEST_CASE("an inconclusive row is a skipped testcase that says why and what would decide it") {
  compare::Comparison c;
  auto open = row("reclaim_walk", "ns_per_pte", Verdict::inconclusive);
  open.reason = compare::InconclusiveReason::run_noise_unknown;
  c.rows.push_back(open);
  const std::string xml = to_junit(c, "ptebench compare");
  CHECK(count(xml, "<testcase ") == 1);
  CHECK(count(xml, "<skipped ") == 1);
  CHECK(count(xml, "<failure ") == 0);
  CHECK(xml.find("inconclusive: run_noise_unknown") != std::string::npos);
  CHECK(xml.find("ptebench ab, more runs a side or --history would decide it") !=
        std::string::npos);
}

}  // namespace
}  // namespace ptebench::junit
