// The metrics of the exact engine (`ptebench run --engine valgrind`, bench/runner/exact_engine.h): what
// Callgrind's event totals (harness/callgrind_output.h) become in schema ptebench-results/1.
//
//   instructions_per_pte            Ir / (walks x ptes), unit instructions. Exact: the guest's
//                                   instructions as Valgrind executes them, the same on every
//                                   run of one binary and input. Shares its name with the PMU's
//                                   count (also user-mode instructions), as the two measure the
//                                   same thing.
//   sim_l1d_misses_per_pte          (D1mr + D1mw) / (walks x ptes): misses of Callgrind's
//                                   *simulated* L1 data cache, reads and writes (--cache-sim=yes)
//   sim_ll_misses_per_pte           (ILmr + DLmr + DLmw) / ...: misses of the simulated
//                                   last-level cache, instruction and data
//   sim_branch_mispredicts_per_pte  (Bcm + Bim) / ...: mispredictions of the simulated
//                                   predictor, conditional and indirect (--branch-sim=yes)
// The simulated ones are a model (a two-level inclusive cache with LRU, a simple predictor), not
// what a CPU's PMU counts, hence the sim_ prefix; unit events. A metric whose events the dump
// lacks (no --cache-sim) is left out, never written as zero.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/callgrind_output.h"

namespace ptebench::exact_metrics {

// Metrics whose samples Valgrind counts exactly; harness/exact_verdict.h decides a comparison
// of them without statistics when their samples show it (every sample of a side equal).
inline constexpr std::array<std::string_view, 1> kExactMetrics = {"instructions_per_pte"};
bool is_exact_metric(std::string_view metric);

struct Sample {
  std::string metric;
  std::string unit;
  double value = 0;
};

// The metrics of one dump whose collected region held `walks` walks of `ptes` entries each
// (both > 0; a broken contract aborts).
std::vector<Sample> per_pte_metrics(const callgrind::Dump& dump, std::uint64_t walks,
                                    std::uint64_t ptes);

}  // namespace ptebench::exact_metrics
