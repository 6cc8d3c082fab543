// The exact engine, `ptebench run --engine valgrind` (issue 13): instructions per PTE counted by
// Valgrind's Callgrind, exactly, and simulated cache and branch misses, for the synthetic walkers.
//
// How: the run (the parent) validates its flags, then starts itself again under
//   valgrind --tool=callgrind --collect-atstart=no --cache-sim=yes --branch-sim=yes
//            --I1=... --D1=... --LL=... (a fixed geometry, kSimulated*)
// with a private dump directory in PTEBENCH_EXACT_DIR. That child runs the suite as usual, but
// each case's walks are bracketed by Callgrind's client requests (valgrind/callgrind.h):
// CALLGRIND_ZERO_STATS before a case, CALLGRIND_TOGGLE_COLLECT immediately before and after each
// walk (and the --inject-slowdown instructions, below), CALLGRIND_DUMP_STATS_AT(case) after it.
// The child reads that dump (harness/callgrind_output.h) and reports the metrics of
// harness/exact_metrics.h through the ordinary results path. Nothing is selected by function
// name: only what runs between the two toggles is counted, every instruction of it.
//
// Exact means: the same binary on the same input executes the same instructions, whatever the
// machine's load. It does not mean time: Valgrind runs the walk many times slower on a synthetic
// CPU (issue 13: 704 ns per PTE for a 17 ns walk), so an exact run writes no ns_per_pte row.
// One walk per case and repetition (counts do not vary, there is nothing to average); default
// kDefaultRepetitions repetitions, which lets compare see that they are equal
// (harness/exact_verdict.h).
//
// SKIP (one logged line, an empty results file whose sidecar names the reason per case, exit 0):
// under a user-mode emulator (PTEBENCH_EMULATOR, tests/native/emulator.h: Valgrind cannot run
// inside qemu-user), built without valgrind/callgrind.h or with AddressSanitizer, no `valgrind` on
// PATH, Valgrind failing to start or to run the child, or ptebench already running under Valgrind.
// Per case: native cases (the kernel's own walks happen in the kernel, which Valgrind does not
// see), and on x86_64 the user profile when it was built with -march=native on a CPU with AVX-512
// (Valgrind 3.19 cannot execute AVX-512).
//
// --inject-slowdown GLOB=PCT: before a matching case's first repetition, one bracketed walk
// counts the case's own instructions per walk I; every walk then executes 2 x round(I x PCT /
// 200) more instructions inside the bracket (an asm loop of two instructions per turn, whose
// count does not depend on the compiler), recorded in the sidecar as exact_injected:<case>.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/matrix/cases.h"
#include "bench/runner/case_body.h"
#include "harness/results_row.h"
#include "harness/run_context.h"

namespace ptebench {
class Walk;
}

namespace ptebench::cli {

struct RunConfig;
struct RunOutcome;

namespace exact {

inline constexpr std::int64_t kDefaultRepetitions = 2;
// The simulated caches, as Valgrind's --I1/--D1/--LL take them: size, associativity, line size.
inline constexpr const char* kSimulatedI1 = "32768,8,64";
inline constexpr const char* kSimulatedD1 = "32768,8,64";
inline constexpr const char* kSimulatedLL = "8388608,16,64";

// InputError for --counters with the exact engine.
void validate_engine(const RunConfig& cfg);

// True in the child that the parent started under Valgrind.
bool in_child();

// The parent's side: runs cfg in a child under Valgrind and returns the rows the child wrote to
// cfg.out (or a SKIP, see above). Call after validation, only when !in_child(). The child is this
// executable (/proc/self/exe) with `run` arguments: a test that drives cli::main in-process must
// not reach it (it would start the test binary).
RunOutcome run_in_valgrind(const RunConfig& cfg, const std::vector<CaseSpec>& cases);

// The child's state for its cases: the dump directory, dumps read so far, what goes into the
// sidecar. Null unless in_child() and the exact engine is asked for.
struct Session {
  std::string dir;          // where Callgrind writes callgrind.out.<part>
  int next_part = 1;        // the part number of the next dump
  bool collecting = false;  // Callgrind's collection state (off at start)
  std::string valgrind_version;
  std::vector<std::string> cache_desc;            // from the first dump
  std::map<std::string, std::uint64_t> injected;  // case -> instructions added per walk
};
std::unique_ptr<Session> child_session(const RunConfig& cfg);

// The sidecar keys of the engine: engine=timer for `session` null; otherwise engine=valgrind,
// valgrind_version, sim_i1_cache, sim_d1_cache, sim_ll_cache (as the dumps state them),
// exact_walks_per_repetition and exact_injected:<case>. Replaces earlier values of these keys.
void add_context(const Session* session, context::Entries& entries);

// One repetition of a case in the child: native cases SKIP; synthetic walks are counted.
void skip_native(benchmark::State& state, const CaseSpec& c, RunRecord& record);
void run_walks(benchmark::State& state, const CaseSpec& c, const RunSettings& settings,
               RunRecord& record, Walk& walk);

// Executes exactly 2 x `pairs` instructions more than with `pairs` = 0 (x86_64, arm64).
void burn_instruction_pairs(std::uint64_t pairs);

}  // namespace exact
}  // namespace ptebench::cli
