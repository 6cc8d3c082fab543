#include "harness/compare.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <span>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "harness/drift.h"
#include "harness/exact_verdict.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/stats.h"
#include "harness/text_ranks.h"

namespace ptebench::compare {
namespace {

// From this many rows on, finish() estimates them on two threads (see there), when
// two_threads_allowed().
constexpr std::size_t kParallelRows = 20000;
// From this many cases of a metric on, remove_drift estimates base's and new's factors on two
// threads; from this many cases in all, finish() removes the drift of two metrics at a time, one
// a thread (and each metric's factors on its own thread).
constexpr std::size_t kParallelDriftCases = 5000;

// Runs `first` and `second`, on two threads when `parallel` (and not PTEBENCH_COMPARE_THREADS=1),
// else one after the other; an exception of either is thrown here, the first's first.
template <class First, class Second>
void both(bool parallel, First&& first, Second&& second) {
  if (!parallel || !two_threads_allowed()) {
    first();
    second();
    return;
  }
  std::exception_ptr error;
  std::thread other([&] {
    try {
      second();
    } catch (...) {
      error = std::current_exception();
    }
  });
  try {
    first();
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (error) std::rethrow_exception(error);
}

[[noreturn]] void contract_violation(const std::string& what) {
  invariant_violated(what, "harness/compare.h");
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

// A group's key as ids of its texts (TextIds): looking a group up hashes and compares a few
// integers, not six strings.
struct GroupId {
  std::array<std::uint32_t, 6> text;  // codegen, workload, pte_format, variant, layout, metric
  std::uint64_t ptes;
  bool operator==(const GroupId&) const = default;
};

struct GroupIdHash {
  std::size_t operator()(const GroupId& g) const {
    std::uint64_t h = g.ptes;
    for (const std::uint32_t id : g.text) h = (h ^ id) * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

// Dense ids of the distinct texts of one key column. The last text is remembered: rows come
// case by case, so most lookups repeat it.
class TextIds {
 public:
  std::uint32_t id(const std::string& text) {
    if (last_text_ != nullptr && *last_text_ == text) return last_;
    const auto [it, fresh] = ids_.try_emplace(text, static_cast<std::uint32_t>(ids_.size()));
    last_ = it->second;
    last_text_ = &it->first;
    return last_;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::uint32_t last_ = 0;
  const std::string* last_text_ = nullptr;
};

// The three sources of a case's values: the two sides compared and the history (noise only).
enum Source : std::size_t { kBase = 0, kNew = 1, kHistory = 2, kSources = 3 };

struct Group {
  std::uint32_t id;  // its index in Collector::State::groups
  GroupKey key;
  std::string unit;
  // Its values and their blocks (a repetition of a run, see harness/drift.h) in the order added:
  // spans of the Collector's arrays, set by finish() (Collector::State::lay_out).
  std::array<std::span<double>, kSources> values;
  std::array<std::span<const std::uint32_t>, kSources> blocks;
  double shift_removed = ComparisonRow::kNaN;  // the common ratio divided out of `current`
  std::span<double> base() const { return values[kBase]; }
  std::span<double> current() const { return values[kNew]; }
};

bool all_positive(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
}

// Divides each value by exp(its log factor) where one was estimated.
void divide_factors(std::span<double> values, const std::vector<double>& log_factor) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (log_factor[i] != 0) values[i] /= std::exp(log_factor[i]);
  }
}

// Removes one metric's drift from its groups (harness/drift.h) and describes it. `two_threads`:
// base's and new's factors on two threads, from kParallelDriftCases cases on.
DriftNote remove_drift(const std::vector<Group*>& groups, Drift mode, double shift_limit_pct,
                       bool two_threads) {
  DriftNote note;
  note.metric = groups.front()->key.metric;
  note.drift = mode;
  // Each source's factors are its own: at many cases base and new are estimated on two threads.
  std::array<drift::RepetitionFactors, kSources> f;
  const auto remove_source = [&](std::size_t source) {
    std::vector<drift::CaseSamples> samples;
    samples.reserve(groups.size());
    for (Group* g : groups) samples.push_back({g->values[source], g->blocks[source]});
    f[source] = drift::repetition_factors(samples);
    for (std::size_t c = 0; c < groups.size(); ++c) {
      divide_factors(groups[c]->values[source], f[source].log_factor[c]);
    }
  };
  both(
      two_threads && groups.size() >= kParallelDriftCases, [&] { remove_source(kBase); },
      [&] { remove_source(kNew); });
  remove_source(kHistory);
  note.base_blocks = f[kBase].blocks;
  note.base_blocks_corrected = f[kBase].blocks_corrected;
  note.new_blocks = f[kNew].blocks;
  note.new_blocks_corrected = f[kNew].blocks_corrected;
  double max_abs_log = 0;
  for (const drift::RepetitionFactors& source : f)
    max_abs_log = std::max(max_abs_log, source.max_abs_log_factor);
  note.max_factor_pct = (std::exp(max_abs_log) - 1) * 100;

  std::vector<double> changes(groups.size(), ComparisonRow::kNaN);
  for (std::size_t c = 0; c < groups.size(); ++c) {
    const Group& g = *groups[c];
    if (g.base().size() < kMinRepetitions || g.current().size() < kMinRepetitions) continue;
    if (!all_positive(g.base()) || !all_positive(g.current())) continue;
    changes[c] = std::log(stats::median(g.current()) / stats::median(g.base()));
  }
  const drift::CommonShift shift = drift::common_shift(changes);
  note.common_cases = shift.cases;
  if (shift.cases > 0) note.common_ratio = std::exp(shift.log_median);
  if (mode != Drift::run || !shift.estimated) return note;
  note.common_removed = true;
  for (std::size_t c = 0; c < groups.size(); ++c) {
    Group& g = *groups[c];
    if (!all_positive(g.base()) || !all_positive(g.current())) continue;  // no log basis
    const double factor = std::exp(shift.log_shift[c]);
    for (double& v : g.current()) v /= factor;
    g.shift_removed = factor;
  }
  const double t = shift_limit_pct / 100;
  if (note.common_ratio - 1 >= t) note.common_verdict = Verdict::regression;
  if (1 - note.common_ratio >= t) note.common_verdict = Verdict::improvement;
  return note;
}

// Unit::run: the whole-run verdict of a common shift judged against the spread of the history
// runs' common factors (compare.h). `history[c]`: case c's history runs before drift removal
// (raw logs); k_base, k_new: the runs a side. Only the history: the runs of one side are usually
// taken back to back and share the machine's state of those minutes (shared data: runs 1-2 and
// 3-4 differ by 0.4-4% as a whole, the two pairs by 9-12%), so they would understate it.
void judge_common_shift(DriftNote& note, const std::vector<std::vector<noise::RunStats>>& history,
                        std::size_t k_base, std::size_t k_new, const CompareOptions& options) {
  if (note.common_verdict == Verdict::unchanged) return;
  // Per run: the median over cases of the case's deviation from its mean over the history.
  std::map<std::pair<std::size_t, std::uint32_t>, std::vector<double>> deviations;
  for (const std::vector<noise::RunStats>& r : history) {
    if (r.size() < 2) continue;
    double mean = 0;
    for (const noise::RunStats& run : r) mean += run.level;
    mean /= static_cast<double>(r.size());
    for (const noise::RunStats& run : r)
      deviations[{kHistory, run.run}].push_back(run.level - mean);
  }
  std::array<std::vector<double>, kSources> factors;
  for (auto& [key, values] : deviations) {
    if (values.size() <= drift::kMinCases) continue;  // not a machine property
    factors[key.first].push_back(stats::median(values));
  }
  double ss = 0;
  std::size_t df = 0;
  for (const std::vector<double>& f : factors) {
    if (f.size() < 2) continue;
    ss += stats::moments(f).ss;
    df += f.size() - 1;
  }
  if (df == 0) {
    note.common_verdict = Verdict::inconclusive;
    return;
  }
  note.common_run_df = df;
  note.common_run_sd = std::sqrt(ss / static_cast<double>(df));
  const double kb = static_cast<double>(std::max<std::size_t>(1, k_base));
  const double kn = static_cast<double>(std::max<std::size_t>(1, k_new));
  const double se = note.common_run_sd * std::sqrt(1 / kb + 1 / kn);
  const double change = std::log(note.common_ratio);
  const double p = se > 0
                       ? 2 * stats::student_t_cdf(-std::fabs(change / se), static_cast<double>(df))
                       : (change == 0 ? 1.0 : 0.0);
  // As for a row: significant, and the whole 95% interval beyond the limit.
  const double q = stats::student_t_quantile(0.975, static_cast<double>(df));
  const double limit = std::log1p(options.shift_limit_pct / 100);
  const bool beyond = std::fabs(change) - q * se >= limit;
  if (!(p < options.alpha) || !beyond) note.common_verdict = Verdict::unchanged;
}

// The change estimate of one row (see compare.h); returns the raw shift's sign for basis none.
double estimate_change(const Group& group, ComparisonRow& row) {
  if (const auto r = stats::hodges_lehmann_ratio(group.base(), group.current())) {
    row.ratio = r->ratio;
    row.ratio_low = r->low;
    row.ratio_high = r->high;
    row.basis = ChangeBasis::log_ratio;
    return r->ratio - 1;
  }
  const stats::ShiftEstimate d = stats::hodges_lehmann(group.base(), group.current());
  set_raw_shift(row, d.shift, d.low, d.high);
  return d.shift;
}

}  // namespace

void set_raw_shift(ComparisonRow& row, double shift, double low, double high) {
  // Near the ends of the double range the differences overflow (the fuzzer found a shift of
  // -inf inside a finite interval): no relative size then, the sign decides (basis none).
  const bool finite = std::isfinite(shift) && std::isfinite(low) && std::isfinite(high) &&
                      low <= shift && shift <= high;
  if (row.median_base > 0 && finite) {
    row.ratio = 1 + shift / row.median_base;
    row.ratio_low = 1 + low / row.median_base;
    row.ratio_high = 1 + high / row.median_base;
    row.basis = ChangeBasis::raw_shift;
  } else {
    row.basis = ChangeBasis::none;
  }
}

Verdict decide(const ComparisonRow& row, double direction, const CompareOptions& options) {
  if (!(row.p_adjusted < options.alpha)) return Verdict::unchanged;
  // Practical significance (compare_options.h, ThresholdOn): by default the whole 95% interval
  // must lie beyond the threshold, not just the point estimate (stricter than DESIGN.md), so that
  // a case whose change is about the threshold's size is not flagged on its own noise while a
  // real 5% change is; `ab` puts the threshold on the estimate. Machine drift is removed before
  // this (remove_drift).
  if (row.basis != ChangeBasis::none) {
    const double t = options.threshold_pct / 100;
    const bool on_estimate = options.resolved_threshold_on() == ThresholdOn::estimate;
    const bool up = (on_estimate ? row.ratio : row.ratio_low) - 1 >= t;
    const bool down = 1 - (on_estimate ? row.ratio : row.ratio_high) >= t;
    if (!up && !down) return Verdict::unchanged;
  }
  if (direction > 0) return Verdict::regression;  // larger is worse for every metric
  if (direction < 0) return Verdict::improvement;
  return Verdict::unchanged;
}

bool Comparison::has_regression() const {
  return summary.count(Verdict::regression) > 0 ||
         std::any_of(drift.begin(), drift.end(),
                     [](const DriftNote& n) { return n.common_verdict == Verdict::regression; });
}

bool two_threads_allowed() {
  const char* threads = std::getenv("PTEBENCH_COMPARE_THREADS");
  return !(threads != nullptr && std::string_view(threads) == "1");
}

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::regression:
      return "regression";
    case Verdict::improvement:
      return "improvement";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::unchanged:
      return "unchanged";
    case Verdict::insufficient:
      return "insufficient";
    case Verdict::missing:
      return "missing";
  }
  contract_violation("verdict " + std::to_string(static_cast<int>(verdict)) + " has no name");
}

std::string_view inconclusive_reason_name(InconclusiveReason reason) {
  switch (reason) {
    case InconclusiveReason::none:
      return "";
    case InconclusiveReason::run_noise_unknown:
      return "run_noise_unknown";
    case InconclusiveReason::values_not_positive:
      return "values_not_positive";
  }
  contract_violation("reason " + std::to_string(static_cast<int>(reason)) + " has no name");
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
  std::array<TextIds, 6> text_ids;  // GroupId::text's columns
  std::unordered_map<GroupId, std::uint32_t, GroupIdHash> index;
  std::deque<Group> groups;  // never moved: a Group is large
  // Every value added, in order, by source; finish() lays them out group by group (lay_out).
  struct Sample {
    std::uint32_t group;
    std::uint32_t block;
    double value;
  };
  std::array<std::vector<Sample>, kSources> samples;
  std::array<std::vector<double>, kSources> values;         // laid out: Group::values
  std::array<std::vector<std::uint32_t>, kSources> blocks;  // laid out: Group::blocks
  GroupKey scratch;  // reused per row: its strings keep their capacity
  // Blocks (harness/drift.h): (input, run_id) -> a dense run id; run and repetition -> a dense
  // block id; block_run[block] = its run.
  std::unordered_map<std::string, std::uint32_t> run_ids;
  std::unordered_map<std::uint64_t, std::uint32_t> block_ids;
  std::vector<std::uint32_t> block_run;
  std::string last_run_id;
  std::uint32_t last_run = 0;
  std::uint32_t input = 0;
  bool run_changed = true;
  bool saw_base_value = false;
  bool saw_new_value = false;

  bool wanted(const std::string& metric) const {
    return options.metrics.empty() || std::find(options.metrics.begin(), options.metrics.end(),
                                                metric) != options.metrics.end();
  }

  // The group of `scratch` (its case and metric as read; the --between column made "*" here),
  // created with `unit` on first sight. Both add paths go through it.
  std::size_t group_of_scratch(const std::string& unit) {
    if (options.between) column_of(scratch.key, options.between->column) = "*";
    const results::CaseKey& k = scratch.key;
    const GroupId id{
        {text_ids[0].id(k.codegen), text_ids[1].id(k.workload), text_ids[2].id(k.pte_format),
         text_ids[3].id(k.variant), text_ids[4].id(k.layout), text_ids[5].id(scratch.metric)},
        k.ptes};
    const auto [it, fresh] = index.try_emplace(id, static_cast<std::uint32_t>(groups.size()));
    if (fresh) {
      Group group;
      group.id = static_cast<std::uint32_t>(groups.size());
      group.key = scratch;
      group.unit = unit;
      groups.push_back(std::move(group));
    }
    return it->second;
  }

  void add(const results::Row& row, std::size_t source) {
    if (!wanted(row.metric)) return;
    scratch.key.codegen = row.codegen;
    scratch.key.workload = row.workload;
    scratch.key.pte_format = row.pte_format;
    scratch.key.variant = row.variant;
    scratch.key.layout = row.layout;
    scratch.key.ptes = row.ptes;
    scratch.metric = row.metric;
    const auto group_id = static_cast<std::uint32_t>(group_of_scratch(row.unit));
    Group& group = groups[group_id];
    // string_view comparisons stay inline (a per-row call to std::string's == cost ~5% here).
    if (std::string_view(group.unit) != std::string_view(row.unit)) {
      throw InputError("case " + results::case_name(group.key.key) + " metric " + row.metric +
                       ": unit '" + row.unit + "' where other rows have '" + group.unit + "'");
    }
    // Rows come run by run: the run's index is looked up only when run_id or the input changes.
    if (run_changed || std::string_view(row.run_id) != std::string_view(last_run_id)) {
      run_changed = false;
      last_run_id = row.run_id;
      const std::string run_key = std::to_string(input) + '\n' + row.run_id;
      last_run =
          run_ids.try_emplace(run_key, static_cast<std::uint32_t>(run_ids.size())).first->second;
    }
    const std::uint64_t run_repetition = (std::uint64_t{last_run} << 32) | row.repetition;
    const auto [block_it, inserted] =
        block_ids.try_emplace(run_repetition, static_cast<std::uint32_t>(block_ids.size()));
    if (inserted) block_run.push_back(last_run);
    samples[source].push_back(Sample{group_id, block_it->second, row.value});
  }

  // The table being fed (add of a RowTable row): per series its group, side and checked unit,
  // per run its dense id, each looked up at the series' or run's first row. Reset by
  // next_input().
  static constexpr std::uint32_t kUnknown = UINT32_MAX;
  struct SeriesState {
    bool known = false;             // wanted and group below are set
    bool wanted = false;            // options.metrics has its metric
    bool side_known = false;        // side below is set (--between)
    std::uint32_t side = kUnknown;  // kBase, kNew or kUnknown (neither value)
    std::uint32_t group = 0;
    std::uint32_t unit = kUnknown;  // the table's unit index last found equal to the group's
  };
  const results::RowTable* table = nullptr;
  std::vector<SeriesState> series_state;
  std::vector<std::uint32_t> table_runs;
  std::uint32_t cached_run = kUnknown, cached_repetition = 0, cached_block = 0;

  void bind(const results::RowTable& t) {
    if (table == &t) return;
    table = &t;
    index.reserve(groups.size() + t.series.size());
    series_state.assign(t.series.size(), SeriesState{});
    table_runs.assign(t.run_ids.size(), kUnknown);
    cached_run = kUnknown;
  }

  // As add(Row, source): the same group, unit check, run and block, in the same order.
  void add(const results::RowTable& t, std::size_t i, std::size_t source) {
    if (table != &t) samples[source].reserve(samples[source].size() + t.rows.size());
    bind(t);
    const results::TableRow& r = t.rows[i];
    SeriesState& ss = series_state[r.series];
    const results::Series& series = t.series[r.series];
    const std::string& metric = t.metrics[series.metric];
    if (!ss.known) {
      ss.known = true;
      ss.wanted = wanted(metric);
      if (ss.wanted) {
        scratch.key = t.cases[series.case_id];
        scratch.metric = metric;
        ss.group = static_cast<std::uint32_t>(group_of_scratch(t.units[r.unit]));
      }
    }
    if (!ss.wanted) return;
    if (r.unit != ss.unit) {
      const Group& group = groups[ss.group];
      const std::string& unit = t.units[r.unit];
      if (group.unit != unit) {
        throw InputError("case " + results::case_name(group.key.key) + " metric " + metric +
                         ": unit '" + unit + "' where other rows have '" + group.unit + "'");
      }
      ss.unit = r.unit;
    }
    std::uint32_t& run = table_runs[r.run];
    if (run == kUnknown) {
      const std::string run_key = std::to_string(input) + '\n' + t.run_ids[r.run];
      run = run_ids.try_emplace(run_key, static_cast<std::uint32_t>(run_ids.size())).first->second;
    }
    last_run = run;
    run_changed = true;  // a Row added next looks its run up again
    if (run != cached_run || r.repetition != cached_repetition) {
      const std::uint64_t run_repetition = (std::uint64_t{run} << 32) | r.repetition;
      const auto [block_it, inserted] =
          block_ids.try_emplace(run_repetition, static_cast<std::uint32_t>(block_ids.size()));
      if (inserted) block_run.push_back(run);
      cached_run = run;
      cached_repetition = r.repetition;
      cached_block = block_it->second;
    }
    samples[source].push_back(Sample{ss.group, cached_block, r.value});
  }

  // Lays each source's samples out group by group, in the order of `order` (each group's in
  // the order added), and points the groups' values and blocks at them: the statistics then
  // read each group's values from one place, and the groups one after the other. The samples of
  // a group not in `order` are dropped. counts[id]: how many values group `id` has a source.
  void lay_out(const std::vector<Group*>& order,
               const std::vector<std::array<std::uint32_t, kSources>>& counts) {
    constexpr std::size_t kDropped = SIZE_MAX;
    std::vector<std::size_t> next(groups.size());
    for (std::size_t source = 0; source < kSources; ++source) {
      std::fill(next.begin(), next.end(), kDropped);
      std::size_t size = 0;
      for (const Group* g : order) {
        next[g->id] = size;
        size += counts[g->id][source];
      }
      values[source].resize(size);
      blocks[source].resize(size);
      for (const Sample& x : samples[source]) {
        std::size_t& at = next[x.group];
        if (at == kDropped) continue;
        values[source][at] = x.value;
        blocks[source][at] = x.block;
        ++at;
      }
      std::vector<Sample>().swap(samples[source]);
      std::size_t offset = 0;
      for (Group* g : order) {
        const std::size_t n = counts[g->id][source];
        g->values[source] = std::span<double>(values[source].data() + offset, n);
        g->blocks[source] = std::span<const std::uint32_t>(blocks[source].data() + offset, n);
        offset += n;
      }
    }
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
  state_->add(row, kBase);
}

void Collector::add_new(const results::Row& row) {
  if (state_->options.between) contract_violation("Collector::add_new with --between");
  state_->add(row, kNew);
}

void Collector::add_history(const results::Row& row) {
  if (state_->options.between) contract_violation("Collector::add_history with --between");
  if (state_->options.resolved_unit() != Unit::run) return;
  state_->add(row, kHistory);
}

void Collector::next_input() {
  ++state_->input;
  state_->run_changed = true;
  state_->table = nullptr;
}

void Collector::add_base(const results::RowTable& table, std::size_t i) {
  if (state_->options.between) contract_violation("Collector::add_base with --between");
  state_->add(table, i, kBase);
}

void Collector::add_new(const results::RowTable& table, std::size_t i) {
  if (state_->options.between) contract_violation("Collector::add_new with --between");
  state_->add(table, i, kNew);
}

void Collector::add_history(const results::RowTable& table, std::size_t i) {
  if (state_->options.between) contract_violation("Collector::add_history with --between");
  if (state_->options.resolved_unit() != Unit::run) return;
  state_->add(table, i, kHistory);
}

void Collector::add(const results::RowTable& table, std::size_t i) {
  if (!state_->options.between) contract_violation("Collector::add without --between");
  State& s = *state_;
  s.bind(table);
  State::SeriesState& ss = s.series_state[table.rows[i].series];
  if (!ss.side_known) {
    const Between& between = *s.options.between;
    const results::CaseKey& key = table.cases[table.series[table.rows[i].series].case_id];
    const std::string& value = column_of(key, between.column);
    ss.side_known = true;
    if (value == between.base_value) {
      ss.side = kBase;
    } else if (value == between.new_value) {
      ss.side = kNew;
    }
  }
  if (ss.side == kBase) {
    s.saw_base_value = true;
    s.add(table, i, kBase);
  } else if (ss.side == kNew) {
    s.saw_new_value = true;
    s.add(table, i, kNew);
  }
}

void Collector::add(const results::Row& row) {
  if (!state_->options.between) contract_violation("Collector::add without --between");
  const Between& between = *state_->options.between;
  const std::string& value = column_of(row, between.column);
  if (value == between.base_value) {
    state_->saw_base_value = true;
    state_->add(row, kBase);
  } else if (value == between.new_value) {
    state_->saw_new_value = true;
    state_->add(row, kNew);
  }
}

namespace {

// The runs of one source of a group: its values' logs by run (all values must be positive).
std::vector<noise::RunStats> runs_of(const Group& g, std::size_t source,
                                     const std::vector<std::uint32_t>& block_run,
                                     std::vector<double>& logs,
                                     std::vector<std::uint32_t>& run_of) {
  logs.clear();
  run_of.clear();
  for (std::size_t i = 0; i < g.values[source].size(); ++i) {
    logs.push_back(std::log(g.values[source][i]));
    run_of.push_back(block_run[g.blocks[source][i]]);
  }
  return noise::summarize_runs(logs, run_of);
}

bool group_positive(const Group& g) {
  return std::all_of(g.values.begin(), g.values.end(),
                     [](std::span<const double> v) { return all_positive(v); });
}

bool flagged(Verdict v) {
  return v == Verdict::regression || v == Verdict::improvement;
}

// The runs of one source of a group: its values come run by run, so runs are counted where the
// run changes (no allocation).
std::size_t count_runs(const Group& g, std::size_t source,
                       const std::vector<std::uint32_t>& block_run) {
  std::size_t runs = 0;
  std::uint32_t last = UINT32_MAX;
  for (const std::uint32_t b : g.blocks[source]) {
    if (block_run[b] != last) ++runs;
    last = block_run[b];
  }
  return runs;
}

// Sorts groups by (case, metric) as std::tie(key.key, key.metric) orders them, comparing the
// ranks of the texts (harness/text_ranks.h) instead of the texts.
void sort_by_key(std::vector<Group*>& groups) {
  struct Ordered {
    std::array<std::uint32_t, 5> text;  // codegen, workload, pte_format, variant, layout
    std::uint64_t ptes;
    std::uint32_t metric;
    Group* group;
  };
  std::array<TextRanks, 6> columns;  // the five texts of text, then the metric
  std::vector<Ordered> ordered;
  ordered.reserve(groups.size());
  for (Group* g : groups) {
    const results::CaseKey& k = g->key.key;
    ordered.push_back(
        Ordered{{columns[0].id(k.codegen), columns[1].id(k.workload), columns[2].id(k.pte_format),
                 columns[3].id(k.variant), columns[4].id(k.layout)},
                k.ptes,
                columns[5].id(g->key.metric),
                g});
  }
  std::array<std::vector<std::uint32_t>, 6> rank;
  for (std::size_t c = 0; c < columns.size(); ++c) rank[c] = columns[c].ranks();
  for (Ordered& o : ordered) {
    for (std::size_t c = 0; c < o.text.size(); ++c) o.text[c] = rank[c][o.text[c]];
    o.metric = rank[5][o.metric];
  }
  std::sort(ordered.begin(), ordered.end(), [](const Ordered& x, const Ordered& y) {
    return std::tie(x.text, x.ptes, x.metric) < std::tie(y.text, y.ptes, y.metric);
  });
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i] = ordered[i].group;
}

}  // namespace

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
  // A case only the history holds is not compared. The rest in key order, as pointers: a
  // Group (six vectors and seven strings) is not moved.
  std::vector<std::array<std::uint32_t, kSources>> counts(s.groups.size());
  for (std::size_t source = 0; source < kSources; ++source)
    for (const State::Sample& x : s.samples[source]) ++counts[x.group][source];
  std::vector<Group*> groups;
  groups.reserve(s.groups.size());
  for (Group& g : s.groups)
    if (counts[g.id][kBase] != 0 || counts[g.id][kNew] != 0) groups.push_back(&g);
  for (const std::string& metric : s.options.metrics) {
    const bool found = std::any_of(groups.begin(), groups.end(),
                                   [&metric](const Group* g) { return g->key.metric == metric; });
    if (!found) throw InputError("--metric " + metric + ": no row of either input has this metric");
  }
  // The rows are default-constructed (their memory's first touch, 40 MB at 100,000 rows) on a
  // second thread while the groups are sorted and laid out: the two share nothing. Reserved
  // here, so that their memory is this thread's heap (bench/cli/compare_heap.h), not the other
  // thread's arena.
  const std::size_t row_count = groups.size();
  comparison.rows.reserve(row_count);
  both(
      row_count >= kParallelRows,
      [&] {
        sort_by_key(groups);
        s.lay_out(groups, counts);
      },
      [&] { comparison.rows.resize(row_count); });
  s.index.clear();
  s.run_ids.clear();
  s.block_ids.clear();
  const bool by_run = s.options.resolved_unit() == Unit::run;

  // Medians as measured; with Unit::run and a history also each case's history runs before
  // drift (the whole-run verdict) and the most runs a side.
  std::vector<std::vector<noise::RunStats>> raw_history(by_run ? groups.size() : 0);
  // Exact counts (harness/exact_verdict.h) have no drift and no noise: decided apart, and in
  // no metric's drift, null or zero check. Not vector<bool>: written by two threads.
  std::vector<char> exact_row(groups.size());
  // Rows [begin, end); the most runs a side among them into most_runs.
  const auto measure_rows = [&](std::size_t begin, std::size_t end,
                                std::array<std::size_t, 2>& most_runs) {
    std::vector<double> logs;
    std::vector<std::uint32_t> run_of;
    for (std::size_t i = begin; i < end; ++i) {
      const Group& g = *groups[i];
      comparison.rows[i].median_base = stats::median(g.base());
      comparison.rows[i].median_new = stats::median(g.current());
      exact_row[i] = exact::is_exact(g.key.metric, g.base(), g.current());
      if (!by_run) continue;
      most_runs[0] = std::max(most_runs[0], count_runs(g, kBase, s.block_run));
      most_runs[1] = std::max(most_runs[1], count_runs(g, kNew, s.block_run));
      if (!g.values[kHistory].empty() && group_positive(g)) {
        raw_history[i] = runs_of(g, kHistory, s.block_run, logs, run_of);
      }
    }
  };
  // Each row is its own: at many rows the second half on a second thread.
  std::array<std::size_t, 2> most_first{}, most_second{};
  both(
      groups.size() >= kParallelRows, [&] { measure_rows(0, groups.size() / 2, most_first); },
      [&] { measure_rows(groups.size() / 2, groups.size(), most_second); });
  const std::size_t most_runs_base = std::max(most_first[0], most_second[0]);
  const std::size_t most_runs_new = std::max(most_first[1], most_second[1]);
  // The rows of each metric, in metric order. A table has a few metrics, met in turn row after
  // row: a short list is looked up by text, and the map filled once from it.
  std::vector<std::pair<std::string_view, std::vector<std::size_t>>> metric_rows;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (exact_row[i]) continue;
    const std::string_view metric = groups[i]->key.metric;
    auto it = std::find_if(metric_rows.begin(), metric_rows.end(),
                           [&](const auto& m) { return m.first == metric; });
    if (it == metric_rows.end()) it = metric_rows.insert(it, {metric, {}});
    it->second.push_back(i);
  }
  std::map<std::string, std::vector<std::size_t>> by_metric;
  for (auto& [metric, rows] : metric_rows) by_metric.emplace(metric, std::move(rows));
  for (const auto& [metric, members] : by_metric) {
    const bool zero = std::all_of(members.begin(), members.end(), [&](std::size_t i) {
      const Group& g = *groups[i];
      const auto is_zero = [](double v) { return v == 0; };
      return std::all_of(g.base().begin(), g.base().end(), is_zero) &&
             std::all_of(g.current().begin(), g.current().end(), is_zero);
    });
    if (zero) comparison.zero_metrics.push_back(metric);
  }
  const Drift mode = s.options.resolved_drift();
  if (mode != Drift::none) {
    // Each metric's groups are its own: at many cases two metrics are done at a time, the even
    // ones on this thread and the odd ones on a second (each metric's own sources then in turn).
    std::vector<const std::vector<std::size_t>*> metric_members;
    std::size_t cases = 0;
    for (const auto& [metric, members] : by_metric) {
      metric_members.push_back(&members);
      cases += members.size();
    }
    std::vector<DriftNote> notes(metric_members.size());
    const bool by_metric_threads = metric_members.size() >= 2 && cases >= kParallelDriftCases;
    const auto remove_every_other = [&](std::size_t first) {
      for (std::size_t k = first; k < metric_members.size(); k += 2) {
        std::vector<Group*> metric_groups;
        for (const std::size_t i : *metric_members[k]) metric_groups.push_back(groups[i]);
        notes[k] = remove_drift(metric_groups, mode, s.options.shift_limit_pct, !by_metric_threads);
      }
    };
    both(
        by_metric_threads, [&] { remove_every_other(0); }, [&] { remove_every_other(1); });
    for (std::size_t k = 0; k < notes.size(); ++k) {
      if (by_run) {
        std::vector<std::vector<noise::RunStats>> history;
        for (const std::size_t i : *metric_members[k]) history.push_back(std::move(raw_history[i]));
        judge_common_shift(notes[k], history, most_runs_base, most_runs_new, s.options);
      }
      comparison.drift.push_back(std::move(notes[k]));
    }
  }

  // Estimates and raw p-values first; verdicts once the p-values are adjusted together.
  // run_tested[i]: Unit::run with df > 0 (noise_model.h); its t is turned into a p after the
  // metric's empirical null is known.
  std::vector<double> directions(groups.size(), 0);
  std::vector<double> p_values(groups.size(), ComparisonRow::kNaN);
  std::vector<noise::RunTest> tests(groups.size());
  std::vector<char> run_tested(groups.size(), false);  // not vector<bool>: written by 2 threads
  // Row i's estimate; the scratch vectors are the calling thread's.
  const auto estimate = [&](std::size_t i, std::vector<double>& scratch_logs,
                            std::vector<std::uint32_t>& scratch_run_of) {
    const Group& group = *groups[i];
    ComparisonRow& row = comparison.rows[i];
    row.key = group.key.key;
    row.metric = group.key.metric;
    row.unit = group.unit;
    row.n_base = group.base().size();
    row.n_new = group.current().size();
    row.common_shift_removed = group.shift_removed;
    if (row.n_base == 0 || row.n_new == 0) {
      row.verdict = Verdict::missing;
      return;
    }
    if (exact_row[i]) {  // harness/exact_verdict.h: no statistics, no p-value
      exact::decide(row, s.options.exact_threshold_pct);
      return;
    }
    const bool positive = by_run && group_positive(group);
    if (positive && group.values[kHistory].empty() && count_runs(group, kBase, s.block_run) == 1 &&
        count_runs(group, kNew, s.block_run) == 1) {
      // One run a side, no history (the common case): df 0, nothing to estimate per case. The
      // within-run sd is left out here: one log per value cost 2% of compare's instructions
      // (callgrind, 2 x 100k rows) for a number no verdict uses.
      row.runs_base = row.runs_new = 1;
    } else if (positive) {
      std::array<std::vector<noise::RunStats>, kSources> runs;
      for (std::size_t source = 0; source < kSources; ++source) {
        runs[source] = runs_of(group, source, s.block_run, scratch_logs, scratch_run_of);
      }
      const noise::Components comp = noise::estimate_components(runs);
      row.runs_base = runs[kBase].size();
      row.runs_new = runs[kNew].size();
      row.run_df = comp.df;
      row.run_sd = std::sqrt(comp.run_var);
      row.within_sd = std::sqrt(comp.within_var);
      if (comp.df > 0) {
        tests[i] = noise::run_test(comp, runs[kBase], runs[kNew]);
        run_tested[i] = true;
        row.basis = ChangeBasis::log_ratio;
        directions[i] = tests[i].change;
        return;
      }
    }
    directions[i] = estimate_change(group, row);
    if (row.n_base < kMinRepetitions || row.n_new < kMinRepetitions) {
      row.verdict = Verdict::insufficient;
      return;
    }
    p_values[i] = stats::mann_whitney(group.base(), group.current()).p_value;
  };
  // Each row is its own: at many rows the second half is estimated on a second thread
  // (kParallelRows; 2 x 1,000,000 rows of the speed benchmark are 100,000 rows here).
  const auto estimate_rows = [&](std::size_t begin, std::size_t end) {
    std::vector<double> thread_logs;
    std::vector<std::uint32_t> thread_run_of;
    for (std::size_t i = begin; i < end; ++i) estimate(i, thread_logs, thread_run_of);
  };
  const std::size_t half = groups.size() / 2;
  both(
      groups.size() >= kParallelRows, [&] { estimate_rows(0, half); },
      [&] { estimate_rows(half, groups.size()); });

  // Unit::run: per metric, Efron's empirical nulls (compare.h): of the run-tested rows' z (it
  // widens their null), and of every case's log change (it clears the df = 0 rows).
  std::vector<double> change_null_p(groups.size(), ComparisonRow::kNaN);
  if (by_run) {
    for (const auto& [metric, members] : by_metric) {
      NoiseNote note;
      note.metric = metric;
      std::vector<double> z, changes;
      for (const std::size_t i : members) {
        const ComparisonRow& row = comparison.rows[i];
        if (row.runs_base == 0 || row.runs_new == 0) continue;
        ++note.cases;
        note.most_runs_base = std::max(note.most_runs_base, row.runs_base);
        note.most_runs_new = std::max(note.most_runs_new, row.runs_new);
        if (run_tested[i]) {
          ++note.cases_with_run_sd;
          z.push_back(noise::z_of_t(tests[i].t, tests[i].df));
          changes.push_back(tests[i].change);
        } else if (row.basis == ChangeBasis::log_ratio) {
          changes.push_back(std::log(row.ratio));
        }
      }
      for (const std::size_t i : members) {
        const Group& g = *groups[i];
        note.history_runs = std::max(note.history_runs, count_runs(g, kHistory, s.block_run));
      }
      note.z_null = noise::empirical_null(z, drift::kMinCases);
      note.change_null = noise::empirical_null(changes, drift::kMinCases);
      const double widen = std::max(1.0, note.z_null.scale);
      std::vector<double> null_p;
      std::vector<std::size_t> null_rows;
      for (const std::size_t i : members) {
        ComparisonRow& row = comparison.rows[i];
        if (run_tested[i]) {
          const noise::RunTest& t = tests[i];
          const double zi = noise::z_of_t(t.t, t.df);
          p_values[i] = std::min(1.0, 2 * stats::normal_cdf(-std::fabs(zi) / widen));
          const double q = stats::student_t_quantile(0.975, t.df);
          row.ratio = std::exp(t.change);
          row.ratio_low = std::exp(t.change - q * t.se * widen);
          row.ratio_high = std::exp(t.change + q * t.se * widen);
          row.null_scale = widen;
        } else if (!std::isnan(p_values[i]) && row.basis == ChangeBasis::log_ratio &&
                   note.change_null.estimated && note.change_null.scale > 0) {
          const double d = (std::log(row.ratio) - note.change_null.center) / note.change_null.scale;
          null_p.push_back(std::min(1.0, 2 * stats::normal_cdf(-std::fabs(d))));
          null_rows.push_back(i);
        }
      }
      const std::vector<double> null_adjusted = stats::benjamini_hochberg(null_p);
      for (std::size_t k = 0; k < null_rows.size(); ++k)
        change_null_p[null_rows[k]] = null_adjusted[k];
      comparison.noise.push_back(std::move(note));
    }
  }

  const std::vector<double> adjusted = stats::benjamini_hochberg(p_values);
  for (std::size_t i = 0; i < comparison.rows.size(); ++i) {
    ComparisonRow& row = comparison.rows[i];
    if (std::isnan(p_values[i])) continue;  // missing or insufficient, decided above
    row.p_value = p_values[i];
    row.p_adjusted = adjusted[i];
    row.verdict = decide(row, directions[i], s.options);
    if (!by_run || run_tested[i] || !flagged(row.verdict)) continue;
    // Unit::run without a run-level estimate: never a flag (compare.h).
    if (!group_positive(*groups[i])) {
      row.verdict = Verdict::inconclusive;
      row.reason = InconclusiveReason::values_not_positive;
    } else if (change_null_p[i] < s.options.alpha || std::isnan(change_null_p[i])) {
      row.verdict = Verdict::inconclusive;
      row.reason = InconclusiveReason::run_noise_unknown;
    } else {
      row.verdict = Verdict::unchanged;  // within the spread of the table's run-to-run changes
    }
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
  collector.next_input();
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
