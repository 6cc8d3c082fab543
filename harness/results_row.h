// One row of the results CSV, schema ptebench-results/1 (DESIGN.md, Results CSV): long format,
// one row per case x repetition x metric. results/README.md documents every column.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ptebench::results {

inline constexpr std::string_view kSchema = "ptebench-results/1";

// The header, in order. Readers check it column by column.
inline constexpr std::array<std::string_view, 21> kColumns = {
    "schema",   "run_id",  "started_utc", "host",   "arch",     "cpu_model",  "kernel",
    "compiler", "codegen", "git_rev",     "suite",  "workload", "pte_format", "variant",
    "layout",   "ptes",    "repetition",  "metric", "value",    "unit",       "coverage"};

struct Row {
  // Run-wide identity (the same on every row of one run).
  std::string schema{kSchema};
  std::string run_id;       // unique per run, e.g. 20261124T163000Z-host-1234
  std::string started_utc;  // ISO 8601, e.g. 2026-11-24T16:30:00Z
  std::string host;
  std::string arch;  // machine the run ran on: x86_64 | aarch64
  std::string cpu_model;
  std::string kernel;    // uname -r
  std::string compiler;  // e.g. "GNU 12.2.0"
  std::string codegen;   // kernel | user | native (native workloads are not compiled by us)
  std::string git_rev;
  std::string suite;  // quick | nightly | full | custom
  // The case.
  std::string workload;          // copy_range, zap_range, ..., native_fork, ...
  std::string pte_format;        // x86_64 | arm64 | native
  std::string variant;           // plain | read_once | arch | kernel
  std::string layout;            // dense | sparse | random | contpte | 4k | thp | mthp-64kB ...
  std::uint64_t ptes = 0;        // page-table entries the case walks
  std::uint32_t repetition = 0;  // 0-based
  // The measurement.
  std::string metric;  // ns_per_pte, cycles_per_pte, ..., page_faults
  double value = 0;
  std::string unit;       // ns, cycles, instructions, events, count
  double coverage = 1.0;  // time_running / time_enabled of the counter (1 for timings)
};

// The columns that identify a case (everything but run identity, repetition and measurement).
struct CaseKey {
  std::string codegen, workload, pte_format, variant, layout;
  std::uint64_t ptes = 0;
  auto operator<=>(const CaseKey&) const = default;
};

inline CaseKey case_key(const Row& r) {
  return CaseKey{r.codegen, r.workload, r.pte_format, r.variant, r.layout, r.ptes};
}

// "workload/pte_format/variant/layout/ptes[/codegen]": the benchmark name of a case.
inline std::string case_name(const CaseKey& k) {
  return k.workload + "/" + k.pte_format + "/" + k.variant + "/" + k.layout + "/" +
         std::to_string(k.ptes) + "/" + k.codegen;
}

// The identity of a row: a results file holds each (run_id, case, repetition, metric) once.
inline bool same_row_key(const Row& a, const Row& b) {
  return a.run_id == b.run_id && a.metric == b.metric && a.repetition == b.repetition &&
         a.ptes == b.ptes && a.codegen == b.codegen && a.workload == b.workload &&
         a.pte_format == b.pte_format && a.variant == b.variant && a.layout == b.layout;
}

// Every field equal, value and coverage bit for bit (so NaN == NaN and 0.0 != -0.0): what a
// write-then-read round trip must preserve.
inline bool identical(const Row& a, const Row& b) {
  return a.schema == b.schema && a.run_id == b.run_id && a.started_utc == b.started_utc &&
         a.host == b.host && a.arch == b.arch && a.cpu_model == b.cpu_model &&
         a.kernel == b.kernel && a.compiler == b.compiler && a.git_rev == b.git_rev &&
         a.suite == b.suite && same_row_key(a, b) &&
         std::bit_cast<std::uint64_t>(a.value) == std::bit_cast<std::uint64_t>(b.value) &&
         a.unit == b.unit &&
         std::bit_cast<std::uint64_t>(a.coverage) == std::bit_cast<std::uint64_t>(b.coverage);
}

// The fields same_row_key compares as one string, each length-prefixed so that no two keys
// run together: what the reader's duplicate check remembers per row.
inline std::string row_key(const Row& r) {
  std::string key;
  for (const std::string* s :
       {&r.run_id, &r.codegen, &r.workload, &r.pte_format, &r.variant, &r.layout, &r.metric}) {
    key += std::to_string(s->size());
    key += ':';
    key += *s;
  }
  key += std::to_string(r.ptes);
  key += '/';
  key += std::to_string(r.repetition);
  return key;
}

// A hash of the fields same_row_key compares.
inline std::size_t row_key_hash(const Row& r) {
  std::size_t h = 0;
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  for (const std::string* s :
       {&r.run_id, &r.codegen, &r.workload, &r.pte_format, &r.variant, &r.layout, &r.metric}) {
    mix(std::hash<std::string>{}(*s));
  }
  mix(std::hash<std::uint64_t>{}(r.ptes));
  mix(std::hash<std::uint32_t>{}(r.repetition));
  return h;
}

}  // namespace ptebench::results
