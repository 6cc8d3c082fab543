// Rendering results for people and scripts: a Comparison (harness/compare.h) and the variant
// table shown after `ptebench run`, each as
//   table  aligned plain text for a terminal (numbers right-aligned, a legend above, a summary
//          line below);
//   md     a GitHub Markdown table with the same cells (the nightly report);
//   csv    RFC 4180 with our own quoting (a field holding ',', '"', CR or LF is quoted, inner
//          quotes doubled), numbers with 17 significant digits, an empty field for a value that
//          does not exist (NaN: no estimate, a missing side); data only, no legend or summary.
// The output stream is passed in; nothing here opens a file. Format names are matched exactly.
#pragma once

#include <array>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/compare.h"
#include "harness/results_row.h"

namespace ptebench::report {

inline constexpr std::array<std::string_view, 3> kFormats = {"table", "md", "csv"};

// Writes one Comparison in one format.
class ComparisonReporter {
 public:
  virtual ~ComparisonReporter() = default;
  virtual void write(std::ostream& out, const compare::Comparison& comparison) const = 0;
};

// The reporter for a format name in kFormats; InputError otherwise
// ("--format html: expected one of table, md, csv"). `all`: table and md list unchanged rows too.
std::unique_ptr<ComparisonReporter> make_comparison_reporter(std::string_view format,
                                                             bool all = false);

// Columns of the table and md formats: case, metric, unit, n (base/new), base and new medians,
// change [95% interval], p (BH-adjusted), verdict. The case is
// workload/pte_format/variant/layout/ptes/codegen with "*" for a --between column.
// Columns of csv: base_label, new_label, codegen, workload, pte_format, variant, layout, ptes,
// metric, unit, n_base, n_new, median_base, median_new, ratio, ratio_low, ratio_high,
// change_basis, p_value, p_adjusted, verdict, common_shift_removed (the common ratio divided out
// of the new side before the statistics, empty when none; compare.h).
// csv then: runs_base, runs_new, run_df, run_sd, within_sd, null_scale, inconclusive_reason (the
// noise model, compare.h ComparisonRow). csv keeps every row.
// table and md: a legend (the unit and the rule), one line per metric on the drift removed
// (compare.h, DriftNote) and, by run, one on where the run-to-run noise came from (NoiseNote);
// then the rows that need reading: regressions, improvements, inconclusive (with the reason),
// insufficient, missing. Unchanged rows are counted, not listed, unless `all`; a metric that is
// 0 in every sample is named once and neither listed nor given a drift line. Below: what would
// decide inconclusive rows, and the summary, which names a whole-run verdict.

// The change of a row as percent with its interval and one decimal, e.g.
// "+5.1% [+3.9%, +6.3%]"; a trailing " *" marks a raw_shift basis (relative to the base
// median, see compare.h); "n/a" when there is no ratio.
std::string format_change(const compare::ComparisonRow& row);

// The variant table of one run: rows are grouped by everything but variant and repetition
// (codegen, workload, pte_format, layout, ptes, metric); one line per group with the median of
// each variant (columns plain, read_once, arch, then any other variant present, e.g. kernel for
// native workloads; "-" where a variant has no rows) and the ratios of medians read_once/plain
// and arch/plain. A quick overview: the statistical comparison of two variants is
// `compare --between variant=plain,read_once`. `metrics` selects metrics (empty = all).
// csv columns: codegen, workload, pte_format, layout, ptes, metric, unit, then per variant
// <variant> (median) and n_<variant>, then read_once_over_plain, arch_over_plain.
// InputError for a format not in kFormats.
void write_variant_table(std::ostream& out, const std::vector<results::Row>& rows,
                         std::string_view format, const std::vector<std::string>& metrics = {});

}  // namespace ptebench::report
