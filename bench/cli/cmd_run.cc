// ptebench run: the benchmark matrix of a suite, interleaved by repetition, written to the
// results CSV (schema ptebench-results/1) and its context sidecar, then the variant table.
#include <cstdio>

#include "bench/cli/commands.h"
#include "bench/cli/run_flags.h"
#include "bench/runner/run_suite.h"
#include "harness/input_error.h"

namespace ptebench::cli {

int cmd_run(int argc, char** argv) {
  RunConfig cfg;
  FlagParser flags("run");
  add_run_flags(flags, cfg);
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::printf("usage: ptebench run [flags]\n%s", flags.usage().c_str());
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench run: unexpected argument '" + positional[0] + "'");
  const RunOutcome outcome = run_suite(cfg);
  // 130 = interrupted (as a shell reports SIGINT); the finished repetitions are in the file.
  return outcome.interrupted ? 130 : 0;
}

}  // namespace ptebench::cli
