#include "harness/junit.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "harness/report.h"
#include "harness/results_writer.h"

namespace ptebench::junit {

Outcome outcome_of(compare::Verdict verdict) {
  switch (verdict) {
    case compare::Verdict::regression:
      return Outcome::failure;
    case compare::Verdict::improvement:
      return Outcome::pass;
    case compare::Verdict::unchanged:
      return Outcome::pass;
    case compare::Verdict::inconclusive:
      return Outcome::skipped;  // the data cannot decide: skipped with its reason
    case compare::Verdict::insufficient:
      return Outcome::skipped;
    case compare::Verdict::missing:
      return Outcome::skipped;
  }
  return Outcome::failure;  // not reached: every verdict is listed above
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = ' ';
        out += c;
    }
  }
  return out;
}

namespace {

std::string number(double v) {
  return std::isnan(v) ? "n/a" : results::format_double(v);
}

// Why a row has its verdict, in one line.
std::string message(const compare::ComparisonRow& row) {
  std::string m(compare::verdict_name(row.verdict));
  if (row.verdict == compare::Verdict::missing) {
    m += row.n_base == 0 ? ": no samples in the baseline" : ": no samples in the new run";
    return m;
  }
  if (row.verdict == compare::Verdict::inconclusive) {
    m += ": " + std::string(compare::inconclusive_reason_name(row.reason)) + " (" +
         report::format_change(row) +
         "); ptebench ab, more runs a side or --history would decide it";
    return m;
  }
  if (row.verdict == compare::Verdict::insufficient) {
    m += ": " + std::to_string(row.n_base) + " base and " + std::to_string(row.n_new) +
         " new samples, at least " + std::to_string(compare::kMinRepetitions) +
         " a side are needed";
    return m;
  }
  m += ": " + report::format_change(row) + ", median " + number(row.median_base) + " -> " +
       number(row.median_new) + " " + row.unit + ", p_adjusted " + number(row.p_adjusted) + ", n " +
       std::to_string(row.n_base) + "/" + std::to_string(row.n_new);
  return m;
}

}  // namespace

std::vector<TestCase> testcases(const compare::Comparison& comparison) {
  std::vector<TestCase> cases;
  for (const auto& row : comparison.rows)
    cases.push_back(
        {results::case_name(row.key), row.metric, message(row), outcome_of(row.verdict)});
  for (const auto& note : comparison.drift) {
    if (!note.common_removed) continue;
    char m[200];
    std::snprintf(m, sizeof m,
                  "%s: the whole new run is shifted by %+.1f%% against the base (median over %zu "
                  "cases; limit %.1f%%)",
                  std::string(compare::verdict_name(note.common_verdict)).c_str(),
                  (note.common_ratio - 1) * 100, note.common_cases,
                  comparison.options.shift_limit_pct);
    cases.push_back({"drift", note.metric, m, outcome_of(note.common_verdict)});
  }
  return cases;
}

void write_testcases(std::ostream& out, const std::vector<TestCase>& cases,
                     std::string_view suite) {
  std::size_t failures = 0, skipped = 0;
  for (const TestCase& c : cases) {
    failures += c.outcome == Outcome::failure;
    skipped += c.outcome == Outcome::skipped;
  }
  const std::string name = xml_escape(suite);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites name=\"" << name << "\" tests=\"" << cases.size() << "\" failures=\""
      << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n"
      << "  <testsuite name=\"" << name << "\" tests=\"" << cases.size() << "\" failures=\""
      << failures << "\" errors=\"0\" skipped=\"" << skipped << "\">\n";
  for (const TestCase& c : cases) {
    out << "    <testcase classname=\"" << xml_escape(c.classname) << "\" name=\""
        << xml_escape(c.name) << "\"";
    const std::string msg = xml_escape(c.message);
    switch (c.outcome) {
      case Outcome::pass:
        out << "><system-out>" << msg << "</system-out></testcase>\n";
        break;
      case Outcome::failure:
        out << "><failure type=\"regression\" message=\"" << msg << "\">" << msg
            << "</failure></testcase>\n";
        break;
      case Outcome::skipped:
        out << "><skipped message=\"" << msg << "\"/></testcase>\n";
        break;
    }
  }
  out << "  </testsuite>\n</testsuites>\n";
}

void write_junit(std::ostream& out, const compare::Comparison& comparison, std::string_view suite) {
  write_testcases(out, testcases(comparison), suite);
}

std::string to_junit(const compare::Comparison& comparison, std::string_view suite) {
  std::ostringstream out;
  write_junit(out, comparison, suite);
  return out.str();
}

}  // namespace ptebench::junit
