#include "bench/runner/results_sink.h"

#include "bench/build_info.h"

namespace ptebench::cli {

RunIdentity make_run_identity(const RunConfig& cfg, const std::string& counter_scope,
                              int pinned_cpu, std::int64_t case_budget_ms) {
  context::RunInputs inputs;
#if defined(__clang__)
  inputs.compiler = std::string("Clang ") + __clang_version__;
#elif defined(__GNUC__)
  inputs.compiler = std::string("GNU ") + __VERSION__;
#else
  inputs.compiler = "unknown";
#endif
  inputs.compiler_flags =
      std::string("kernel: ") + PTEBENCH_KERNEL_FLAGS + "; user: " + PTEBENCH_USER_FLAGS;
  inputs.counter_scope = counter_scope;
  inputs.seed = static_cast<std::uint64_t>(cfg.seed);
  inputs.git_rev = build_info::kGitRev;  // recorded when this binary was built
  inputs.suite = cfg.suite;
  inputs.host = cfg.host;
  inputs.extra.emplace_back("pinned_cpu", pinned_cpu < 0 ? "none" : std::to_string(pinned_cpu));
  std::string injected;
  for (const std::string& s : cfg.slowdowns) injected += (injected.empty() ? "" : " ") + s;
  inputs.extra.emplace_back("inject_slowdown", injected.empty() ? "none" : injected);
  inputs.extra.emplace_back("case_budget_ms",
                            case_budget_ms > 0 ? std::to_string(case_budget_ms) : "none");
  const context::RunContext ctx = context::collect_run_context(std::move(inputs));
  RunIdentity id;
  context::fill_run_columns(ctx, id.row);
  id.context = context::context_entries(ctx);
  return id;
}

ResultsSink::ResultsSink(const std::string& path) : writer_(path) {}

std::string ResultsSink::context_path() const {
  return context::context_path(writer_.path()).string();
}

void ResultsSink::commit(const std::vector<results::Row>& new_rows, const RunIdentity& identity) {
  for (const results::Row& r : new_rows) writer_.add(r);
  context::Entries entries = identity.context;
  for (const auto& [name, reason] : identity.skipped)
    entries.emplace_back("skip:" + name, context::one_line(reason));
  for (const auto& [name, walks] : identity.walks)
    entries.emplace_back("walks:" + name, std::to_string(walks));
  context::write_context(context::context_path(writer_.path()), entries);
  writer_.commit();
}

}  // namespace ptebench::cli
