#include "harness/results_table.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "harness/huge_pages.h"
#include "harness/input_error.h"
#include "harness/input_file.h"
#include "harness/results_parser.h"

namespace ptebench::results {
namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

// std::hash<std::string_view> for an unordered_map<std::string, ...> looked up by view.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Index of `text` in `values`, appended when new. For the few units and metrics of a file a
// scan beats hashing.
std::uint32_t small_index(std::vector<std::string>& values, std::string_view text) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] == text) return static_cast<std::uint32_t>(i);
  values.emplace_back(text);
  return static_cast<std::uint32_t>(values.size() - 1);
}

// SplitMix64's finalizer (Steele, Lea & Flood, OOPSLA 2014).
std::size_t mix(std::uint64_t h) {
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>(h ^ (h >> 31));
}

// The duplicate check (results_reader.h) without a key per row: rows come case by case, so a
// (run, case) "cell" is looked up when it changes, and holds one bit per (metric, repetition)
// for the first 8 metrics and 64 repetitions of the file (64 bytes per cell). Rows beyond
// those go to a hash set. On a duplicate, the first line is found by scanning the rows kept.
class SeenRows {
 public:
  // Whether (run, case_id, metric, repetition) was seen before; records it otherwise.
  bool seen(std::uint32_t run, std::uint32_t case_id, std::uint32_t metric,
            std::uint32_t repetition) {
    if (metric >= 8 || repetition >= 64) {
      return !rest_.insert(Key{run, case_id, metric, repetition}).second;
    }
    if (run != cell_run_ || case_id != cell_case_) {
      cell_run_ = run;
      cell_case_ = case_id;
      const auto [it, fresh] = cells_.try_emplace(std::uint64_t{run} << 32 | case_id, bits_.size());
      if (fresh) bits_.emplace_back();
      cell_ = it->second;
    }
    std::uint64_t& word = bits_[cell_][metric];
    const std::uint64_t bit = std::uint64_t{1} << repetition;
    if ((word & bit) != 0) return true;
    word |= bit;
    return false;
  }

 private:
  struct Key {
    std::uint32_t run, case_id, metric, repetition;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return mix((std::uint64_t{k.run} << 32 | k.case_id) ^
                 (std::uint64_t{k.metric} << 32 | k.repetition) * 0x9e3779b97f4a7c15ULL);
    }
  };
  std::unordered_map<std::uint64_t, std::size_t> cells_;
  std::vector<std::array<std::uint64_t, 8>> bits_;
  std::uint32_t cell_run_ = kNone, cell_case_ = kNone;
  std::size_t cell_ = 0;
  std::unordered_set<Key, KeyHash> rest_;
};

void fill(RowTable& table, InputFile& file, const std::string& name) {
  RowParser parser(file, name);
  parser.read_header();
  // Rows come run by run, case by case: the run and the case are looked up only when they
  // change. A case is keyed by its columns joined with '\0' (no field holds a NUL byte).
  std::unordered_map<std::string, std::uint32_t, ViewHash, std::equal_to<>> run_index;
  std::unordered_map<std::string, std::uint32_t, ViewHash, std::equal_to<>> case_index;
  std::vector<std::vector<std::uint32_t>> case_series;  // [case][metric] -> series
  std::string key, last_key;
  std::string last_case;  // the previous row's RowFields::case_bytes
  std::uint32_t run = kNone, case_id = kNone;
  SeenRows seen;
  RowFields f;
  char ptes_text[24];
  while (parser.next(f)) {
    if (!f.same_run_columns || run == kNone) {
      const auto it = run_index.find(f.text[1]);
      if (it != run_index.end()) {
        run = it->second;
      } else {
        run = static_cast<std::uint32_t>(table.run_ids.size());
        table.run_ids.emplace_back(f.text[1]);
        table.run_hosts.emplace_back(f.text[3]);
        run_index.emplace(table.run_ids.back(), run);
      }
    }
    // The same case as the previous row when its columns are the same bytes in the same run
    // (codegen is a run column): no key is built. Other rows are keyed as below.
    const bool same_case = f.same_run_columns && case_id != kNone && f.case_bytes == last_case;
    last_case.assign(f.case_bytes);
    if (!same_case) {
      key.clear();
      for (const std::size_t column : {8, 11, 12, 13, 14}) {
        key += f.text[column];
        key += '\0';
      }
      const auto ptes_end = std::to_chars(ptes_text, ptes_text + sizeof ptes_text, f.ptes).ptr;
      key.append(ptes_text, ptes_end);
      if (case_id == kNone || key != last_key) {
        const auto it = case_index.find(key);
        if (it != case_index.end()) {
          case_id = it->second;
        } else {
          case_id = static_cast<std::uint32_t>(table.cases.size());
          case_index.emplace(key, case_id);
          table.cases.push_back(CaseKey{std::string(f.text[8]), std::string(f.text[11]),
                                        std::string(f.text[12]), std::string(f.text[13]),
                                        std::string(f.text[14]), f.ptes});
          case_series.emplace_back();
        }
        std::swap(key, last_key);
      }
    }
    const std::uint32_t metric = small_index(table.metrics, f.text[17]);
    std::vector<std::uint32_t>& by_metric = case_series[case_id];
    if (by_metric.size() <= metric) by_metric.resize(metric + 1, kNone);
    if (by_metric[metric] == kNone) {
      by_metric[metric] = static_cast<std::uint32_t>(table.series.size());
      table.series.push_back(Series{case_id, metric, 0});
    }
    const std::uint32_t series = by_metric[metric];
    if (seen.seen(run, case_id, metric, f.repetition)) {
      std::size_t first = 0;
      while (table.rows[first].run != run || table.rows[first].series != series ||
             table.rows[first].repetition != f.repetition)
        ++first;
      throw InputError(name + ":" + std::to_string(parser.line()) +
                       ": duplicate row: same run_id, case, repetition and metric as line " +
                       std::to_string(RowTable::line_of(first)));
    }
    ++table.series[series].rows;
    table.rows.push_back(
        TableRow{run, series, small_index(table.units, f.text[19]), f.repetition, f.value});
  }
}

}  // namespace

RowTable read_table(const std::filesystem::path& path) {
  RowTable table;
  try {
    InputFile file(path);
    // A typical row is 200-300 bytes: a sizing hint, never a limit.
    table.rows.reserve(file.size() / 192);
    // Its first touch is most of a large file's page faults; on the read-ahead thread of compare
    // (an arena of its own) it is not in compare's huge-page heap (bench/cli/compare_heap.h).
    advise_huge_pages(table.rows.data(), table.rows.capacity() * sizeof(TableRow));
    fill(table, file, path.string());
  } catch (const InputError&) {
    table.error = std::current_exception();
  }
  return table;
}

RowTable parse_table(std::string_view csv, std::string_view name) {
  RowTable table;
  try {
    InputFile file(csv);
    fill(table, file, std::string(name));
  } catch (const InputError&) {
    table.error = std::current_exception();
  }
  return table;
}

}  // namespace ptebench::results
