// compare's verdicts as JUnit XML, for CI systems that show test reports (GitLab, Jenkins,
// GitHub test-reporter actions): one <testsuite>, one <testcase> per (case, metric) — classname
// the case's benchmark name, name the metric — and one per metric whose whole-run shift was a
// verdict (classname "drift"). A regression is a <failure>; a case that could not be judged
// (insufficient samples, present on one side only) is <skipped> with the reason; improvement
// and unchanged pass. The message of each gives the change with its interval and the adjusted
// p-value (harness/report.h, format_change).
// Layout per the JUnit XML schema as Jenkins and GitLab read it (testsuites > testsuite >
// testcase > failure|skipped; tests/failures/skipped counts on the suite).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/compare.h"

namespace ptebench::junit {

// What a verdict becomes in JUnit. One switch over compare::Verdict (junit.cc) decides it, so
// a new verdict is one line there (the compiler names the missing case).
enum class Outcome { pass, failure, skipped };
Outcome outcome_of(compare::Verdict verdict);

// One <testcase>: what write_junit makes of a row, and what other judgements (nightly's
// against its history, harness/nightly_report.h) give directly.
struct TestCase {
  std::string classname, name, message;
  Outcome outcome = Outcome::pass;
};
void write_testcases(std::ostream& out, const std::vector<TestCase>& cases, std::string_view suite);

// The testcases of a comparison: one per row and one per whole-run verdict.
std::vector<TestCase> testcases(const compare::Comparison& comparison);

// `suite` names the <testsuite> (e.g. "ptebench compare base.csv new.csv").
void write_junit(std::ostream& out, const compare::Comparison& comparison, std::string_view suite);
std::string to_junit(const compare::Comparison& comparison, std::string_view suite);

// Text with &, <, >, " and ' escaped, and control characters other than tab replaced by
// spaces (XML 1.0 cannot hold them).
std::string xml_escape(std::string_view text);

}  // namespace ptebench::junit
