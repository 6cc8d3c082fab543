#include "harness/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

#include "harness/drift.h"
#include "harness/exact_verdict.h"
#include "harness/input_error.h"
#include "harness/results_writer.h"
#include "harness/stats.h"

namespace ptebench::report {
namespace {

// --- one table, three formats ---------------------------------------------------------------

struct Table {
  std::vector<std::string> header;
  std::vector<bool> right_aligned;  // per column: numbers are right-aligned
  std::vector<std::vector<std::string>> rows;
};

void write_aligned(std::ostream& out, const Table& table) {
  std::vector<std::size_t> width(table.header.size());
  for (std::size_t c = 0; c < width.size(); ++c) width[c] = table.header[c].size();
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < width.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  const auto write_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line += "  ";
      const std::string padding(width[c] - cells[c].size(), ' ');
      line += table.right_aligned[c] ? padding + cells[c] : cells[c] + padding;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  write_line(table.header);
  std::vector<std::string> rule;
  for (const std::size_t w : width) rule.emplace_back(w, '-');
  write_line(rule);
  for (const auto& row : table.rows) write_line(row);
}

std::string markdown_cell(const std::string& text) {
  std::string cell;
  for (const char ch : text) {
    if (ch == '|') cell += '\\';
    cell += ch;
  }
  return cell;
}

void write_markdown(std::ostream& out, const Table& table) {
  const auto write_line = [&out](const std::vector<std::string>& cells) {
    out << '|';
    for (const std::string& cell : cells) out << ' ' << markdown_cell(cell) << " |";
    out << '\n';
  };
  write_line(table.header);
  out << '|';
  for (const bool right : table.right_aligned) out << (right ? " ---: |" : " --- |");
  out << '\n';
  for (const auto& row : table.rows) write_line(row);
}

void write_csv(std::ostream& out, const Table& table) {
  const auto write_line = [&out](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) line += ',';
      results::append_csv_field(line, cells[c]);  // RFC 4180 quoting, as results files
    }
    out << line << '\n';
  };
  write_line(table.header);
  for (const auto& row : table.rows) write_line(row);
}

// --- numbers --------------------------------------------------------------------------------

// 17 significant digits (exact round trip); empty for NaN (no value).
std::string csv_number(double value) {
  if (std::isnan(value)) return "";
  char buffer[40];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 17);
  return std::string(buffer, result.ptr);
}

// printf-style conversions through std::to_chars, which behaves as printf with the same
// conversion and precision (fixed = %.Nf, general = %.Ng, scientific = %.Ne).
std::string chars(double value, std::chars_format format, int precision) {
  char buffer[400];  // %.Nf of 1e308 needs 309 digits
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format, precision);
  return std::string(buffer, result.ptr);
}

// The shortest text that reads back as `value` (0.05, 2).
std::string shortest(double value) {
  return results::format_double(value);
}

// A measurement for people: 4 significant digits, whole numbers from 10^4 to 10^9.
std::string human_number(double value) {
  if (std::isnan(value)) return "-";
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e4 && magnitude < 1e9) return chars(value, std::chars_format::fixed, 0);
  return chars(value, std::chars_format::general, 4);
}

std::string human_p(double p) {
  if (std::isnan(p)) return "-";
  return p < 1e-4 ? chars(p, std::chars_format::scientific, 1)
                  : chars(p, std::chars_format::fixed, 4);
}

// A ratio as a signed percent change with one decimal; never "-0.0%".
std::string percent(double ratio) {
  double pct = std::round((ratio - 1) * 1000) / 10;
  if (pct == 0) pct = 0;  // -0 -> +0
  return (pct >= 0 ? "+" : "") + chars(pct, std::chars_format::fixed, 1) + "%";
}

// --- comparison -----------------------------------------------------------------------------

// "a regression", "an improvement", "an inconclusive ...".
std::string with_article(std::string_view word) {
  const bool vowel =
      !word.empty() && std::string_view("aeiou").find(word[0]) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(word);
}

bool is_zero_metric(const compare::Comparison& comparison, const std::string& metric) {
  return std::find(comparison.zero_metrics.begin(), comparison.zero_metrics.end(), metric) !=
         comparison.zero_metrics.end();
}

std::string summary_line(const compare::Comparison& comparison) {
  std::string line = "summary:";
  for (const compare::Verdict verdict : compare::kVerdicts) {
    line += (verdict == compare::kVerdicts.front() ? " " : ", ");
    line += std::to_string(comparison.summary.count(verdict));
    line += ' ';
    line += compare::verdict_name(verdict);
  }
  for (const compare::DriftNote& note : comparison.drift) {
    if (note.common_verdict == compare::Verdict::unchanged) continue;
    line += "; whole run " + std::string(compare::verdict_name(note.common_verdict)) + " (" +
            note.metric + " " + percent(note.common_ratio) + ")";
  }
  return line;
}

// What would decide the inconclusive rows and whole-run verdicts (compare.h); empty when none.
std::string decide_line(const compare::Comparison& comparison) {
  const bool whole =
      std::any_of(comparison.drift.begin(), comparison.drift.end(),
                  [](const auto& n) { return n.common_verdict == compare::Verdict::inconclusive; });
  if (comparison.summary.count(compare::Verdict::inconclusive) == 0 && !whole) return "";
  return "inconclusive: with one run a side (and no --history) a case's run-to-run noise is "
         "unknown, and on a shared machine it is often larger than its repetitions show; to "
         "decide, run `ptebench ab` (the two builds interleaved, one process per repetition), "
         "give more runs a side (--base F --base F --new F --new F), or a history of this "
         "machine's runs (--history FILE)";
}

// One line per metric: what drift was removed (compare.h, DriftNote).
std::string drift_line(const compare::DriftNote& note, double shift_limit_pct) {
  std::string line = "drift " + note.metric + ": ";
  if (note.base_blocks_corrected + note.new_blocks_corrected == 0) {
    line += "no repetition factors (" + std::to_string(drift::kMinCases) +
            " or fewer other cases per repetition)";
  } else {
    line += "repetition factors removed in " + std::to_string(note.base_blocks_corrected) + "/" +
            std::to_string(note.base_blocks) + " base and " +
            std::to_string(note.new_blocks_corrected) + "/" + std::to_string(note.new_blocks) +
            " new repetitions (largest " + chars(note.max_factor_pct, std::chars_format::fixed, 1) +
            "%)";
  }
  if (note.common_cases == 0) return line + "; no common shift (no case with positive values)";
  line += "; common shift new/base " + percent(note.common_ratio) + " over " +
          std::to_string(note.common_cases) + (note.common_cases == 1 ? " case, " : " cases, ");
  if (note.common_removed) {
    line += "removed";
  } else if (note.drift == compare::Drift::run) {
    line += "kept (" + std::to_string(drift::kMinCases) + " or fewer cases)";
  } else {
    line += "kept (--drift " + std::string(compare::drift_name(note.drift)) + ")";
  }
  if (note.common_verdict == compare::Verdict::inconclusive) {
    line += ": beyond --shift-limit " + shortest(shift_limit_pct) +
            "% but inconclusive (no history of runs to tell the machine's run-to-run shifts)";
  } else if (note.common_verdict != compare::Verdict::unchanged) {
    line += ": the whole run is " + with_article(compare::verdict_name(note.common_verdict)) +
            " (--shift-limit " + shortest(shift_limit_pct) + "%";
    if (note.common_run_df > 0) {
      line += "; history's run factors sd " +
              chars((std::exp(note.common_run_sd) - 1) * 100, std::chars_format::fixed, 1) +
              "%, df " + std::to_string(note.common_run_df);
    }
    line += ")";
  }
  return line;
}

// One line per metric compared by run: where its run-to-run noise came from (compare.h).
std::string noise_line(const compare::NoiseNote& note) {
  std::string line = "noise " + note.metric + ": ";
  if (note.cases == 0) {
    return line +
           "no case has positive values on both sides (no log level): compared by "
           "repetitions, a flag is inconclusive";
  }
  const std::size_t without = note.cases - note.cases_with_run_sd;
  if (note.cases_with_run_sd > 0) {
    line += "run-to-run sd estimated for " + std::to_string(note.cases_with_run_sd) + "/" +
            std::to_string(note.cases) + " cases (runs a side up to " +
            std::to_string(note.most_runs_base) + "/" + std::to_string(note.most_runs_new) +
            ", history up to " + std::to_string(note.history_runs) + " runs)";
    if (note.z_null.estimated && note.z_null.scale > 1) {
      line += "; the table's z spread " + chars(note.z_null.scale, std::chars_format::fixed, 2) +
              " widens every case's null (Efron)";
    }
  }
  if (without > 0) {
    line += note.cases_with_run_sd > 0 ? "; " : "";
    line += std::to_string(without) + (without == 1 ? " case" : " cases") +
            " with one run a side and no history";
    if (note.change_null.estimated) {
      line += ": a change within the table's spread of changes (sd " +
              chars((std::exp(note.change_null.scale) - 1) * 100, std::chars_format::fixed, 1) +
              "%, Efron's empirical null over " + std::to_string(note.change_null.cases) +
              " cases) is unchanged, beyond it inconclusive";
    } else {
      line +=
          ": too few cases for the table's spread; a change beyond the repetitions' noise "
          "is inconclusive";
    }
  }
  return line;
}

std::string legend_line(const compare::Comparison& comparison) {
  const compare::CompareOptions& o = comparison.options;
  const bool by_run = o.resolved_unit() == compare::Unit::run;
  std::string line = "base = " + comparison.base_label + ", new = " + comparison.new_label;
  if (comparison.paired) {  // harness/paired.h (ab --duet)
    line +=
        "; unit: the pair (A and B run at once); change = Hodges-Lehmann of the pairs' ratios "
        "B/A [95% interval]; p = Wilcoxon signed-rank";
  } else if (by_run) {
    line +=
        "; unit: run; change = ratio new/base of the runs' levels [95% t interval, the run as "
        "unit] (one run a side: Hodges-Lehmann ratio of the repetitions); p = t test of the "
        "runs (one run a side: Mann-Whitney)";
  } else {
    line +=
        "; unit: repetition; change = Hodges-Lehmann ratio new/base [95% interval]; p = "
        "Mann-Whitney";
  }
  return line + ", Benjamini-Hochberg adjusted; flagged when p < " + shortest(o.alpha) +
         (o.resolved_threshold_on() == compare::ThresholdOn::estimate
              ? " and the change is >= "
              : " and the whole interval is >= ") +
         shortest(o.threshold_pct) +
         "% from no change; drift removed: " + std::string(compare::drift_name(o.resolved_drift()));
}

std::string verdict_cell(const compare::ComparisonRow& row, bool markdown) {
  std::string verdict(compare::verdict_name(row.verdict));
  if (row.verdict == compare::Verdict::inconclusive) {
    verdict += row.reason == compare::InconclusiveReason::values_not_positive
                   ? " (values <= 0)"
                   : " (run noise unknown)";
  }
  if (markdown && (row.verdict == compare::Verdict::regression ||
                   row.verdict == compare::Verdict::improvement)) {
    verdict = "**" + verdict + "**";
  }
  return verdict;
}

// The order rows are listed in: flags first, then what needs a decision, then the rest.
int listing_rank(compare::Verdict v) {
  switch (v) {
    case compare::Verdict::regression:
      return 0;
    case compare::Verdict::improvement:
      return 1;
    case compare::Verdict::inconclusive:
      return 2;
    case compare::Verdict::insufficient:
      return 3;
    case compare::Verdict::missing:
      return 4;
    case compare::Verdict::unchanged:
      return 5;
  }
  return 6;
}

Table human_comparison_table(const compare::Comparison& comparison, bool markdown, bool all) {
  Table table;
  table.header = {"case",       "metric",          "unit",    "n base/new", "median base",
                  "median new", "change [95% CI]", "p (adj)", "verdict"};
  table.right_aligned = {false, false, false, true, true, true, true, true, false};
  std::vector<const compare::ComparisonRow*> listed;
  for (const compare::ComparisonRow& row : comparison.rows) {
    if (is_zero_metric(comparison, row.metric)) continue;
    if (!all && row.verdict == compare::Verdict::unchanged) continue;
    listed.push_back(&row);
  }
  std::stable_sort(listed.begin(), listed.end(), [](const auto* x, const auto* y) {
    return listing_rank(x->verdict) < listing_rank(y->verdict);
  });
  for (const compare::ComparisonRow* row : listed) {
    table.rows.push_back({results::case_name(row->key), row->metric, row->unit,
                          std::to_string(row->n_base) + "/" + std::to_string(row->n_new),
                          human_number(row->median_base), human_number(row->median_new),
                          format_change(*row),
                          row->exact ? std::string(compare::exact::kPColumn)  // exact_verdict.h
                                     : human_p(row->p_adjusted),
                          verdict_cell(*row, markdown)});
  }
  return table;
}

// A listed row's change cell ends in " *" (format_change).
bool any_raw_shift(const Table& table) {
  return std::any_of(table.rows.begin(), table.rows.end(), [](const auto& cells) {
    const std::string& change = cells[6];
    return change.size() >= 2 && change.compare(change.size() - 2, 2, " *") == 0;
  });
}

constexpr std::string_view kRawShiftNote =
    "* change of raw values relative to the base median (a value <= 0 has no log)";

// table and md: the same cells around a legend and a summary; md marks verdicts in bold and
// separates paragraphs with blank lines. Rows: flagged, then inconclusive, insufficient and
// missing; unchanged rows are counted, listed only with `all`; a metric that is 0 in every
// sample is named once instead of listed.
class HumanReporter final : public ComparisonReporter {
 public:
  HumanReporter(bool markdown, bool all) : markdown_(markdown), all_(all) {}

  void write(std::ostream& out, const compare::Comparison& comparison) const override {
    const std::string_view gap = markdown_ ? "\n" : "";
    out << legend_line(comparison) << "\n";
    for (const compare::DriftNote& note : comparison.drift) {
      if (is_zero_metric(comparison, note.metric)) continue;
      out << gap << drift_line(note, comparison.options.shift_limit_pct) << '\n';
    }
    for (const compare::NoiseNote& note : comparison.noise) {
      if (is_zero_metric(comparison, note.metric)) continue;
      out << gap << noise_line(note) << '\n';
    }
    for (const std::string& metric : comparison.zero_metrics) {
      out << gap << metric << ": 0 in every sample, not listed\n";
    }
    out << '\n';
    const Table table = human_comparison_table(comparison, markdown_, all_);
    if (table.rows.empty()) {
      out << "no row is flagged, inconclusive, insufficient or missing\n";
    } else {
      markdown_ ? write_markdown(out, table) : write_aligned(out, table);
    }
    out << '\n';
    if (any_raw_shift(table)) out << kRawShiftNote << (markdown_ ? "\n\n" : "\n");
    const std::size_t unchanged = comparison.summary.count(compare::Verdict::unchanged);
    if (!all_ && unchanged > 0) {
      out << unchanged << " unchanged " << (unchanged == 1 ? "row" : "rows")
          << " not listed (--all lists them)" << (markdown_ ? "\n\n" : "\n");
    }
    if (const std::string decide = decide_line(comparison); !decide.empty()) {
      out << decide << (markdown_ ? "\n\n" : "\n");
    }
    if (compare::exact::any_exact(comparison))  // harness/exact_verdict.h
      out << compare::exact::legend(comparison.options) << (markdown_ ? "\n\n" : "\n");
    out << summary_line(comparison) << '\n';
  }

 private:
  bool markdown_;
  bool all_;
};

class CsvReporter final : public ComparisonReporter {
 public:
  void write(std::ostream& out, const compare::Comparison& comparison) const override {
    Table table;
    table.header = {"base_label",
                    "new_label",
                    "codegen",
                    "workload",
                    "pte_format",
                    "variant",
                    "layout",
                    "ptes",
                    "metric",
                    "unit",
                    "n_base",
                    "n_new",
                    "median_base",
                    "median_new",
                    "ratio",
                    "ratio_low",
                    "ratio_high",
                    "change_basis",
                    "p_value",
                    "p_adjusted",
                    "verdict",
                    "common_shift_removed",
                    "runs_base",
                    "runs_new",
                    "run_df",
                    "run_sd",
                    "within_sd",
                    "null_scale",
                    "inconclusive_reason"};
    table.right_aligned.assign(table.header.size(), false);
    for (const compare::ComparisonRow& row : comparison.rows) {
      table.rows.push_back({comparison.base_label,
                            comparison.new_label,
                            row.key.codegen,
                            row.key.workload,
                            row.key.pte_format,
                            row.key.variant,
                            row.key.layout,
                            std::to_string(row.key.ptes),
                            row.metric,
                            row.unit,
                            std::to_string(row.n_base),
                            std::to_string(row.n_new),
                            csv_number(row.median_base),
                            csv_number(row.median_new),
                            csv_number(row.ratio),
                            csv_number(row.ratio_low),
                            csv_number(row.ratio_high),
                            row.exact ? std::string("exact")  // harness/exact_verdict.h
                                      : std::string(compare::change_basis_name(row.basis)),
                            csv_number(row.p_value),
                            csv_number(row.p_adjusted),
                            std::string(compare::verdict_name(row.verdict)),
                            csv_number(row.common_shift_removed),
                            std::to_string(row.runs_base),
                            std::to_string(row.runs_new),
                            std::to_string(row.run_df),
                            csv_number(row.run_sd),
                            csv_number(row.within_sd),
                            csv_number(row.null_scale),
                            std::string(compare::inconclusive_reason_name(row.reason))});
    }
    write_csv(out, table);
  }
};

void check_format(std::string_view format) {
  if (std::find(kFormats.begin(), kFormats.end(), format) != kFormats.end()) return;
  std::string names;
  for (const std::string_view name : kFormats) {
    names += names.empty() ? "" : ", ";
    names += name;
  }
  throw InputError("--format " + std::string(format) + ": expected one of " + names);
}

// --- variant table --------------------------------------------------------------------------

// Everything but variant and repetition, in display order.
using VariantGroupKey =
    std::tuple<std::string /*workload*/, std::string /*pte_format*/, std::string /*layout*/,
               std::uint64_t /*ptes*/, std::string /*codegen*/, std::string /*metric*/>;

struct VariantGroup {
  std::string unit;
  std::map<std::string, std::vector<double>> values;  // variant -> samples
};

// The variants compared with plain, in the columns' order.
constexpr std::array<std::string_view, 2> kRatioVariants = {"read_once", "arch"};

// plain, read_once, arch first (the ratios' order), then the others present, sorted.
std::vector<std::string> variant_columns(const std::map<VariantGroupKey, VariantGroup>& groups) {
  std::vector<std::string> columns{"plain", "read_once", "arch"};
  std::vector<std::string> others;
  for (const auto& [key, group] : groups) {
    for (const auto& [variant, values] : group.values) {
      if (std::find(columns.begin(), columns.end(), variant) == columns.end() &&
          std::find(others.begin(), others.end(), variant) == others.end()) {
        others.push_back(variant);
      }
    }
  }
  std::sort(others.begin(), others.end());
  columns.insert(columns.end(), others.begin(), others.end());
  return columns;
}

// (case with variant "*", metric) -> the row of compare --between variant=plain,<variant>.
using BetweenRows = std::map<std::pair<results::CaseKey, std::string>, compare::ComparisonRow>;

// The within-run comparison of `variant` with plain over the selected rows, with the options
// --between has by default (repetitions as the unit, harness/compare_options.h). Empty when
// the run has no rows of either side.
BetweenRows compare_with_plain(const std::vector<results::Row>& selected,
                               std::string_view variant) {
  const auto has = [&](std::string_view v) {
    return std::any_of(selected.begin(), selected.end(),
                       [v](const results::Row& r) { return r.variant == v; });
  };
  BetweenRows by_case;
  if (!has("plain") || !has(variant)) return by_case;
  compare::CompareOptions options;
  options.between = compare::Between{"variant", "plain", std::string(variant)};
  for (compare::ComparisonRow& row : compare::compare_between(selected, options).rows)
    by_case.emplace(std::pair{row.key, row.metric}, std::move(row));
  return by_case;
}

// "x86_64" -> "x86", "arm64" -> "arm"; 4096 -> "4K"; "kernel" -> "k", "user" -> "u", "native"
// -> "n": the case
// of the terminal table, which has 100 columns (the legend names the abbreviations).
std::string short_case(const VariantGroupKey& key) {
  const auto& [workload, pte_format, layout, ptes, codegen, metric] = key;
  const std::string format = pte_format == "x86_64"  ? "x86"
                             : pte_format == "arm64" ? "arm"
                                                     : pte_format;
  std::string size = std::to_string(ptes);
  if (ptes >= 1048576 && ptes % 1048576 == 0) {
    size = std::to_string(ptes / 1048576) + "M";
  } else if (ptes >= 1024 && ptes % 1024 == 0) {
    size = std::to_string(ptes / 1024) + "K";
  }
  const std::string profile = codegen == "kernel"   ? "k"
                              : codegen == "user"   ? "u"
                              : codegen == "native" ? "n"
                                                    : codegen;
  return workload + "/" + format + "/" + layout + "/" + size + "/" + profile;
}

std::string short_verdict(compare::Verdict verdict) {
  switch (verdict) {
    case compare::Verdict::regression:
      return "REG";
    case compare::Verdict::improvement:
      return "IMP";
    case compare::Verdict::unchanged:
      return "ok";
    case compare::Verdict::insufficient:
      return "n<" + std::to_string(compare::kMinRepetitions);
    case compare::Verdict::inconclusive:
      return "?";
    case compare::Verdict::missing:
      return "-";
  }
  return "?";
}

// One ratio cell of the table (`terse`) or md: the ratio variant/plain, its 95% interval and
// verdict, and the same-code mark, e.g. "1.31 [1.27,1.36] REG" / "1.31 [1.27, 1.36] regression";
// an exact row "1.000 exact ok"; with too few repetitions the ratio of medians and "n<5";
// "-" when there is nothing to compare. `same`: the variants are the same machine code.
std::string ratio_cell(const compare::ComparisonRow* row, double median_ratio, bool same,
                       bool terse) {
  std::string cell;
  const auto two = [](double v) { return chars(v, std::chars_format::fixed, 2); };
  if (row == nullptr || row->verdict == compare::Verdict::missing) {
    cell = std::isnan(median_ratio) ? "-" : two(median_ratio);
  } else {
    const std::string verdict =
        terse ? short_verdict(row->verdict) : std::string(compare::verdict_name(row->verdict));
    if (row->exact) {  // harness/exact_verdict.h: the ratio itself decides, no interval
      cell = (std::isnan(row->ratio) ? std::string("-")
                                     : chars(row->ratio, std::chars_format::fixed, 3)) +
             " exact " + verdict;
    } else if (row->verdict == compare::Verdict::insufficient || std::isnan(row->ratio_low) ||
               std::isnan(row->ratio_high) || std::isnan(row->ratio)) {
      cell = (std::isnan(median_ratio) ? std::string("-") : two(median_ratio)) + " " + verdict;
    } else {
      cell = two(row->ratio) + " [" + two(row->ratio_low) + (terse ? "," : ", ") +
             two(row->ratio_high) + "] " + verdict;
    }
  }
  if (same) cell += terse ? " =" : ", same code";
  return cell;
}

// The legend under the terminal table, lines of at most 100 columns.
std::vector<std::string> variant_legend(const std::vector<std::string>& metric_units,
                                        const std::vector<std::string>& median_columns,
                                        bool marks_available, bool any_exact) {
  std::vector<std::string> lines;
  std::string medians;
  for (const std::string& column : median_columns)
    medians += (medians.empty() ? "" : ", ") + column;
  for (const std::string& m : metric_units) lines.push_back("metric: " + m);
  lines.push_back(medians + ": the median of each variant");
  lines.push_back(
      "ro/plain, arch/plain: read_once or arch over plain within this run (Hodges-Lehmann), its "
      "95%");
  lines.push_back(
      "  interval and verdict, the repetitions as the unit (as compare --between "
      "variant=plain,V):");
  lines.push_back("  REG regression, IMP improvement (significant, the interval " +
                  shortest(compare::CompareOptions{}.threshold_pct) +
                  "% or more beyond 1), ok unchanged,");
  lines.push_back("  n<" + std::to_string(compare::kMinRepetitions) + " fewer than " +
                  std::to_string(compare::kMinRepetitions) + " repetitions a side");
  if (any_exact)
    lines.push_back("  exact: the same count in every repetition, the ratio itself decides (" +
                    shortest(compare::CompareOptions{}.exact_threshold_pct) + "%)");
  lines.push_back(marks_available
                      ? "  =: the two variants are the same machine code in this binary"
                      : "  same-code marks unavailable (see the log line above the table)");
  lines.push_back(
      "case: workload/format/layout/entries/codegen; x86 x86_64, arm arm64, K 1024, M 1Mi;");
  lines.push_back("  codegen k kernel, u user, n native (the kernel's own code)");
  return lines;
}

}  // namespace

std::string format_change(const compare::ComparisonRow& row) {
  if (row.exact) return compare::exact::format_change(row);  // harness/exact_verdict.h
  if (std::isnan(row.ratio)) return "n/a";
  std::string text =
      percent(row.ratio) + " [" + percent(row.ratio_low) + ", " + percent(row.ratio_high) + "]";
  if (row.basis == compare::ChangeBasis::raw_shift) text += " *";
  return text;
}

std::unique_ptr<ComparisonReporter> make_comparison_reporter(std::string_view format, bool all) {
  check_format(format);
  if (format == "table") return std::make_unique<HumanReporter>(false, all);
  if (format == "md") return std::make_unique<HumanReporter>(true, all);
  return std::make_unique<CsvReporter>();
}

void write_variant_table(std::ostream& out, const std::vector<results::Row>& rows,
                         std::string_view format, const std::vector<std::string>& metrics,
                         const codegen::SameCodeMap* same_code) {
  check_format(format);
  std::vector<results::Row> selected;
  std::map<VariantGroupKey, VariantGroup> groups;
  for (const results::Row& row : rows) {
    if (!metrics.empty() &&
        std::find(metrics.begin(), metrics.end(), row.metric) == metrics.end()) {
      continue;
    }
    selected.push_back(row);
    VariantGroup& group = groups[VariantGroupKey{row.workload, row.pte_format, row.layout, row.ptes,
                                                 row.codegen, row.metric}];
    if (group.unit.empty()) group.unit = row.unit;
    group.values[row.variant].push_back(row.value);
  }
  const std::vector<std::string> variants = variant_columns(groups);
  std::array<BetweenRows, kRatioVariants.size()> between;
  for (std::size_t v = 0; v < kRatioVariants.size(); ++v)
    between[v] = compare_with_plain(selected, kRatioVariants[v]);
  const bool csv = format == "csv";
  const bool terse = format == "table";
  std::vector<std::string> metric_units;  // "ns_per_pte (ns)", in the groups' order
  for (const auto& [key, group] : groups) {
    const std::string m = std::get<5>(key) + " (" + group.unit + ")";
    if (std::find(metric_units.begin(), metric_units.end(), m) == metric_units.end())
      metric_units.push_back(m);
  }
  // The terminal table shows the median of plain and of the variants that have no ratio (e.g.
  // kernel); a ratio cell stands for read_once's and arch's (md and csv show every median).
  std::vector<std::string> median_columns;
  for (const std::string& variant : variants) {
    if (terse && (variant == "read_once" || variant == "arch")) continue;
    median_columns.push_back(variant);
  }
  const bool metric_column = !terse || metric_units.size() > 1;

  Table table;
  if (csv) {
    table.header = {"codegen", "workload", "pte_format", "layout", "ptes", "metric", "unit"};
    for (const std::string& variant : variants) {
      table.header.push_back(variant);
      table.header.push_back("n_" + variant);
    }
    for (const std::string_view variant : kRatioVariants) {
      const std::string v(variant);
      for (const char* column :
           {"_over_plain", "_ratio", "_ratio_low", "_ratio_high", "_verdict", "_same_code"})
        table.header.push_back(v + column);
    }
  } else {
    table.header = {"case"};
    if (metric_column) {
      table.header.push_back("metric");
      table.header.push_back("unit");
    }
    table.header.insert(table.header.end(), median_columns.begin(), median_columns.end());
    table.header.push_back(terse ? "ro/plain" : "read_once/plain");
    table.header.push_back("arch/plain");
  }
  const std::size_t text_columns = csv ? 7u : (metric_column ? 3u : 1u);
  table.right_aligned.assign(table.header.size(), true);
  for (std::size_t c = 0; c < text_columns; ++c) table.right_aligned[c] = false;
  if (!csv)
    table.right_aligned[table.header.size() - 1] = table.right_aligned[table.header.size() - 2] =
        false;

  bool any_exact = false;
  for (const auto& [key, group] : groups) {
    const auto& [workload, pte_format, layout, ptes, codegen, metric] = key;
    std::map<std::string, double> medians;
    for (const auto& [variant, values] : group.values) medians[variant] = stats::median(values);
    const auto median_of = [&medians](const std::string& variant) {
      const auto it = medians.find(variant);
      return it == medians.end() ? std::nan("") : it->second;
    };
    const auto ratio_to_plain = [&](const std::string& variant) {
      const double plain = median_of("plain");
      return plain > 0 ? median_of(variant) / plain : std::nan("");
    };
    const results::CaseKey star{codegen, workload, pte_format, "*", layout, ptes};
    std::array<const compare::ComparisonRow*, kRatioVariants.size()> compared{};
    // Whether the variant is known to be the same code as plain (absent: not known).
    std::array<std::optional<bool>, kRatioVariants.size()> same{};
    for (std::size_t v = 0; v < kRatioVariants.size(); ++v) {
      const auto it = between[v].find(std::pair{star, metric});
      if (it != between[v].end()) compared[v] = &it->second;
      if (compared[v] != nullptr && compared[v]->exact) any_exact = true;
      if (same_code != nullptr) {
        const auto mark =
            same_code->find(codegen::SameCodeKey{codegen::walker_of_workload(workload), pte_format,
                                                 codegen, std::string(kRatioVariants[v])});
        if (mark != same_code->end()) same[v] = mark->second;
      }
    }
    std::vector<std::string> cells;
    if (csv) {
      cells = {codegen, workload, pte_format, layout, std::to_string(ptes), metric, group.unit};
      for (const std::string& variant : variants) {
        const auto it = group.values.find(variant);
        cells.push_back(csv_number(median_of(variant)));
        cells.push_back(std::to_string(it == group.values.end() ? 0 : it->second.size()));
      }
      for (std::size_t v = 0; v < kRatioVariants.size(); ++v) {
        const compare::ComparisonRow* row = compared[v];
        cells.push_back(csv_number(ratio_to_plain(std::string(kRatioVariants[v]))));
        cells.push_back(csv_number(row ? row->ratio : std::nan("")));
        cells.push_back(csv_number(row ? row->ratio_low : std::nan("")));
        cells.push_back(csv_number(row ? row->ratio_high : std::nan("")));
        cells.push_back(row ? std::string(compare::verdict_name(row->verdict)) : "");
        cells.push_back(same[v] ? (*same[v] ? "yes" : "no") : "");
      }
    } else {
      cells = {terse ? short_case(key)
                     : workload + "/" + pte_format + "/" + layout + "/" + std::to_string(ptes) +
                           "/" + codegen};
      if (metric_column) {
        cells.push_back(metric);
        cells.push_back(group.unit);
      }
      for (const std::string& variant : median_columns)
        cells.push_back(human_number(median_of(variant)));
      for (std::size_t v = 0; v < kRatioVariants.size(); ++v)
        cells.push_back(ratio_cell(compared[v], ratio_to_plain(std::string(kRatioVariants[v])),
                                   same[v].value_or(false), terse));
    }
    table.rows.push_back(std::move(cells));
  }

  if (format == "table") {
    write_aligned(out, table);
    for (const std::string& line :
         variant_legend(metric_column ? std::vector<std::string>{} : metric_units, median_columns,
                        same_code != nullptr, any_exact))
      out << line << '\n';
  } else if (format == "md") {
    write_markdown(out, table);
    out << "\nread_once/plain, arch/plain: the ratio variant/plain within this run "
           "(Hodges-Lehmann) with its 95% interval and verdict, the repetitions as the unit "
           "(`ptebench compare --between variant=plain,V`)";
    if (any_exact) out << "; exact: the same count in every repetition, the ratio itself decides";
    out << (same_code != nullptr
                ? "; same code: the two variants are the same machine code in this binary.\n"
                : "; same-code marks unavailable (no objdump could read this binary).\n");
  } else {
    write_csv(out, table);
  }
}

}  // namespace ptebench::report
