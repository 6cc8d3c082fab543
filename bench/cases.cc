#include "bench/cases.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "bench/native_cases.h"
#include "harness/input_error.h"
#include "workloads/catalog.h"
#include "workloads/layout.h"

namespace ptebench::cli {

std::string CaseSpec::name() const {
  return workload + "/" + pte_format + "/" + variant + "/" + layout + "/" + std::to_string(ptes) +
         "/" + codegen;
}

std::string CaseSpec::group() const {
  return workload + "/" + pte_format + "/*/" + layout + "/" + std::to_string(ptes) + "/" + codegen;
}

namespace {

#ifndef PTEBENCH_DEFAULT_CODEGEN
#define PTEBENCH_DEFAULT_CODEGEN "kernel"
#endif
constexpr std::string_view kDefaultCodegen = PTEBENCH_DEFAULT_CODEGEN;

bool matches(const std::vector<std::string>& globs, const std::string& name) {
  if (globs.empty()) return true;
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) {
    return fnmatch(g.c_str(), name.c_str(), 0) == 0;
  });
}

bool layout_fits(std::string_view layout, std::string_view format, std::uint64_t ptes) {
  for (const LayoutInfo& info : layouts())
    if (info.name == layout) return (!info.arm64_only || format == "arm64") && ptes % 16 == 0;
  return false;
}

}  // namespace

std::vector<CaseSpec> expand_suite(const SuiteSpec& suite, const std::vector<std::string>& globs) {
  std::vector<CaseSpec> cases;
  for (std::string_view listed : suite.profiles) {
    const std::string_view profile = listed == "default" ? kDefaultCodegen : listed;
    for (std::string_view walker : suite.walkers)
      for (std::string_view format : suite.formats)
        for (std::string_view layout : suite.layouts)
          for (std::uint64_t ptes : suite.ptes) {
            if (!layout_fits(layout, format, ptes)) continue;
            for (std::string_view variant : suite.variants) {
              CaseSpec c;
              c.workload = std::string(walker);
              c.pte_format = std::string(format);
              c.variant = std::string(variant);
              c.layout = std::string(layout);
              c.codegen = std::string(profile);
              c.ptes = ptes;
              c.walk =
                  WalkSpec{*parse_walker(walker), *parse_variant(variant), *parse_profile(profile)};
              c.iterations = std::max<std::uint64_t>(1, suite.entries_per_repetition / ptes);
              for (const WalkerInfo& w : walkers())
                if (w.name == walker)
                  c.summary = std::string(w.summary) + " [" + std::string(w.mirrors) + "]";
              if (matches(globs, c.name())) cases.push_back(std::move(c));
            }
          }
  }
  for (CaseSpec& c : native_cases(suite))
    if (matches(globs, c.name())) cases.push_back(std::move(c));
  if (cases.empty()) {
    std::string all;
    for (const std::string& g : globs) all += (all.empty() ? "" : ", ") + g;
    throw InputError("ptebench: --filter " + all + " matches no case of suite '" +
                     std::string(suite.name) + "' (see ptebench list --suite " +
                     std::string(suite.name) + ")");
  }
  return cases;
}

std::vector<const CaseSpec*> interleaved_order(const std::vector<CaseSpec>& cases, int repetition) {
  std::vector<const CaseSpec*> order;
  order.reserve(cases.size());
  for (std::size_t i = 0; i < cases.size();) {
    std::size_t j = i;
    while (j < cases.size() && cases[j].group() == cases[i].group()) ++j;
    const std::size_t n = j - i;
    for (std::size_t k = 0; k < n; ++k)
      order.push_back(&cases[i + (k + static_cast<std::size_t>(repetition)) % n]);
    i = j;
  }
  return order;
}

}  // namespace ptebench::cli
