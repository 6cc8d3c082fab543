// libFuzzer target: any bytes as a results file. Beyond "no crash, leak or UB" it checks:
//  - a rejected input gives one InputError line "fuzz.csv:LINE[:COLUMN]: what";
//  - an accepted input survives the writer: to_csv(rows) reads back to the same rows, bit for
//    bit (so the reader accepts nothing the writer cannot reproduce, and vice versa);
//  - the compare engine on accepted rows: a run compared with itself never gives a regression
//    or an improvement, and --between variant=plain,read_once either works or is an InputError.
// A failed check aborts, which libFuzzer reports as a crash with the input saved.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "harness/compare.h"
#include "harness/input_error.h"
#include "harness/results_reader.h"
#include "harness/results_writer.h"

namespace {

using ptebench::InputError;
using ptebench::results::Row;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "results_reader_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

// "fuzz.csv:" then a line number: the one-line form every reader error has.
void check_error_line(const std::string& message) {
  constexpr std::string_view kPrefix = "fuzz.csv:";
  const bool ok = message.find('\n') == std::string::npos &&
                  message.compare(0, kPrefix.size(), kPrefix) == 0 &&
                  message.size() > kPrefix.size() && message[kPrefix.size()] >= '1' &&
                  message[kPrefix.size()] <= '9';
  if (!ok) fail("malformed error message", message);
}

void check_compare(const std::vector<Row>& rows) {
  namespace compare = ptebench::compare;
  try {
    const compare::Comparison self = compare::compare(rows, rows, compare::CompareOptions{});
    if (self.summary.count(compare::Verdict::regression) != 0 ||
        self.summary.count(compare::Verdict::improvement) != 0) {
      fail("a run compared with itself changed", std::to_string(self.rows.size()) + " rows");
    }
  } catch (const InputError&) {
    // e.g. one (case, metric) with two units: a clean refusal is fine.
  }
  try {
    compare::CompareOptions between;
    between.between = compare::Between{"variant", "plain", "read_once"};
    (void)compare::compare_between(rows, between);
  } catch (const InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  std::vector<Row> rows;
  try {
    rows = ptebench::results::parse_results(csv, "fuzz.csv");
  } catch (const InputError& e) {
    check_error_line(e.what());
    return 0;
  }
  const std::string again = ptebench::results::to_csv(rows);
  std::vector<Row> back;
  try {
    back = ptebench::results::parse_results(again, "again.csv");
  } catch (const InputError& e) {
    fail("the writer's output was rejected", e.what());
  }
  if (back.size() != rows.size()) fail("round trip changed the row count", again);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!ptebench::results::identical(rows[i], back[i]))
      fail("round trip changed a row", std::to_string(i));
  }
  check_compare(rows);
  return 0;
}
