// End-to-end check of the exact engine's client-request bracketing (bench/runner/exact_engine.h), run
// by ctest as exact:bracketing (tests/scripts/exact_engine.cmake). Exit 0: pass, 1: a check
// failed (each failure one line), 77: SKIP (no valgrind on PATH, or under an emulator).
//   usage: exact_engine_check PTEBENCH SCRATCH_DIR
// On one small synthetic case (copy_range x86_64 plain dense 4096, kernel profile), with a
// native case in the same filter:
//  1. instructions_per_pte is the same in both repetitions of a run and in two runs (A/A);
//  2. the run has no time rows, has the three sim_* rows, and its sidecar names the engine,
//     Valgrind's version and the simulated caches; the native case is skipped with the reason;
//  3. --inject-slowdown CASE=1 adds exactly the instructions the sidecar says per walk, and
//     that is 1% of the case's own count, to the two instructions of the asm loop;
//  4. `ptebench compare` reports the A/A pair unchanged and exact, the injected one a regression;
//  5. `ptebench nightly` adds an exact pass (its rows in the history) where no PMU counts
//     instructions, and none with --no-exact.
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "harness/counters.h"
#include "harness/results_reader.h"
#include "harness/run_context.h"

namespace {

namespace fs = std::filesystem;
using ptebench::results::Row;

constexpr const char* kCase = "copy_range/x86_64/plain/dense/4096/kernel";
constexpr const char* kNative = "native_munmap/native/kernel/4k/16384/native";
int failures = 0;

void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cout << "FAIL: " << what << "\n";
    ++failures;
  }
}

bool valgrind_on_path() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (::access((dir + "/valgrind").c_str(), X_OK) == 0) return true;
  return false;
}

std::string quote(const std::string& s) {
  return "'" + s + "'";
}

// Runs a shell command, its output into `log`; returns the exit status.
int run(const std::string& command, const fs::path& log) {
  const int status = std::system((command + " >" + quote(log.string()) + " 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The values of `metric` for kCase, by repetition.
std::vector<double> values(const std::vector<Row>& rows, const std::string& metric) {
  std::vector<double> out;
  for (const Row& r : rows) {
    const std::string name = r.workload + "/" + r.pte_format + "/" + r.variant + "/" + r.layout +
                             "/" + std::to_string(r.ptes) + "/" + r.codegen;
    if (name == kCase && r.metric == metric) out.push_back(r.value);
  }
  return out;
}

std::string entry(const fs::path& results, const std::string& key) {
  const auto entries = ptebench::context::read_context(ptebench::context::context_path(results));
  return ptebench::context::find_entry(entries, key).value_or("(absent)");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: exact_engine_check PTEBENCH SCRATCH_DIR\n";
    return 2;
  }
  if (const char* emulator = std::getenv("PTEBENCH_EMULATOR"); emulator && *emulator) {
    std::cout << "SKIP: under the emulator " << emulator << " (Valgrind cannot run there)\n";
    return 77;
  }
  if (!valgrind_on_path()) {
    std::cout << "SKIP: no valgrind on PATH\n";
    return 77;
  }
  const std::string ptebench = argv[1];
  const fs::path dir = argv[2];
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string base = quote(ptebench) + " run --engine valgrind --suite quick --no-table";
  const auto exact_run = [&](const std::string& out, const std::string& extra) {
    const int status = run(base + " --filter " + quote(kCase) + " --filter " + quote(kNative) +
                               " --out " + quote((dir / out).string()) + extra,
                           dir / (out + ".log"));
    check(status == 0, out + ": ptebench run exited " + std::to_string(status) + ": " +
                           slurp(dir / (out + ".log")));
    try {
      return ptebench::results::read_results(dir / out);
    } catch (const std::exception& e) {
      check(false, out + ": " + e.what());
      return std::vector<Row>{};
    }
  };

  // 1 and 2: A/A.
  const auto a = exact_run("a.csv", "");
  if (a.empty()) {
    // ptebench itself found the engine unavailable (e.g. a sanitizer build): its SKIP line.
    const std::string log = slurp(dir / "a.csv.log");
    if (const auto at = log.find("SKIP exact engine"); at != std::string::npos) {
      std::cout << log.substr(at, log.find('\n', at) - at) << "\n";
      return 77;
    }
  }
  const auto b = exact_run("b.csv", "");
  const auto ia = values(a, "instructions_per_pte");
  const auto ib = values(b, "instructions_per_pte");
  check(ia.size() == 2 && ib.size() == 2, "two repetitions of instructions_per_pte per run");
  if (ia.size() != 2 || ib.size() != 2) return 1;
  check(ia[0] == ia[1],
        "repetitions differ: " + std::to_string(ia[0]) + " " + std::to_string(ia[1]));
  check(ia == ib, "A/A runs differ");
  check(ia[0] > 1, "implausible instructions_per_pte " + std::to_string(ia[0]));
  check(values(a, "ns_per_pte").empty(), "an exact run wrote ns_per_pte rows");
  for (const char* m :
       {"sim_l1d_misses_per_pte", "sim_ll_misses_per_pte", "sim_branch_mispredicts_per_pte"})
    check(values(a, m).size() == 2, std::string("no ") + m + " rows");
  check(entry(dir / "a.csv", "engine") == "valgrind", "sidecar engine");
  check(entry(dir / "a.csv", "valgrind_version").rfind("valgrind-", 0) == 0,
        "sidecar valgrind_version: " + entry(dir / "a.csv", "valgrind_version"));
  check(entry(dir / "a.csv", "sim_d1_cache") == "32768 B, 64 B, 8-way associative",
        "sidecar sim_d1_cache: " + entry(dir / "a.csv", "sim_d1_cache"));
  check(entry(dir / "a.csv", std::string("skip:") + kNative).find("does not see") !=
            std::string::npos,
        "native case not skipped with the reason: " +
            entry(dir / "a.csv", std::string("skip:") + kNative));
  for (const Row& r : a) check(r.workload.rfind("native", 0) != 0, "a row of a native case");

  // 3: an injected 1%.
  const auto c = exact_run("c.csv", std::string(" --inject-slowdown ") + quote(kCase) + "=1");
  const auto ic = values(c, "instructions_per_pte");
  check(ic.size() == 2 && ic[0] == ic[1], "injected run: two equal repetitions");
  const std::string injected = entry(dir / "c.csv", std::string("exact_injected:") + kCase);
  check(injected != "(absent)", "sidecar exact_injected");
  if (ic.size() == 2 && injected != "(absent)") {
    // Per-PTE values of 4096-entry walks are exact binary fractions: x 4096 is the walk's count.
    const double own = ia[0] * 4096, with = ic[0] * 4096;
    const double n = std::stod(injected);
    check(with - own == n, "injected " + std::to_string(with - own) +
                               " instructions per walk, "
                               "sidecar says " +
                               injected);
    check(n == 2 * std::llround(own * 1 / 200.0),
          "injected count is not 1% of " + std::to_string(own) + ": " + injected);
  }

  // 4: compare.
  check(run(quote(ptebench) + " compare " + quote((dir / "a.csv").string()) + " " +
                quote((dir / "b.csv").string()) + " --metric instructions_per_pte --all",
            dir / "ab.txt") == 0,
        "compare A/A exit status");
  check(slurp(dir / "ab.txt").find("same instructions (exact)") != std::string::npos,
        "compare A/A: not 'same instructions (exact)': " + slurp(dir / "ab.txt"));
  check(run(quote(ptebench) + " compare " + quote((dir / "a.csv").string()) + " " +
                quote((dir / "c.csv").string()) + " --metric instructions_per_pte",
            dir / "ac.txt") == 1,
        "compare of the injected run: exit status not 1: " + slurp(dir / "ac.txt"));
  check(slurp(dir / "ac.txt").find("1 regression") != std::string::npos,
        "compare of the injected run: " + slurp(dir / "ac.txt"));
  // 5: nightly adds an exact pass where no PMU counts instructions, and --no-exact drops it.
  bool pmu = false;
  for (const auto& counter : ptebench::probe_counters())
    if (counter.event == "instructions") pmu = counter.ok;
  const auto nightly = [&](const std::string& name, const std::string& extra) {
    const fs::path out = dir / (name + ".csv");
    const int status =
        run(quote(ptebench) + " nightly --suite quick --repetitions 1 --no-table" + " --baseline " +
                quote((dir / (name + "-base.csv")).string()) + " --history " +
                quote((dir / (name + "-history.csv")).string()) + " --filter " + quote(kCase) +
                " --out " + quote(out.string()) + extra,
            dir / (name + ".log"));
    check(status == 0, name + ": nightly exited " + std::to_string(status) + ": " +
                           slurp(dir / (name + ".log")));
    std::size_t exact_rows = 0;
    for (const Row& r : ptebench::results::read_results(dir / (name + "-history.csv")))
      exact_rows += r.metric == "instructions_per_pte" && r.unit == "instructions";
    return exact_rows;
  };
  const std::size_t with = nightly("n1", "");
  check(with == (pmu ? 1u : 2u), "nightly history: " + std::to_string(with) +
                                     " instructions_per_pte rows (PMU: " + (pmu ? "yes" : "no") +
                                     ")");
  if (!pmu) check(fs::exists(dir / "n1.exact.csv"), "nightly: no n1.exact.csv");
  if (!pmu)
    check(slurp(dir / "n1.md").find("instructions_per_pte") != std::string::npos,
          "nightly report without the exact pass's instructions_per_pte");
  const std::size_t without = nightly("n2", " --no-exact");
  check(without == (pmu ? 1u : 0u), "nightly --no-exact: " + std::to_string(without) + " rows");

  if (failures == 0)
    std::cout << "exact engine: instructions_per_pte " << ia[0] << " (A/A equal)\n";
  return failures == 0 ? 0 : 1;
}
