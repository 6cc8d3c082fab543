// ptebench counters: what this machine can count, event by event, and why not where it cannot.
#include <cstdio>

#include "bench/cli/commands.h"
#include "bench/cli/flags.h"
#include "harness/counters.h"
#include "harness/input_error.h"

namespace ptebench::cli {

int cmd_counters(int argc, char** argv) {
  bool kernel = false;
  FlagParser flags("counters");
  flags.add_bool("kernel", &kernel, "probe with kernel mode included (default: user only)");
  const auto positional = flags.parse(argc, argv, 2);
  if (flags.help_requested()) {
    std::printf("usage: ptebench counters [flags]\n%s", flags.usage().c_str());
    return 0;
  }
  if (!positional.empty())
    throw InputError("ptebench counters: unexpected argument '" + positional[0] + "'");
  const CounterScope scope = kernel ? CounterScope::user_and_kernel : CounterScope::user_only;
  std::printf("scope: %s\n%-34s %-24s %-6s %s\n", std::string(counter_scope_name(scope)).c_str(),
              "event", "metric", "status", "reason");
  for (const CounterAvailability& c : probe_counters(scope)) {
    std::string event = c.event;
    if (c.counted_as != c.event) event += " (as " + c.counted_as + ")";
    std::printf("%-34s %-24s %-6s %s\n", event.c_str(), c.metric.c_str(), c.ok ? "ok" : "no",
                c.ok ? "" : c.reason.c_str());
  }
  return 0;
}

}  // namespace ptebench::cli
