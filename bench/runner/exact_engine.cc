#include "bench/runner/exact_engine.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#include <valgrind/valgrind.h>
#define PTEBENCH_HAVE_CALLGRIND 1
#else
#define PTEBENCH_HAVE_CALLGRIND 0
#endif

// AddressSanitizer's shadow memory and Valgrind exclude each other.
#if defined(__SANITIZE_ADDRESS__)
#define PTEBENCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PTEBENCH_ASAN 1
#endif
#endif
#ifndef PTEBENCH_ASAN
#define PTEBENCH_ASAN 0
#endif

#include "bench/runner/case_body.h"
#include "bench/runner/results_sink.h"
#include "bench/runner/run_args.h"
#include "bench/runner/run_suite.h"
#include "bench/runner/slowdown.h"
#include "harness/callgrind_output.h"
#include "harness/exact_metrics.h"
#include "harness/input_error.h"
#include "harness/log.h"
#include "harness/report.h"
#include "harness/results_reader.h"
#include "workloads/walk.h"

namespace ptebench::cli::exact {

namespace {

constexpr const char* kDirEnv = "PTEBENCH_EXACT_DIR";
constexpr const char* kVersionEnv = "PTEBENCH_VALGRIND_VERSION";
constexpr const char* kNativeReason =
    "the exact engine counts user-mode instructions under Valgrind, which does not see the "
    "kernel's own walk";

bool running_on_valgrind() {
#if PTEBENCH_HAVE_CALLGRIND
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

// `valgrind` on PATH, or nullopt.
std::optional<std::string> find_valgrind() {
  const char* path = std::getenv("PATH");
  std::string dirs = path == nullptr ? "" : path;
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    const std::string candidate = dir + "/valgrind";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

// Forks and execs `argv` with `env` added; stdout to `out_file` when given. Returns the wait
// status, or nullopt when fork failed.
std::optional<int> spawn(const std::vector<std::string>& argv,
                         const std::vector<std::pair<std::string, std::string>>& env,
                         const std::string& out_file) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    ::signal(SIGINT, SIG_DFL);  // the parent ignores both while it waits
    ::signal(SIGTERM, SIG_DFL);
    if (!out_file.empty()) {
      const int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
      }
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

std::string first_line_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// The last line of Valgrind's log that says what went wrong, for the SKIP reason.
std::string last_line_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of("=-0123456789 ") != std::string::npos) last = line;
  return last;
}

// Why the exact engine cannot run here (nullopt: it can). Fills *version.
std::optional<std::string> unavailable_reason(const std::filesystem::path& scratch,
                                              std::string* valgrind, std::string* version) {
  if (const char* emulator = std::getenv("PTEBENCH_EMULATOR"); emulator && *emulator)
    return std::string("running under the emulator ") + emulator +
           ": Valgrind cannot run the walkers under a user-mode emulator";
  if (!PTEBENCH_HAVE_CALLGRIND)
    return std::string(
        "built without valgrind/callgrind.h (scripts/install-deps.sh installs "
        "Debian's valgrind)");
  if (PTEBENCH_ASAN)
    return std::string("built with AddressSanitizer, which cannot run under Valgrind");
  if (running_on_valgrind())
    return std::string(
        "ptebench is already running under Valgrind; --engine valgrind starts "
        "Valgrind itself");
  const auto found = find_valgrind();
  if (!found)
    return std::string("no valgrind on PATH (scripts/install-deps.sh installs Debian's valgrind)");
  *valgrind = *found;
  const std::filesystem::path out = scratch / "version.txt";
  const auto status = spawn({*found, "--version"}, {}, out.string());
  *version = first_line_of(out);
  if (!status || !WIFEXITED(*status) || WEXITSTATUS(*status) != 0 ||
      version->rfind("valgrind-", 0) != 0)
    return "'" + *found + " --version' failed: " + (version->empty() ? "no output" : *version);
  return std::nullopt;
}

// The `ptebench run` arguments that repeat cfg in the child (runner/run_args.h): the engine,
// the engine's default repetitions when the suite's are asked for; no perf counters (none under
// Valgrind) and no case budget (the child's walks are counted, not timed).
std::vector<std::string> child_arguments(RunConfig cfg) {
  cfg.engine = Engine::valgrind;
  if (cfg.repetitions <= 0) cfg.repetitions = kDefaultRepetitions;
  cfg.counters.clear();
  cfg.case_budget_ms = -1;
  return run_args(cfg);
}

// An empty run whose sidecar names `reason` for every case: what a SKIP of the engine leaves.
void write_skipped_run(const RunConfig& cfg, const std::vector<CaseSpec>& cases,
                       const std::string& reason) {
  ResultsSink sink(cfg.out);
  RunIdentity identity = make_run_identity(cfg, "none", -1, 0);
  identity.context.emplace_back("engine", "valgrind");
  for (const CaseSpec& c : cases) identity.skipped[c.name()] = "exact engine: " + reason;
  sink.commit({}, identity);
}

std::string own_executable() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/proc/self/exe") : exe.string();
}

// Whether a case's code can run under Valgrind 3.19 (nullopt) or why not.
std::optional<std::string> unsupported_reason(const CaseSpec& c) {
#if defined(__x86_64__)
  const std::string user_flags = PTEBENCH_USER_FLAGS;
  if (c.codegen == "user" && user_flags.find("-march=native") != std::string::npos &&
      __builtin_cpu_supports("avx512f"))
    return std::string(
        "the user profile is built with -march=native, which uses AVX-512 on this "
        "CPU; Valgrind 3.19 cannot execute AVX-512");
#else
  (void)c;
#endif
  return std::nullopt;
}

void skip_case(benchmark::State& state, const CaseSpec& c, RunRecord& record,
               const std::string& reason) {
  if (!record.skipped.count(c.name())) log_skip(c.name(), reason);
  record.skipped[c.name()] = reason;
  state.SkipWithError(("SKIP: " + reason).c_str());
  for (auto _ : state) {
  }
}

// --- the client requests ----------------------------------------------------------------------

void toggle_collect(Session& s) {
#if PTEBENCH_HAVE_CALLGRIND
  CALLGRIND_TOGGLE_COLLECT;
#endif
  s.collecting = !s.collecting;
}

void zero_stats() {
#if PTEBENCH_HAVE_CALLGRIND
  CALLGRIND_ZERO_STATS;
#endif
}

// Dumps what was collected since the last zero, reads the dump and removes it.
callgrind::Dump dump_stats(Session& s, const std::string& name) {
  if (s.collecting) toggle_collect(s);  // never left on, even by an exception
#if PTEBENCH_HAVE_CALLGRIND
  CALLGRIND_DUMP_STATS_AT(name.c_str());
#endif
  const std::filesystem::path file =
      std::filesystem::path(s.dir) / ("callgrind.out." + std::to_string(s.next_part++));
  callgrind::Dump dump = callgrind::read_dump(file);
  std::error_code ec;
  std::filesystem::remove(file, ec);
  if (s.cache_desc.empty()) s.cache_desc = dump.cache_desc;
  return dump;
}

void set_entry(context::Entries& entries, const std::string& key, const std::string& value) {
  for (auto& [k, v] : entries) {
    if (k == key) {
      v = value;
      return;
    }
  }
  entries.emplace_back(key, value);
}

}  // namespace

void validate_engine(const RunConfig& cfg) {
  if (cfg.engine == Engine::valgrind && !cfg.counters.empty())
    throw InputError(
        "ptebench run: --counters cannot be used with --engine valgrind (it counts "
        "with Callgrind, not perf events)");
  if (cfg.engine == Engine::valgrind && cfg.processes > 1)
    throw InputError(
        "ptebench run: --processes cannot be used with --engine valgrind (its counts do not "
        "vary by process)");
}

bool in_child() {
  return running_on_valgrind() && std::getenv(kDirEnv) != nullptr;
}

RunOutcome run_in_valgrind(const RunConfig& cfg, const std::vector<CaseSpec>& cases) {
  ResultsSink probe(cfg.out);  // InputError now when OUT cannot be written
  RunOutcome outcome;
  std::string pattern = (std::filesystem::temp_directory_path() / "ptebench-exact-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) {
    log_skip("exact engine",
             std::string("cannot create a scratch directory: ") + std::strerror(errno));
    write_skipped_run(cfg, cases, "cannot create a scratch directory");
    return outcome;
  }
  const std::filesystem::path dir = pattern;
  struct RemoveDir {
    std::filesystem::path dir;
    ~RemoveDir() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_dir{dir};

  std::string valgrind, version;
  if (const auto reason = unavailable_reason(dir, &valgrind, &version)) {
    log_skip("exact engine", *reason);
    write_skipped_run(cfg, cases, *reason);
    return outcome;
  }
  std::vector<std::string> argv = {valgrind,
                                   "--tool=callgrind",
                                   "--collect-atstart=no",
                                   "--cache-sim=yes",
                                   "--branch-sim=yes",
                                   std::string("--I1=") + kSimulatedI1,
                                   std::string("--D1=") + kSimulatedD1,
                                   std::string("--LL=") + kSimulatedLL,
                                   "--callgrind-out-file=" + (dir / "callgrind.out").string(),
                                   "--log-file=" + (dir / "valgrind.log").string(),
                                   own_executable()};
  for (std::string& a : child_arguments(cfg)) argv.push_back(std::move(a));
  log_line("exact engine: " + version + " (callgrind) runs the walks; this takes a while");
  // Ctrl-C reaches the child too, which keeps its finished repetitions; the parent waits.
  struct sigaction ignore {
  }, old_int{}, old_term{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGTERM, &ignore, &old_term);
  const auto status = spawn(argv, {{kDirEnv, dir.string()}, {kVersionEnv, version}}, "");
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);

  const bool ok = status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
  const bool interrupted = status && WIFEXITED(*status) && WEXITSTATUS(*status) == 130;
  if (!ok && !interrupted) {
    std::string why = !status ? "fork failed"
                      : WIFSIGNALED(*status)
                          ? "killed by signal " + std::to_string(WTERMSIG(*status))
                          : "exit status " + std::to_string(WEXITSTATUS(*status));
    const std::string last = last_line_of(dir / "valgrind.log");
    if (!last.empty()) why += " (" + last + ")";
    log_skip("exact engine", "Valgrind could not run the walkers: " + why);
    write_skipped_run(cfg, cases, "Valgrind could not run the walkers: " + why);
    return outcome;
  }
  outcome.interrupted = interrupted;
  if (!std::filesystem::exists(cfg.out)) return outcome;
  outcome.rows = results::read_results(cfg.out);
  for (const results::Row& r : outcome.rows)
    outcome.repetitions_finished =
        std::max(outcome.repetitions_finished, static_cast<int>(r.repetition) + 1);
  return outcome;
}

std::unique_ptr<Session> child_session(const RunConfig& cfg) {
  if (cfg.engine != Engine::valgrind || !in_child()) return nullptr;
  auto s = std::make_unique<Session>();
  s->dir = std::getenv(kDirEnv);
  const char* version = std::getenv(kVersionEnv);
  s->valgrind_version = version == nullptr ? "unknown" : version;
  return s;
}

void add_context(const Session* session, context::Entries& entries) {
  if (session == nullptr) {
    set_entry(entries, "engine", "timer");
    return;
  }
  set_entry(entries, "engine", "valgrind");
  set_entry(entries, "valgrind_version", session->valgrind_version);
  const char* keys[] = {"sim_i1_cache", "sim_d1_cache", "sim_ll_cache"};
  const char* prefixes[] = {"I1 cache: ", "D1 cache: ", "LL cache: "};
  for (int i = 0; i < 3; ++i) {
    std::string value = "unknown";
    for (const std::string& d : session->cache_desc)
      if (d.rfind(prefixes[i], 0) == 0) value = d.substr(std::strlen(prefixes[i]));
    set_entry(entries, keys[i], value);
  }
  set_entry(entries, "exact_walks_per_repetition", "1");
  for (const auto& [name, instructions] : session->injected)
    set_entry(entries, "exact_injected:" + name, std::to_string(instructions));
}

void skip_native(benchmark::State& state, const CaseSpec& c, RunRecord& record) {
  skip_case(state, c, record, kNativeReason);
}

void run_walks(benchmark::State& state, const CaseSpec& c, const RunSettings& settings,
               RunRecord& record, Walk& walk) {
  if (const auto reason = unsupported_reason(c)) return skip_case(state, c, record, *reason);
  Session& s = *settings.exact;
  const std::string name = c.name();
  // One walk outside the bracket first: lazy symbol binding and first touches are not the walk.
  walk.reset();
  walk.run();
  std::uint64_t pairs = 0;
  if (const double pct = slowdown_percent(settings.slowdowns, name); pct > 0) {
    auto it = s.injected.find(name);
    if (it == s.injected.end()) {
      walk.reset();
      zero_stats();
      toggle_collect(s);
      walk.run();
      burn_instruction_pairs(0);
      toggle_collect(s);
      const auto own = dump_stats(s, name + " (calibration)").total("Ir").value_or(0);
      const auto p = static_cast<std::uint64_t>(std::llround(static_cast<double>(own) * pct / 200));
      it = s.injected.emplace(name, 2 * p).first;
    }
    pairs = it->second / 2;
  }
  zero_stats();
  std::uint64_t walks = 0;
  for (auto _ : state) {
    if (settings.interrupted && settings.interrupted->load(std::memory_order_relaxed)) {
      record.saw_interrupt = true;
      state.SkipWithError("interrupted");
      break;
    }
    walk.reset();
    toggle_collect(s);  // the bracket: the walk and the injected instructions, nothing else
    walk.run();
    burn_instruction_pairs(pairs);
    toggle_collect(s);
    ++walks;
  }
  callgrind::Dump dump = dump_stats(s, name);
  if (walks == 0 || state.error_occurred()) return;  // interrupted: no measurement
  // harness/metrics.h turns the dump into the exact metrics (no time, no counters).
  record.measured[name] = metrics::Measurement{
      .walks = walks, .ptes = c.ptes, .elapsed_ns = 0, .counters = {}, .exact = std::move(dump)};
}

// Not inlined, so that its call costs the same instructions whatever `pairs` is; the loop is
// asm so that each turn is two instructions whatever the compiler does.
__attribute__((noinline)) void burn_instruction_pairs(std::uint64_t pairs) {
#if defined(__x86_64__)
  asm volatile(
      "test %0, %0\n\t"
      "jz 2f\n"
      "1:\n\t"
      "dec %0\n\t"
      "jnz 1b\n"
      "2:"
      : "+r"(pairs)
      :
      : "cc");
#elif defined(__aarch64__)
  asm volatile(
      "cbz %0, 2f\n"
      "1:\n\t"
      "subs %0, %0, #1\n\t"
      "b.ne 1b\n"
      "2:"
      : "+r"(pairs)
      :
      : "cc");
#else
#error "burn_instruction_pairs: no instruction loop for this architecture"
#endif
}

}  // namespace ptebench::cli::exact
