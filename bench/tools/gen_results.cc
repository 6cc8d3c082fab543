// ptebench-gen-results ROWS SEED OUT: a synthetic results file (schema ptebench-results/1) of
// ROWS rows for the project's own speed benchmarks (scripts/bench-compare.sh,
// scripts/bench-history.sh). Deterministic: the same arguments give the same bytes.
//
// One run (run_id from SEED) of ROWS / 40 cases x 10 repetitions x 4 metrics, in the order the
// runner writes them (case, repetition, metric). Values are a per-case level times noise of a
// few percent; with SEED != 1 every 97th case is 20% slower, so `compare` of seed 1 against
// seed 2 has regressions to report. Not a model of real data: only its size and shape are.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "harness/results_row.h"
#include "harness/results_writer.h"

namespace {

// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a fixed, portable sequence per seed.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

constexpr const char* kWorkloads[] = {"copy_range",  "zap_range",   "change_protection",
                                      "mremap_move", "none_scan",   "fork_copy",
                                      "reclaim",     "madvise_free"};
constexpr const char* kFormats[] = {"x86_64", "arm64"};
constexpr const char* kVariants[] = {"plain", "read_once", "arch"};
constexpr const char* kLayouts[] = {"dense", "sparse", "random", "contpte"};
struct Metric {
  const char* name;
  const char* unit;
  double scale;  // of the case's level
};
constexpr Metric kMetrics[] = {{"ns_per_pte", "ns", 1.0},
                               {"cycles_per_pte", "cycles", 2.9},
                               {"instructions_per_pte", "instructions", 7.5},
                               {"page_faults", "count", 0.0}};
constexpr std::uint32_t kRepetitions = 10;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: ptebench-gen-results ROWS SEED OUT\n";
    return 2;
  }
  const std::uint64_t rows = std::strtoull(argv[1], nullptr, 10);
  const std::uint64_t seed = std::strtoull(argv[2], nullptr, 10);
  std::ofstream out(argv[3], std::ios::binary | std::ios::trunc);
  if (rows == 0 || seed == 0 || !out) {
    std::cerr << "ptebench-gen-results: ROWS and SEED must be positive, OUT writable\n";
    return 2;
  }
  using ptebench::results::Row;
  Row row;
  row.run_id = "20261201T000000Z-gen-" + std::to_string(seed);
  row.started_utc = "2026-12-01T00:00:00Z";
  row.host = "gen";
  row.arch = "x86_64";
  row.cpu_model = "AMD EPYC 7B13 64-Core Processor";
  row.kernel = "6.18.44-fc-v1045";
  row.compiler = "GNU 12.2.0";
  row.codegen = "kernel";
  row.git_rev = "c47d7d2";
  row.suite = "nightly";
  SplitMix64 noise{seed};
  std::string text = ptebench::results::header_line() + "\n";
  const std::uint64_t combos =
      std::size(kWorkloads) * std::size(kFormats) * std::size(kVariants) * std::size(kLayouts);
  std::uint64_t written = 0;
  for (std::uint64_t c = 0; written < rows; ++c) {
    std::uint64_t i = c;
    row.workload = kWorkloads[i % std::size(kWorkloads)];
    i /= std::size(kWorkloads);
    row.pte_format = kFormats[i % std::size(kFormats)];
    i /= std::size(kFormats);
    row.variant = kVariants[i % std::size(kVariants)];
    i /= std::size(kVariants);
    row.layout = kLayouts[i % std::size(kLayouts)];
    row.ptes = 512 * (1 + c / combos);
    // The level depends on the case only (not the seed), so two seeds are the same cases.
    SplitMix64 level_rng{c + 1};
    double level = 0.5 + 20 * level_rng.uniform();
    if (seed != 1 && c % 97 == 0) level *= 1.2;
    for (std::uint32_t rep = 0; rep < kRepetitions && written < rows; ++rep) {
      row.repetition = rep;
      for (const Metric& m : kMetrics) {
        if (written == rows) break;
        row.metric = m.name;
        row.unit = m.unit;
        // About +-3% of noise: the mean of three uniforms, centred.
        const double u = (noise.uniform() + noise.uniform() + noise.uniform()) / 3 - 0.5;
        row.value = level * m.scale * (1 + 0.06 * u);
        ptebench::results::append_csv_row(text, row);
        ++written;
      }
    }
    if (text.size() > (1u << 22)) {
      out << text;
      text.clear();
    }
  }
  out << text;
  out.close();
  if (!out) {
    std::cerr << "ptebench-gen-results: cannot write " << argv[3] << "\n";
    return 2;
  }
  return 0;
}
