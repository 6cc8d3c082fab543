// The context of a run: what does not vary per row but decides whether two runs can be
// compared — CPU frequency governor, THP mode, ASLR, kernel, CPU, compiler and flags, counter
// scope, seed, git revision. It goes to a sidecar next to the results file
// (`out.csv` -> `out.context.csv`), a `key,value` CSV written atomically; results/README.md
// lists the keys.
//
// The machine's facts come from harness/machine_probe.h. Every value is one line of printable
// text.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/machine_probe.h"
#include "harness/results_row.h"

namespace ptebench::context {

inline constexpr std::string_view kContextSchema = "ptebench-context/1";

// A run's identity: run_id "20261124T163000Z-host-1234" (UTC start, host, pid; unique per run
// on a host) and started_utc "2026-11-24T16:30:00Z" (ISO 8601), from the same instant.
struct RunStamp {
  std::string run_id;
  std::string started_utc;
};
RunStamp make_run_stamp(std::chrono::system_clock::time_point start, std::string_view host,
                        pid_t pid);

// What only the caller knows (from the build and the command line).
struct RunInputs {
  std::string compiler;        // e.g. "GNU 12.2.0"
  std::string compiler_flags;  // of the walkers' codegen profiles
  std::string counter_scope;   // e.g. "user" (exclude_kernel=1), or "none" without a PMU
  std::uint64_t seed = 0;      // of the page-table layouts
  std::string git_rev;         // of the build (bench/build_info.h.in), not of the tree now
  std::string suite;           // quick | nightly | full | custom
  // The machine's name (`run --host`): the results' host and the run_id's, in place of uname's
  // nodename, which is then kept as the sidecar's uname_nodename. Empty: the nodename.
  std::string host;
  std::vector<std::pair<std::string, std::string>> extra;  // further keys, in order
};

// Whether `name` can stand for a machine: 1 to 64 of [A-Za-z0-9._-], as a host name is (a
// run_id holds it, and a history is read by it).
bool valid_host_name(std::string_view name);

struct RunContext {
  RunStamp stamp;
  Machine machine;
  RunInputs inputs;
};

// Collects everything for a run starting now.
RunContext collect_run_context(RunInputs inputs);

// Fills the run-wide columns of a results row (schema .. git_rev, suite); the case and the
// measurement are the caller's.
void fill_run_columns(const RunContext& context, results::Row& row);

// The sidecar's key/value pairs, in order, starting with schema = ptebench-context/1.
using Entries = std::vector<std::pair<std::string, std::string>>;
Entries context_entries(const RunContext& context);

// `dir/out.csv` -> `dir/out.context.csv`; a name without ".csv" gets ".context.csv" appended.
std::filesystem::path context_path(const std::filesystem::path& results_path);

// Writes `entries` as `key,value` CSV to `path` atomically (InputError on failure).
void write_context(const std::filesystem::path& path, const Entries& entries);

// Reads a sidecar: header "key,value", then unique non-empty keys with schema
// ptebench-context/1 among them. Throws InputError "FILE:LINE:COLUMN: what".
Entries read_context(const std::filesystem::path& path);

// The value of `key`, or nullopt.
std::optional<std::string> find_entry(const Entries& entries, std::string_view key);

}  // namespace ptebench::context
