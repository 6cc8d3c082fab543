#include "harness/compare.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "harness/drift.h"
#include "harness/exact_verdict.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/stats.h"

namespace ptebench::compare {
namespace {

[[noreturn]] void contract_violation(const std::string& what) {
  invariant_violated(what, "harness/compare.h");
}

// The shortest text that reads back as `value`, for messages.
std::string format_number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

// The field named by a between column, of a Row or a CaseKey (the same member names).
template <class RowOrKey>
auto& column_of(RowOrKey& x, std::string_view column) {
  if (column == "variant") return x.variant;
  if (column == "codegen") return x.codegen;
  if (column == "pte_format") return x.pte_format;
  if (column == "layout") return x.layout;
  if (column == "workload") return x.workload;
  contract_violation("between column '" + std::string(column) + "' passed validation");
}

struct GroupKey {
  results::CaseKey key;
  std::string metric;
  bool operator==(const GroupKey&) const = default;
};

struct GroupKeyHash {
  std::size_t operator()(const GroupKey& g) const {
    std::size_t h = std::hash<std::uint64_t>{}(g.key.ptes);
    auto mix = [&h](const std::string& s) {
      h ^= std::hash<std::string>{}(s) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    };
    mix(g.key.codegen);
    mix(g.key.workload);
    mix(g.key.pte_format);
    mix(g.key.variant);
    mix(g.key.layout);
    mix(g.metric);
    return h;
  }
};

struct Group {
  GroupKey key;
  std::string unit;
  std::vector<double> base;
  std::vector<double> current;
  // The block (a repetition of a run, see harness/drift.h) of each value.
  std::vector<std::uint32_t> base_block;
  std::vector<std::uint32_t> current_block;
  double shift_removed = ComparisonRow::kNaN;  // the common ratio divided out of `current`
};

bool all_positive(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
}

// Divides each value by exp(its log factor) where one was estimated.
void divide_factors(std::vector<double>& values, const std::vector<double>& log_factor) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (log_factor[i] != 0) values[i] /= std::exp(log_factor[i]);
  }
}

// Removes one metric's drift from its groups (harness/drift.h) and describes it.
DriftNote remove_drift(const std::vector<Group*>& groups, Drift mode, double shift_limit_pct) {
  DriftNote note;
  note.metric = groups.front()->key.metric;
  note.drift = mode;
  double max_abs_log = 0;
  for (const bool base : {true, false}) {
    std::vector<drift::CaseSamples> samples;
    samples.reserve(groups.size());
    for (Group* g : groups) {
      samples.push_back(base ? drift::CaseSamples{g->base, g->base_block}
                             : drift::CaseSamples{g->current, g->current_block});
    }
    const drift::RepetitionFactors f = drift::repetition_factors(samples);
    for (std::size_t c = 0; c < groups.size(); ++c) {
      divide_factors(base ? groups[c]->base : groups[c]->current, f.log_factor[c]);
    }
    (base ? note.base_blocks : note.new_blocks) = f.blocks;
    (base ? note.base_blocks_corrected : note.new_blocks_corrected) = f.blocks_corrected;
    max_abs_log = std::max(max_abs_log, f.max_abs_log_factor);
  }
  note.max_factor_pct = (std::exp(max_abs_log) - 1) * 100;

  std::vector<double> changes(groups.size(), ComparisonRow::kNaN);
  for (std::size_t c = 0; c < groups.size(); ++c) {
    const Group& g = *groups[c];
    if (g.base.size() < kMinRepetitions || g.current.size() < kMinRepetitions) continue;
    if (!all_positive(g.base) || !all_positive(g.current)) continue;
    changes[c] = std::log(stats::median(g.current) / stats::median(g.base));
  }
  const drift::CommonShift shift = drift::common_shift(changes);
  note.common_cases = shift.cases;
  if (shift.cases > 0) note.common_ratio = std::exp(shift.log_median);
  if (mode != Drift::run || !shift.estimated) return note;
  note.common_removed = true;
  for (std::size_t c = 0; c < groups.size(); ++c) {
    Group& g = *groups[c];
    if (!all_positive(g.base) || !all_positive(g.current)) continue;  // no log basis
    const double factor = std::exp(shift.log_shift[c]);
    for (double& v : g.current) v /= factor;
    g.shift_removed = factor;
  }
  const double t = shift_limit_pct / 100;
  if (note.common_ratio - 1 >= t) note.common_verdict = Verdict::regression;
  if (1 - note.common_ratio >= t) note.common_verdict = Verdict::improvement;
  return note;
}

// The change estimate of one row (see compare.h); returns the raw shift's sign for basis none.
double estimate_change(const Group& group, ComparisonRow& row) {
  if (const auto r = stats::hodges_lehmann_ratio(group.base, group.current)) {
    row.ratio = r->ratio;
    row.ratio_low = r->low;
    row.ratio_high = r->high;
    row.basis = ChangeBasis::log_ratio;
    return r->ratio - 1;
  }
  const stats::ShiftEstimate d = stats::hodges_lehmann(group.base, group.current);
  if (row.median_base > 0) {
    row.ratio = 1 + d.shift / row.median_base;
    row.ratio_low = 1 + d.low / row.median_base;
    row.ratio_high = 1 + d.high / row.median_base;
    row.basis = ChangeBasis::raw_shift;
  } else {
    row.basis = ChangeBasis::none;
  }
  return d.shift;
}

Verdict decide(const ComparisonRow& row, double direction, const CompareOptions& options) {
  if (!(row.p_adjusted < options.alpha)) return Verdict::unchanged;
  // Practical significance: the whole 95% interval must lie beyond the threshold, not just the
  // point estimate (stricter than DESIGN.md), so that a case whose change is about the
  // threshold's size is not flagged on its own noise while a real 5% change is. Machine drift
  // is removed before this (remove_drift).
  if (row.basis != ChangeBasis::none) {
    const double t = options.threshold_pct / 100;
    const bool up = row.ratio_low - 1 >= t;
    const bool down = 1 - row.ratio_high >= t;
    if (!up && !down) return Verdict::unchanged;
  }
  if (direction > 0) return Verdict::regression;  // larger is worse for every metric
  if (direction < 0) return Verdict::improvement;
  return Verdict::unchanged;
}

}  // namespace

Between parse_between(std::string_view spec) {
  const auto fail = [&spec]() -> Between {
    throw InputError("--between " + std::string(spec) +
                     ": expected column=base,new, e.g. variant=plain,read_once");
  };
  const std::size_t equals = spec.find('=');
  if (equals == std::string_view::npos) return fail();
  const std::string_view values = spec.substr(equals + 1);
  const std::size_t comma = values.find(',');
  if (comma == std::string_view::npos || values.find(',', comma + 1) != std::string_view::npos) {
    return fail();
  }
  Between between{std::string(spec.substr(0, equals)), std::string(values.substr(0, comma)),
                  std::string(values.substr(comma + 1))};
  CompareOptions probe;
  probe.between = between;
  probe.validate();
  return between;
}

void CompareOptions::validate() const {
  if (!(std::isfinite(alpha) && alpha > 0 && alpha < 1)) {
    throw InputError("--alpha " + format_number(alpha) + ": must be in (0, 1)");
  }
  if (!(std::isfinite(shift_limit_pct) && shift_limit_pct >= 0)) {
    throw InputError("--shift-limit " + format_number(shift_limit_pct) +
                     ": must be a finite percentage >= 0");
  }
  if (!(std::isfinite(threshold_pct) && threshold_pct >= 0)) {
    throw InputError("--threshold " + format_number(threshold_pct) +
                     ": must be a finite percentage >= 0");
  }
  for (const std::string& metric : metrics) {
    if (metric.empty()) throw InputError("--metric: the name must not be empty");
  }
  exact::validate_threshold(exact_threshold_pct);  // harness/exact_verdict.h
  if (!between) return;
  const Between& b = *between;
  if (drift == Drift::run) {
    throw InputError(
        "--drift run: with --between both sides are one run and their common "
        "shift is the answer; use repetition or none");
  }
  if (std::find(kBetweenColumns.begin(), kBetweenColumns.end(), b.column) ==
      kBetweenColumns.end()) {
    std::string names;
    for (const std::string_view name : kBetweenColumns) {
      names += names.empty() ? "" : ", ";
      names += name;
    }
    throw InputError("--between column '" + b.column + "' is not one of " + names);
  }
  if (b.base_value.empty() || b.new_value.empty()) {
    throw InputError("--between " + b.column + ": both values must be non-empty");
  }
  if (b.base_value == b.new_value) {
    throw InputError("--between " + b.column + "=" + b.base_value + "," + b.new_value +
                     ": the two values are the same");
  }
}

Drift CompareOptions::resolved_drift() const {
  if (drift) return *drift;
  return between ? Drift::repetition : Drift::run;
}

std::string_view drift_name(Drift drift) {
  switch (drift) {
    case Drift::none:
      return "none";
    case Drift::repetition:
      return "repetition";
    case Drift::run:
      return "run";
  }
  contract_violation("drift " + std::to_string(static_cast<int>(drift)) + " has no name");
}

Drift parse_drift(std::string_view name) {
  for (const Drift d : {Drift::none, Drift::repetition, Drift::run}) {
    if (drift_name(d) == name) return d;
  }
  throw InputError("--drift " + std::string(name) + ": expected none, repetition or run");
}

bool Comparison::has_regression() const {
  return summary.count(Verdict::regression) > 0 ||
         std::any_of(drift.begin(), drift.end(),
                     [](const DriftNote& n) { return n.common_verdict == Verdict::regression; });
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::regression:
      return "regression";
    case Verdict::improvement:
      return "improvement";
    case Verdict::unchanged:
      return "unchanged";
    case Verdict::insufficient:
      return "insufficient";
    case Verdict::missing:
      return "missing";
  }
  contract_violation("verdict " + std::to_string(static_cast<int>(verdict)) + " has no name");
}

std::string_view change_basis_name(ChangeBasis basis) {
  switch (basis) {
    case ChangeBasis::log_ratio:
      return "log_ratio";
    case ChangeBasis::raw_shift:
      return "raw_shift";
    case ChangeBasis::none:
      return "none";
  }
  contract_violation("change basis " + std::to_string(static_cast<int>(basis)) + " has no name");
}

struct Collector::State {
  CompareOptions options;
  std::unordered_map<GroupKey, std::size_t, GroupKeyHash> index;
  std::vector<Group> groups;
  GroupKey scratch;  // reused per row: its strings keep their capacity
  // Blocks (harness/drift.h): run_id and repetition -> a dense id.
  std::unordered_map<std::string, std::uint32_t> run_ids;
  std::unordered_map<std::uint64_t, std::uint32_t> block_ids;
  std::string last_run_id;
  std::uint32_t last_run = 0;
  bool saw_base_value = false;
  bool saw_new_value = false;

  bool wanted(const std::string& metric) const {
    return options.metrics.empty() || std::find(options.metrics.begin(), options.metrics.end(),
                                                metric) != options.metrics.end();
  }

  void add(const results::Row& row, bool is_base) {
    if (!wanted(row.metric)) return;
    scratch.key.codegen = row.codegen;
    scratch.key.workload = row.workload;
    scratch.key.pte_format = row.pte_format;
    scratch.key.variant = row.variant;
    scratch.key.layout = row.layout;
    scratch.key.ptes = row.ptes;
    scratch.metric = row.metric;
    if (options.between) column_of(scratch.key, options.between->column) = "*";
    auto it = index.find(scratch);
    if (it == index.end()) {
      it = index.emplace(scratch, groups.size()).first;
      Group group;
      group.key = scratch;
      group.unit = row.unit;
      groups.push_back(std::move(group));
    }
    Group& group = groups[it->second];
    if (group.unit != row.unit) {
      throw InputError("case " + results::case_name(group.key.key) + " metric " + row.metric +
                       ": unit '" + row.unit + "' where other rows have '" + group.unit + "'");
    }
    // Rows come run by run: the run's index is looked up only when run_id changes.
    if (row.run_id != last_run_id) {
      last_run_id = row.run_id;
      last_run = run_ids.try_emplace(row.run_id, run_ids.size()).first->second;
    }
    const std::uint64_t run_repetition = (std::uint64_t{last_run} << 32) | row.repetition;
    const auto block = block_ids.try_emplace(run_repetition, block_ids.size()).first->second;
    (is_base ? group.base : group.current).push_back(row.value);
    (is_base ? group.base_block : group.current_block).push_back(block);
  }
};

Collector::Collector(CompareOptions options) : state_(std::make_unique<State>()) {
  options.validate();
  state_->options = std::move(options);
}
Collector::~Collector() = default;
Collector::Collector(Collector&&) noexcept = default;
Collector& Collector::operator=(Collector&&) noexcept = default;

void Collector::add_base(const results::Row& row) {
  if (state_->options.between) contract_violation("Collector::add_base with --between");
  state_->add(row, true);
}

void Collector::add_new(const results::Row& row) {
  if (state_->options.between) contract_violation("Collector::add_new with --between");
  state_->add(row, false);
}

void Collector::add(const results::Row& row) {
  if (!state_->options.between) contract_violation("Collector::add without --between");
  const Between& between = *state_->options.between;
  const std::string& value = column_of(row, between.column);
  if (value == between.base_value) {
    state_->saw_base_value = true;
    state_->add(row, true);
  } else if (value == between.new_value) {
    state_->saw_new_value = true;
    state_->add(row, false);
  }
}

Comparison Collector::finish() && {
  State& s = *state_;
  Comparison comparison;
  comparison.options = s.options;
  if (const auto& between = s.options.between) {
    for (const auto& [seen, value] : {std::pair{s.saw_base_value, &between->base_value},
                                      std::pair{s.saw_new_value, &between->new_value}}) {
      if (!seen) {
        throw InputError("--between " + between->column + "=" + between->base_value + "," +
                         between->new_value + ": no row has " + between->column + " '" + *value +
                         "'");
      }
    }
    comparison.base_label = between->column + "=" + between->base_value;
    comparison.new_label = between->column + "=" + between->new_value;
  }
  for (const std::string& metric : s.options.metrics) {
    const bool found = std::any_of(s.groups.begin(), s.groups.end(),
                                   [&metric](const Group& g) { return g.key.metric == metric; });
    if (!found) throw InputError("--metric " + metric + ": no row of either input has this metric");
  }

  std::sort(s.groups.begin(), s.groups.end(), [](const Group& x, const Group& y) {
    return std::tie(x.key.key, x.key.metric) < std::tie(y.key.key, y.key.metric);
  });
  s.index.clear();
  s.run_ids.clear();
  s.block_ids.clear();

  // Medians as measured; then the drift is removed, metric by metric.
  comparison.rows.resize(s.groups.size());
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    comparison.rows[i].median_base = stats::median(s.groups[i].base);
    comparison.rows[i].median_new = stats::median(s.groups[i].current);
  }
  // Exact counts (harness/exact_verdict.h) have no drift and no noise: decided apart.
  std::vector<bool> exact_row(s.groups.size());
  for (std::size_t i = 0; i < s.groups.size(); ++i)
    exact_row[i] = exact::is_exact(s.groups[i].key.metric, s.groups[i].base, s.groups[i].current);
  const Drift mode = s.options.resolved_drift();
  if (mode != Drift::none) {
    std::map<std::string, std::vector<Group*>> by_metric;
    for (std::size_t i = 0; i < s.groups.size(); ++i)
      if (!exact_row[i]) by_metric[s.groups[i].key.metric].push_back(&s.groups[i]);
    for (const auto& entry : by_metric) {
      comparison.drift.push_back(remove_drift(entry.second, mode, s.options.shift_limit_pct));
    }
  }

  // Estimates and raw p-values first; verdicts once the p-values are adjusted together.
  std::vector<double> directions(s.groups.size(), 0);
  std::vector<double> p_values(s.groups.size(), ComparisonRow::kNaN);
  for (std::size_t i = 0; i < s.groups.size(); ++i) {
    const Group& group = s.groups[i];
    ComparisonRow& row = comparison.rows[i];
    row.key = group.key.key;
    row.metric = group.key.metric;
    row.unit = group.unit;
    row.n_base = group.base.size();
    row.n_new = group.current.size();
    row.common_shift_removed = group.shift_removed;
    if (row.n_base == 0 || row.n_new == 0) {
      row.verdict = Verdict::missing;
      continue;
    }
    if (exact_row[i]) {  // harness/exact_verdict.h: no statistics, no p-value
      exact::decide(row, s.options.exact_threshold_pct);
      continue;
    }
    directions[i] = estimate_change(group, row);
    if (row.n_base < kMinRepetitions || row.n_new < kMinRepetitions) {
      row.verdict = Verdict::insufficient;
      continue;
    }
    p_values[i] = stats::mann_whitney(group.base, group.current).p_value;
  }
  const std::vector<double> adjusted = stats::benjamini_hochberg(p_values);
  for (std::size_t i = 0; i < comparison.rows.size(); ++i) {
    ComparisonRow& row = comparison.rows[i];
    if (std::isnan(p_values[i])) continue;  // missing or insufficient, decided above
    row.p_value = p_values[i];
    row.p_adjusted = adjusted[i];
    row.verdict = decide(row, directions[i], s.options);
  }
  for (const ComparisonRow& row : comparison.rows) {
    ++comparison.summary.counts[static_cast<std::size_t>(row.verdict)];
  }
  return comparison;
}

Comparison compare(const std::vector<results::Row>& base, const std::vector<results::Row>& current,
                   const CompareOptions& options) {
  if (options.between) {
    throw InputError("--between splits one results file; two were given");
  }
  Collector collector(options);
  for (const results::Row& row : base) collector.add_base(row);
  for (const results::Row& row : current) collector.add_new(row);
  return std::move(collector).finish();
}

Comparison compare_between(const std::vector<results::Row>& run, const CompareOptions& options) {
  if (!options.between) {
    throw InputError("compare of one results file needs --between column=base,new");
  }
  Collector collector(options);
  for (const results::Row& row : run) collector.add(row);
  return std::move(collector).finish();
}

}  // namespace ptebench::compare
