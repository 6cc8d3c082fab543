// A synthetic results row for the tests of the nightly series and its judge: case c of a made-up
// suite, every column a results file needs filled in, so that the rows can also be written to a
// history CSV (the caller sets run_id and started_utc per night).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "harness/results_row.h"

namespace ptebench::test {

// Case c is workload "w<100 + c>" (so the cases sort like c), x86_64/plain/dense/512/kernel.
inline results::Row synthetic_row(std::size_t c, double value, std::uint32_t repetition = 0,
                                  const std::string& metric = "ns_per_pte") {
  results::Row r;
  r.schema = "ptebench-results/1";
  r.host = "ci";
  r.arch = "x86_64";
  r.cpu_model = "cpu";
  r.kernel = "6.1";
  r.compiler = "gcc";
  r.codegen = "kernel";
  r.git_rev = "abc";
  r.suite = "quick";
  r.workload = "w" + std::to_string(100 + c);
  r.pte_format = "x86_64";
  r.variant = "plain";
  r.layout = "dense";
  r.ptes = 512;
  r.repetition = repetition;
  r.metric = metric;
  r.unit = "ns";
  r.value = value;
  return r;
}

// 13 nights of 60 cases (one row each), each case with its own noise (sd 0.5%). Cases 0-29 also
// move with a machine state g (sd 2% over the reference nights, +3% on the last two), each with
// its own loading; cases 30-59 with another, h. Case 0 steps +5% on the last two nights. The first
// factor (a median over all cases) cannot follow two groups; the further factors can
// (harness/factor_model.h). Night i's rows have run_id "night-<i>" and a start a day apart.
inline std::vector<std::vector<results::Row>> two_group_nights() {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> unit(0, 1);
  std::vector<double> g(13), h(13);
  for (std::size_t i = 0; i < 13; ++i) g[i] = 0.02 * unit(rng), h[i] = 0.02 * unit(rng);
  g[11] = g[12] = 0.03;
  std::vector<std::vector<results::Row>> nights(13);
  for (std::size_t i = 0; i < 13; ++i)
    for (std::size_t c = 0; c < 60; ++c) {
      const double loading = 0.6 + 0.1 * static_cast<double>(c % 8);
      const double state = c < 30 ? loading * g[i] : loading * h[i];
      const double step = c == 0 && i >= 11 ? std::log(1.05) : 0;
      results::Row r = synthetic_row(c, std::exp(1 + state + step + 0.005 * unit(rng)));
      r.run_id = "night-" + std::to_string(i);
      r.started_utc = "2026-11-" + std::to_string(10 + i) + "T02:00:00Z";
      nights[i].push_back(r);
    }
  return nights;
}

}  // namespace ptebench::test
