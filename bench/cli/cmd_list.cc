// ptebench list [--suite NAME] [--filter GLOB]...: the cases of a suite with one-line
// descriptions; `ptebench list --suites` lists the suites.
#include <cstdio>

#include "bench/cli/commands.h"
#include "bench/cli/flags.h"
#include "bench/cli/run_flags.h"
#include "bench/matrix/cases.h"
#include "harness/input_error.h"

namespace ptebench::cli {

int cmd_list(int argc, char** argv) {
  std::string suite_name = "full";
  std::vector<std::string> filters;
  bool list_suites = false;
  FlagParser flags("list");
  add_suite_flag(flags, suite_name);
  flags.add_strings("filter", &filters, "glob over case names, repeatable (default: all)");
  flags.add_bool("suites", &list_suites, "list the suites instead of cases");
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::printf("usage: ptebench list [flags]\n%s", flags.usage().c_str());
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench list: unexpected argument '" + positional[0] + "'");
  if (list_suites) {
    for (const SuiteSpec& s : suites())
      std::printf("%-8s %d repetitions  %.*s\n", std::string(s.name).c_str(), s.repetitions,
                  static_cast<int>(s.summary.size()), s.summary.data());
    return 0;
  }
  const SuiteSpec* suite = find_suite(suite_name);  // checked against the table by the flag
  if (suite == nullptr) throw InputError("ptebench list: unknown suite '" + suite_name + "'");
  for (const CaseSpec& c : expand_suite(*suite, filters))
    std::printf("%-56s %s\n", c.name().c_str(), c.summary.c_str());
  return 0;
}

}  // namespace ptebench::cli
