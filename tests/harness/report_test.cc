// Tests for harness/report: the three formats of a comparison (headers, cells, verdicts,
// Markdown pipes, CSV quoting and digits), the change text, the variant table, bad format names.
#include "harness/report.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "harness/input_error.h"

namespace {

using Catch::Contains;
using Catch::StartsWith;
using ptebench::InputError;
using ptebench::compare::ChangeBasis;
using ptebench::compare::Comparison;
using ptebench::compare::ComparisonRow;
using ptebench::compare::Verdict;
using ptebench::report::format_change;
using ptebench::report::make_comparison_reporter;
using ptebench::report::write_variant_table;
using ptebench::results::Row;

ComparisonRow make_comparison_row(const std::string& workload, Verdict verdict, double ratio,
                                  double low, double high, double p_adjusted) {
  ComparisonRow row;
  row.key = {"kernel", workload, "x86_64", "plain", "dense", 262144};
  row.metric = "ns_per_pte";
  row.unit = "ns";
  row.n_base = 10;
  row.n_new = 10;
  row.median_base = 2.5;
  row.median_new = 2.5 * ratio;
  row.ratio = ratio;
  row.ratio_low = low;
  row.ratio_high = high;
  row.basis = ChangeBasis::log_ratio;
  row.p_value = p_adjusted / 2;
  row.p_adjusted = p_adjusted;
  row.verdict = verdict;
  return row;
}

// A hand-made comparison: one regression, one unchanged, one missing.
Comparison sample_comparison() {
  Comparison c;
  c.rows.push_back(
      make_comparison_row("zap_range", Verdict::regression, 1.051, 1.039, 1.063, 0.00123));
  c.rows.push_back(make_comparison_row("copy_range", Verdict::unchanged, 1.002, 0.991, 1.012, 0.7));
  ComparisonRow missing;
  missing.key = {"kernel", "fork", "native", "kernel", "4k", 4096};
  missing.metric = "page_faults";
  missing.unit = "count";
  missing.n_base = 5;
  missing.median_base = 4096;
  missing.verdict = Verdict::missing;
  c.rows.push_back(missing);
  c.summary.counts = {1, 0, 0, 1, 0, 1};  // in kVerdicts order
  c.options.unit = ptebench::compare::Unit::repetition;
  return c;
}

std::string render(const std::string& format, const Comparison& c, bool all = false) {
  std::ostringstream out;
  make_comparison_reporter(format, all)->write(out, c);
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

Row run_row(const std::string& workload, const std::string& variant, std::uint32_t repetition,
            double value) {
  Row row;
  row.run_id = "r";
  row.codegen = "kernel";
  row.workload = workload;
  row.pte_format = "x86_64";
  row.variant = variant;
  row.layout = "dense";
  row.ptes = 512;
  row.repetition = repetition;
  row.metric = "ns_per_pte";
  row.value = value;
  row.unit = "ns";
  return row;
}

}  // namespace

TEST_CASE("format_change: percent with interval - one decimal", "[report]") {
  ComparisonRow row = make_comparison_row("x", Verdict::regression, 1.051, 1.039, 1.063, 0.01);
  CHECK(format_change(row) == "+5.1% [+3.9%, +6.3%]");
  row.ratio = 0.9;
  row.ratio_low = 0.88;
  row.ratio_high = 0.9249;
  CHECK(format_change(row) == "-10.0% [-12.0%, -7.5%]");
  row.ratio = 0.99996;  // rounds to zero: never "-0.0%"
  row.ratio_low = 0.9996;
  row.ratio_high = 1.0004;
  CHECK(format_change(row) == "+0.0% [+0.0%, +0.0%]");
  row.basis = ChangeBasis::raw_shift;
  CHECK_THAT(format_change(row), Catch::EndsWith(" *"));
  row.ratio = std::nan("");
  row.basis = ChangeBasis::none;
  CHECK(format_change(row) == "n/a");
}

TEST_CASE("comparison as an aligned terminal table", "[report]") {
  const std::string text = render("table", sample_comparison(), true);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() >= 7);
  CHECK_THAT(lines[0],
             StartsWith("base = base, new = new; unit: repetition; change = Hodges-Lehmann ratio"));
  CHECK_THAT(lines[0], Contains("p < 0.05 and the whole interval is >= 2% from no change"));
  CHECK(lines[1].empty());
  Comparison on_estimate = sample_comparison();  // ab's rule (compare_options.h, ThresholdOn)
  on_estimate.options.threshold_on = ptebench::compare::ThresholdOn::estimate;
  CHECK_THAT(lines_of(render("table", on_estimate, true))[0],
             Contains("p < 0.05 and the change is >= 2% from no change"));
  CHECK_THAT(lines[2], StartsWith("case"));
  for (const char* header : {"metric", "unit", "n base/new", "median base", "median new",
                             "change [95% CI]", "p (adj)", "verdict"}) {
    CHECK_THAT(lines[2], Contains(header));
  }
  CHECK_THAT(lines[3], StartsWith("----"));
  CHECK_THAT(text, Contains("zap_range/x86_64/plain/dense/262144/kernel"));
  CHECK_THAT(text, Contains("+5.1% [+3.9%, +6.3%]"));
  CHECK_THAT(text, Contains("0.0012"));
  CHECK_THAT(text, Contains("regression"));
  CHECK_THAT(text, Contains("missing"));
  CHECK_THAT(text, Contains("n/a"));
  CHECK(lines.back() ==
        "summary: 1 regression, 0 improvement, 0 inconclusive, 1 unchanged, 0 insufficient, "
        "1 missing");
  // Aligned: the verdict column starts at the same offset in the header and every row; flags
  // first, unchanged last.
  const std::size_t column = lines[2].find("verdict");
  CHECK(lines[4].find("regression") == column);
  CHECK(lines[5].find("missing") == column);
  CHECK(lines[6].find("unchanged") == column);
}

TEST_CASE("comparison as a Markdown table", "[report]") {
  Comparison c = sample_comparison();
  c.base_label = "variant=plain";
  c.new_label = "variant=read_once";
  const std::string text = render("md", c, true);
  const auto lines = lines_of(text);
  CHECK_THAT(lines[0], StartsWith("base = variant=plain, new = variant=read_once"));
  CHECK(lines[2] ==
        "| case | metric | unit | n base/new | median base | median new | change [95% CI] | "
        "p (adj) | verdict |");
  CHECK(lines[3] == "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
  CHECK_THAT(lines[4], StartsWith("| zap_range/x86_64/plain/dense/262144/kernel | ns_per_pte |"));
  CHECK_THAT(lines[4], Contains("| **regression** |"));
  CHECK_THAT(lines[5], Contains("| missing |"));
  CHECK_THAT(lines[6], Contains("| unchanged |"));
  CHECK_THAT(text, Contains("summary: 1 regression"));
  for (std::size_t i = 2; i <= 6; ++i) {
    CHECK(std::count(lines[i].begin(), lines[i].end(), '|') == 10);  // 9 columns
  }
}

TEST_CASE("comparison as CSV", "[report]") {
  Comparison c = sample_comparison();
  c.base_label = "old, \"tuned\"";  // a label that needs quoting
  c.rows[0].common_shift_removed = 0.97;
  const auto lines = lines_of(render("csv", c));
  REQUIRE(lines.size() == 4);  // header and three rows, no legend or summary
  CHECK(lines[0] ==
        "base_label,new_label,codegen,workload,pte_format,variant,layout,ptes,metric,unit,n_base,"
        "n_new,median_base,median_new,ratio,ratio_low,ratio_high,change_basis,p_value,"
        "p_adjusted,verdict,common_shift_removed,runs_base,runs_new,run_df,run_sd,within_sd,"
        "null_scale,inconclusive_reason");
  CHECK(lines[1] ==
        "\"old, \"\"tuned\"\"\",new,kernel,zap_range,x86_64,plain,dense,262144,ns_per_pte,ns,10,"
        "10,2.5,2.6274999999999999,1.0509999999999999,1.0389999999999999,1.0629999999999999,"
        "log_ratio,0.00061499999999999999,0.00123,regression,0.96999999999999997,0,0,0,,,1,");
  // NaN (no value) is an empty field.
  CHECK(lines[3] ==
        "\"old, \"\"tuned\"\"\",new,kernel,fork,native,kernel,4k,4096,page_faults,count,5,0,4096,"
        ",,,,none,,,missing,,0,0,0,,,1,");
}

TEST_CASE("comparison: one line per metric on the drift removed", "[report]") {
  Comparison c = sample_comparison();
  ptebench::compare::DriftNote note;
  note.metric = "ns_per_pte";
  note.drift = ptebench::compare::Drift::run;
  note.base_blocks = note.base_blocks_corrected = 10;
  note.new_blocks = 10;
  note.new_blocks_corrected = 9;
  note.max_factor_pct = 3.94;
  note.common_ratio = 0.972;
  note.common_cases = 111;
  note.common_removed = true;
  c.drift.push_back(note);
  note.metric = "page_faults";
  note.base_blocks_corrected = note.new_blocks_corrected = 0;
  note.common_ratio = 1;
  note.common_cases = 1;
  note.common_removed = false;
  c.drift.push_back(note);
  c.options.drift = ptebench::compare::Drift::run;

  SECTION("table: after the legend, before the table") {
    const auto lines = lines_of(render("table", c));
    CHECK_THAT(lines[0], Contains("; drift removed: run"));
    CHECK(lines[1] ==
          "drift ns_per_pte: repetition factors removed in 10/10 base and 9/10 new repetitions "
          "(largest 3.9%); common shift new/base -2.8% over 111 cases, removed");
    CHECK(lines[2] ==
          "drift page_faults: no repetition factors (20 or fewer other cases per repetition); "
          "common shift new/base +0.0% over 1 case, kept (20 or fewer cases)");
    CHECK(lines[3].empty());
    CHECK_THAT(lines[4], StartsWith("case"));
    CHECK(lines.back() ==
          "summary: 1 regression, 0 improvement, 0 inconclusive, 1 unchanged, 0 insufficient, 1 "
          "missing");
  }
  SECTION("a common shift beyond the limit is named on its line and in the summary") {
    c.drift[0].common_ratio = 1.061;
    c.drift[0].common_verdict = Verdict::regression;
    c.options.shift_limit_pct = 5;
    const auto lines = lines_of(render("md", c));
    CHECK_THAT(lines[2], Catch::EndsWith("common shift new/base +6.1% over 111 cases, removed: the "
                                         "whole run is a regression (--shift-limit 5%)"));
    CHECK(lines.back() ==
          "summary: 1 regression, 0 improvement, 0 inconclusive, 1 unchanged, 0 insufficient, 1 "
          "missing; whole "
          "run regression (ns_per_pte +6.1%)");
  }
  SECTION("csv carries no drift lines") {
    CHECK(lines_of(render("csv", c)).size() == 4);
  }
}

TEST_CASE("comparison formats are chosen by name", "[report]") {
  for (const std::string_view name : ptebench::report::kFormats) {
    CHECK(make_comparison_reporter(name) != nullptr);
  }
  CHECK_THROWS_AS(make_comparison_reporter("html"), InputError);
  CHECK_THROWS_WITH(make_comparison_reporter("TABLE"),
                    "--format TABLE: expected one of table, md, csv");
}

TEST_CASE("the raw-shift note appears only when a row uses it", "[report]") {
  Comparison c = sample_comparison();
  CHECK_THAT(render("table", c), !Contains("relative to the base median"));
  c.rows[1].basis = ChangeBasis::raw_shift;  // unchanged: not listed, so no note
  CHECK_THAT(render("table", c), !Contains("relative to the base median"));
  CHECK_THAT(render("table", c, true),
             Contains("* change of raw values relative to the base median"));
  c.rows[0].basis = ChangeBasis::raw_shift;
  CHECK_THAT(render("table", c), Contains("* change of raw values relative to the base median"));
}

TEST_CASE("reports lead with flagged and inconclusive rows - unchanged rows are counted",
          "[report]") {
  Comparison c = sample_comparison();
  c.rows.push_back(make_comparison_row("munmap", Verdict::inconclusive, 1.3, 1.1, 1.5, 0.01));
  c.rows.back().reason = ptebench::compare::InconclusiveReason::run_noise_unknown;
  c.rows.push_back(make_comparison_row("mprotect", Verdict::improvement, 0.9, 0.88, 0.92, 0.001));
  c.summary.counts = {1, 1, 1, 1, 0, 1};
  for (const bool markdown : {false, true}) {
    const std::string text = render(markdown ? "md" : "table", c);
    const auto lines = lines_of(text);
    std::vector<std::string> order;
    for (const std::string& line : lines) {
      for (const char* w : {"zap_range", "mprotect", "munmap", "fork", "copy_range"}) {
        if (line.find(std::string(w) + "/") != std::string::npos) order.push_back(w);
      }
    }
    // regression, improvement, inconclusive, missing; the unchanged row is not listed.
    CHECK(order == std::vector<std::string>{"zap_range", "mprotect", "munmap", "fork"});
    CHECK_THAT(text, Contains("inconclusive (run noise unknown)"));
    CHECK_THAT(text, Contains("1 unchanged row not listed (--all lists them)"));
    // What would decide the inconclusive row.
    CHECK_THAT(text, Contains("`ptebench ab`"));
    CHECK_THAT(text, Contains("--history FILE"));
    CHECK_THAT(text, Contains("--base F --base F --new F --new F"));
  }
  const std::string all = render("table", c, true);
  CHECK_THAT(all, Contains("copy_range/"));
  CHECK_THAT(all, !Contains("not listed"));
  // csv keeps every row.
  CHECK(lines_of(render("csv", c)).size() == 1 + c.rows.size());
  // Nothing inconclusive: no advice.
  Comparison quiet = sample_comparison();
  CHECK_THAT(render("table", quiet), !Contains("to decide"));
}

TEST_CASE("a metric that is 0 in every sample gets no rows and no drift line", "[report]") {
  std::vector<Row> base, current;
  for (std::uint32_t r = 0; r < 6; ++r) {
    for (const char* w : {"zap_range", "munmap"}) {
      Row row = run_row(w, "plain", r, 2.0 + 0.01 * r);
      base.push_back(row);
      row.value *= 1.001;
      current.push_back(row);
      row.metric = "page_faults";
      row.unit = "count";
      row.value = 0;
      base.push_back(row);
      current.push_back(row);
    }
  }
  ptebench::compare::CompareOptions options;
  options.unit = ptebench::compare::Unit::repetition;
  const Comparison c = ptebench::compare::compare(base, current, options);
  CHECK(c.zero_metrics == std::vector<std::string>{"page_faults"});
  for (const char* format : {"table", "md"}) {
    const std::string text = render(format, c, true);
    CHECK_THAT(text, Contains("page_faults: 0 in every sample, not listed"));
    CHECK_THAT(text, !Contains("drift page_faults"));
    CHECK_THAT(text, !Contains("| page_faults |"));
    CHECK_THAT(text, !Contains("  page_faults  "));
    CHECK_THAT(text, Contains("drift ns_per_pte"));
  }
  // csv keeps them.
  CHECK_THAT(render("csv", c), Contains(",page_faults,"));
  // One zero sample is not "0 in every sample".
  current.back().value = 1;
  CHECK(ptebench::compare::compare(base, current, options).zero_metrics.empty());
}

TEST_CASE("an improvement, not a improvement", "[report]") {
  Comparison c = sample_comparison();
  ptebench::compare::DriftNote note;
  note.metric = "ns_per_pte";
  note.drift = ptebench::compare::Drift::run;
  note.common_ratio = 0.9;
  note.common_cases = 111;
  note.common_removed = true;
  note.common_verdict = Verdict::improvement;
  c.drift.push_back(note);
  const std::string text = render("table", c);
  CHECK_THAT(text, Contains("the whole run is an improvement"));
  CHECK_THAT(text, !Contains(" a improvement"));
  c.drift[0].common_verdict = Verdict::regression;
  CHECK_THAT(render("table", c), Contains("the whole run is a regression"));
}

namespace {

// A run of zap_range with `reps` repetitions: plain around 10 ns, read_once the same values in
// another order (ratio 1), arch 1.31 times plain; a native case (kernel variant only).
std::vector<Row> variant_rows(std::uint32_t reps) {
  const std::vector<double> plain{10, 10.2, 9.9, 10.1, 9.8, 10.3, 9.7, 10};
  std::vector<Row> rows;
  for (std::uint32_t r = 0; r < reps; ++r) {
    rows.push_back(run_row("zap_range", "plain", r, plain[r]));
    rows.push_back(run_row("zap_range", "read_once", r, plain[(r + 3) % reps]));
    rows.push_back(run_row("zap_range", "arch", r, plain[(r + 5) % reps] * 1.31));
  }
  Row native = run_row("native_fork", "kernel", 0, 250000);
  native.pte_format = "native";
  native.codegen = "native";
  native.layout = "4k";
  native.ptes = 16384;
  rows.push_back(native);
  return rows;
}

// read_once is plain's machine code, arch is not.
const ptebench::codegen::SameCodeMap kMarks = {
    {{"zap_range", "x86_64", "kernel", "read_once"}, true},
    {{"zap_range", "x86_64", "kernel", "arch"}, false}};

}  // namespace

TEST_CASE("variant table: ratios with interval, verdict and same-code mark", "[report]") {
  const std::vector<Row> rows = variant_rows(8);
  SECTION("table") {
    std::ostringstream out;
    write_variant_table(out, rows, "table", {"ns_per_pte"}, &kMarks);
    CHECK(out.str() ==
          R"(case                         plain  kernel  ro/plain               arch/plain
---------------------------  -----  ------  ---------------------  --------------------
native_fork/native/4k/16K/n      -  250000  -                      -
zap_range/x86/dense/512/k       10       -  1.00 [0.98,1.02] ok =  1.31 [1.28,1.34] REG
metric: ns_per_pte (ns)
plain, kernel: the median of each variant
ro/plain, arch/plain: read_once or arch over plain within this run (Hodges-Lehmann), its 95%
  interval and verdict, the repetitions as the unit (as compare --between variant=plain,V):
  REG regression, IMP improvement (significant, the interval 2% or more beyond 1), ok unchanged,
  n<5 fewer than 5 repetitions a side
  =: the two variants are the same machine code in this binary
case: workload/format/layout/entries/codegen; x86 x86_64, arm arm64, K 1024, M 1Mi;
  codegen k kernel, u user, n native (the kernel's own code)
)");
  }
  SECTION("table, marks unavailable") {
    std::ostringstream out;
    write_variant_table(out, rows, "table", {"ns_per_pte"}, nullptr);
    CHECK(out.str() ==
          R"(case                         plain  kernel  ro/plain             arch/plain
---------------------------  -----  ------  -------------------  --------------------
native_fork/native/4k/16K/n      -  250000  -                    -
zap_range/x86/dense/512/k       10       -  1.00 [0.98,1.02] ok  1.31 [1.28,1.34] REG
metric: ns_per_pte (ns)
plain, kernel: the median of each variant
ro/plain, arch/plain: read_once or arch over plain within this run (Hodges-Lehmann), its 95%
  interval and verdict, the repetitions as the unit (as compare --between variant=plain,V):
  REG regression, IMP improvement (significant, the interval 2% or more beyond 1), ok unchanged,
  n<5 fewer than 5 repetitions a side
  same-code marks unavailable (see the log line above the table)
case: workload/format/layout/entries/codegen; x86 x86_64, arm arm64, K 1024, M 1Mi;
  codegen k kernel, u user, n native (the kernel's own code)
)");
  }
  SECTION("md") {
    std::ostringstream out;
    write_variant_table(out, rows, "md", {"ns_per_pte"}, &kMarks);
    CHECK(
        out.str() ==
        R"(| case | metric | unit | plain | read_once | arch | kernel | read_once/plain | arch/plain |
| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |
| native_fork/native/4k/16384/native | ns_per_pte | ns | - | - | - | 250000 | - | - |
| zap_range/x86_64/dense/512/kernel | ns_per_pte | ns | 10 | 10 | 13.1 | - | 1.00 [0.98, 1.02] unchanged, same code | 1.31 [1.28, 1.34] regression |

read_once/plain, arch/plain: the ratio variant/plain within this run (Hodges-Lehmann) with its 95% interval and verdict, the repetitions as the unit (`ptebench compare --between variant=plain,V`); same code: the two variants are the same machine code in this binary.
)");
  }
  SECTION("csv") {
    std::ostringstream out;
    write_variant_table(out, rows, "csv", {"ns_per_pte"}, &kMarks);
    CHECK(
        out.str() ==
        R"(codegen,workload,pte_format,layout,ptes,metric,unit,plain,n_plain,read_once,n_read_once,arch,n_arch,kernel,n_kernel,read_once_over_plain,read_once_ratio,read_once_ratio_low,read_once_ratio_high,read_once_verdict,read_once_same_code,arch_over_plain,arch_ratio,arch_ratio_low,arch_ratio_high,arch_verdict,arch_same_code
native,native_fork,native,4k,16384,ns_per_pte,ns,,0,,0,,0,250000,1,,,,,,,,,,,,
kernel,zap_range,x86_64,dense,512,ns_per_pte,ns,10,8,10,8,13.100000000000001,8,,0,1,1,0.97979797979797945,1.0206185567010313,unchanged,yes,1.3100000000000001,1.3100000000000001,1.2835353535353533,1.337010309278351,regression,no
)");
  }
  SECTION("bad format") {
    std::ostringstream out;
    CHECK_THROWS_AS(write_variant_table(out, rows, "json"), InputError);
    CHECK(out.str().empty());
  }
}

TEST_CASE("variant table: fewer than 5 repetitions are insufficient", "[report]") {
  std::ostringstream out;
  write_variant_table(out, variant_rows(3), "table", {"ns_per_pte"}, &kMarks);
  CHECK(out.str() == R"(case                         plain  kernel  ro/plain    arch/plain
---------------------------  -----  ------  ----------  ----------
native_fork/native/4k/16K/n      -  250000  -           -
zap_range/x86/dense/512/k       10       -  1.00 n<5 =  1.31 n<5
metric: ns_per_pte (ns)
plain, kernel: the median of each variant
ro/plain, arch/plain: read_once or arch over plain within this run (Hodges-Lehmann), its 95%
  interval and verdict, the repetitions as the unit (as compare --between variant=plain,V):
  REG regression, IMP improvement (significant, the interval 2% or more beyond 1), ok unchanged,
  n<5 fewer than 5 repetitions a side
  =: the two variants are the same machine code in this binary
case: workload/format/layout/entries/codegen; x86 x86_64, arm arm64, K 1024, M 1Mi;
  codegen k kernel, u user, n native (the kernel's own code)
)");
}

TEST_CASE("variant table: an exact run's verdicts are exact", "[report]") {
  std::vector<Row> rows;
  for (std::uint32_t r = 0; r < 5; ++r) {
    for (const auto& [variant, count] : std::vector<std::pair<std::string, double>>{
             {"plain", 200}, {"read_once", 200}, {"arch", 203}}) {
      Row row = run_row("zap_range", variant, r, count);
      row.metric = "instructions_per_pte";
      row.unit = "instructions";
      rows.push_back(row);
    }
  }
  std::ostringstream out;
  write_variant_table(out, rows, "table", {"instructions_per_pte"}, &kMarks);
  CHECK(out.str() == R"(case                       plain  ro/plain          arch/plain
-------------------------  -----  ----------------  ---------------
zap_range/x86/dense/512/k    200  1.000 exact ok =  1.015 exact REG
metric: instructions_per_pte (instructions)
plain: the median of each variant
ro/plain, arch/plain: read_once or arch over plain within this run (Hodges-Lehmann), its 95%
  interval and verdict, the repetitions as the unit (as compare --between variant=plain,V):
  REG regression, IMP improvement (significant, the interval 2% or more beyond 1), ok unchanged,
  n<5 fewer than 5 repetitions a side
  exact: the same count in every repetition, the ratio itself decides (0.5%)
  =: the two variants are the same machine code in this binary
case: workload/format/layout/entries/codegen; x86 x86_64, arm arm64, K 1024, M 1Mi;
  codegen k kernel, u user, n native (the kernel's own code)
)");
}
