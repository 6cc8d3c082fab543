// libFuzzer target for the compare engine (harness/compare.h), fed rows decoded from the bytes
// rather than parsed CSV, so that the fuzzer spends its time on sample values, ties, sizes and
// options instead of on getting past the reader (results_reader_fuzz covers that path).
//
// Input: 2 bytes of options, then 11-byte records, each one row:
//   byte 0: bit 0 side (base/new), bits 1-2 variant, bits 3-4 ptes, bits 5-7 repetition
//   byte 1: bits 0-1 metric, bit 2 unit variant (two units for one metric: an InputError),
//           bit 3 a history row (the noise reference, Unit::run), bit 4 a second run of its side
//   bytes 2-9: the value's bits (non-finite values are dropped: the reader never yields them)
//   byte 10: coverage = byte / 255
// Checks beyond "no crash, leak or UB": every summary count matches the rows; p-values lie in
// [0, 1] and adjusted >= raw; ratio_low <= ratio <= ratio_high; a regression or improvement
// has p_adjusted < alpha; the same rows on both sides never give a regression or improvement;
// with Unit::run (options byte 0 bit 1) a row without a run-level estimate (run_df 0) is never
// flagged, and a row is inconclusive exactly when it has a reason.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "harness/compare.h"
#include "harness/input_error.h"
#include "harness/results_row.h"

namespace {

namespace compare = ptebench::compare;
using ptebench::results::Row;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "compare_fuzz: %s\n", what.c_str());
  std::abort();
}

constexpr std::size_t kRecord = 11;

Row decode(const std::uint8_t* r) {
  static const char* const kVariants[] = {"plain", "read_once", "arch", "kernel"};
  static const char* const kMetrics[] = {"ns_per_pte", "cycles_per_pte", "page_faults",
                                         "l1d_misses_per_pte"};
  Row row;
  row.run_id = std::string((r[0] & 1) ? "new" : "base") + ((r[1] & 16) ? "2" : "");
  row.codegen = "kernel";
  row.workload = "zap_range";
  row.pte_format = "x86_64";
  row.variant = kVariants[(r[0] >> 1) & 3];
  row.layout = "dense";
  row.ptes = std::uint64_t{512} << ((r[0] >> 3) & 3);
  row.repetition = r[0] >> 5;
  row.metric = kMetrics[r[1] & 3];
  row.unit = (r[1] & 4) ? "events" : "ns";
  std::uint64_t bits = 0;
  std::memcpy(&bits, r + 2, sizeof bits);
  row.value = std::bit_cast<double>(bits);
  row.coverage = r[10] / 255.0;
  return row;
}

void check(const compare::Comparison& c, double alpha) {
  compare::Summary counted;
  const bool by_run = c.options.resolved_unit() == compare::Unit::run;
  for (const compare::ComparisonRow& row : c.rows) {
    const bool is_flagged =
        row.verdict == compare::Verdict::regression || row.verdict == compare::Verdict::improvement;
    if (by_run && is_flagged && row.run_df == 0) fail("flagged without a run-level estimate");
    if ((row.verdict == compare::Verdict::inconclusive) !=
        (row.reason != compare::InconclusiveReason::none)) {
      fail("inconclusive and its reason disagree");
    }
    ++counted.counts[static_cast<std::size_t>(row.verdict)];
    if (!std::isnan(row.p_value) && !(row.p_value >= 0 && row.p_value <= 1)) {
      fail("p outside [0, 1]: " + std::to_string(row.p_value));
    }
    if (!std::isnan(row.p_adjusted) &&
        !(row.p_adjusted >= row.p_value * (1 - 1e-12) && row.p_adjusted <= 1)) {
      fail("adjusted p " + std::to_string(row.p_adjusted) + " vs raw " +
           std::to_string(row.p_value));
    }
    if (!std::isnan(row.ratio) && !(row.ratio_low <= row.ratio && row.ratio <= row.ratio_high)) {
      fail("ratio outside its interval: " + std::to_string(row.ratio_low) + " " +
           std::to_string(row.ratio) + " " + std::to_string(row.ratio_high));
    }
    const bool flagged =
        row.verdict == compare::Verdict::regression || row.verdict == compare::Verdict::improvement;
    if (flagged && !(row.p_adjusted < alpha)) {
      fail("flagged with p_adjusted " + std::to_string(row.p_adjusted));
    }
  }
  if (counted.counts != c.summary.counts) fail("summary counts differ from the rows");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  compare::CompareOptions options;
  options.threshold_pct = data[0] / 10.0;  // 0 .. 25.5 %
  options.alpha = (data[1] + 1) / 257.0;   // (0, 1)
  const bool between = (data[0] & 1) != 0;
  if (!between) {
    options.unit = (data[0] & 2) ? compare::Unit::run : compare::Unit::repetition;
  }
  std::vector<Row> base;
  std::vector<Row> current;
  std::vector<Row> history;
  std::vector<Row> all;
  for (std::size_t at = 2; at + kRecord <= size; at += kRecord) {
    Row row = decode(data + at);
    if (!std::isfinite(row.value)) continue;
    row.repetition += static_cast<std::uint32_t>(all.size());  // keys stay unique
    if (data[at + 1] & 8) {
      row.run_id = "history" + row.run_id;
      history.push_back(std::move(row));
      continue;
    }
    (row.run_id.rfind("new", 0) == 0 ? current : base).push_back(row);
    all.push_back(std::move(row));
  }
  try {
    if (between) {
      compare::CompareOptions split = options;
      split.between = compare::Between{"variant", "plain", "read_once"};
      check(compare::compare_between(all, split), split.alpha);
    } else {
      check(compare::compare(base, current, options), options.alpha);
      compare::Collector collector(options);
      for (const Row& r : base) collector.add_base(r);
      collector.next_input();
      for (const Row& r : current) collector.add_new(r);
      collector.next_input();
      for (const Row& r : history) collector.add_history(r);
      check(std::move(collector).finish(), options.alpha);
    }
    const compare::Comparison self = compare::compare(all, all, options);
    check(self, options.alpha);
    if (self.summary.count(compare::Verdict::regression) != 0 ||
        self.summary.count(compare::Verdict::improvement) != 0) {
      fail("identical sides flagged");
    }
  } catch (const ptebench::InputError&) {
    // Two units for one metric, or no row with a --between value: clean refusals.
  }
  return 0;
}
