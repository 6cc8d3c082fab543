#include "bench/cli/ab_duet.h"

#include <sched.h>

#include "harness/input_error.h"

namespace ptebench::cli::duet {

std::array<int, 2> pick_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  int count = 0;
  std::array<int, 2> cpus = {-1, -1};  // the highest, then the one below it
  if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) {
    for (int i = CPU_SETSIZE - 1; i >= 0; --i) {
      if (!CPU_ISSET(i, &allowed)) continue;
      if (count < 2) cpus[static_cast<std::size_t>(count)] = i;
      ++count;
    }
  }
  if (count < 2)
    throw InputError(
        "ptebench ab --duet: needs two CPUs to run A and B at once; this process may "
        "run on " +
        std::to_string(count) + " (sched_getaffinity); use ab without --duet");
  return {cpus[1], cpus[0]};
}

Placement placement(const std::array<int, 2>& cpus, std::size_t rep) {
  const bool a_first = rep % 4 == 0 || rep % 4 == 3;
  return rep % 2 == 0 ? Placement{cpus[0], cpus[1], a_first} : Placement{cpus[1], cpus[0], a_first};
}

void check_run_args(const std::vector<std::string>& run_args) {
  for (const std::string& arg : run_args) {
    if (arg == "--cpu" || arg.starts_with("--cpu=") || arg == "--no-pin")
      throw InputError("ptebench ab --duet: --run-arg " + arg +
                       ": the duet pins each side to its own CPU itself");
  }
}

}  // namespace ptebench::cli::duet
