#include "bench/cli/cli.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "bench/cli/commands.h"
#include "harness/input_error.h"
#include "workloads/bad_parameter.h"

namespace ptebench::cli {
namespace {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*fn)(int, char**);
};

const Command kCommands[] = {
    {"list", "list the cases of a suite (or --suites)", cmd_list},
    {"run", "run a suite, write results CSV + context, print the variant table", cmd_run},
    {"counters", "list the counters this machine can count", cmd_counters},
    {"compare", "compare two runs (or two values inside one run): regression verdicts",
     cmd_compare},
    {"ab", "run two commands interleaved A B A B and compare them", cmd_ab},
    {"nightly", "run the nightly suite, append to history, compare with the baseline", cmd_nightly},
    {"codegen", "per walker x format x codegen: do the variants compile to the same machine code",
     cmd_codegen},
    {"history", "import CSV runs into a history database, export them back, list them",
     cmd_history},
    {"report", "the history as one HTML page: trends, noise bands, change points", cmd_report},
};

void usage(std::FILE* out) {
  std::fputs("usage: ptebench COMMAND [flags]   (ptebench COMMAND --help for its flags)\n", out);
  for (const Command& c : kCommands)
    std::fprintf(out, "  %-9.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.summary.size()), c.summary.data());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  for (const Command& c : kCommands) {
    if (c.name != name) continue;
    try {
      return c.fn(argc, argv);
    } catch (const InputError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 2;
    } catch (const BadParameter& e) {
      std::fprintf(stderr, "ptebench %s: %s\n", argv[1], e.what());
      return 2;
    }
  }
  std::string known;
  for (const Command& c : kCommands) known += (known.empty() ? "" : ", ") + std::string(c.name);
  std::fprintf(stderr, "ptebench: unknown command '%s' (known: %s)\n", argv[1], known.c_str());
  return 2;
}

}  // namespace ptebench::cli
