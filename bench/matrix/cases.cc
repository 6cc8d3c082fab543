#include "bench/matrix/cases.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "bench/matrix/native_cases.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/results_row.h"
#include "workloads/catalog.h"
#include "workloads/layout.h"

namespace ptebench::cli {

std::string CaseSpec::name() const {
  // The one formatter of case names, the results' (results_row.h).
  return results::case_name(results::CaseKey{codegen, workload, pte_format, variant, layout, ptes});
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

// Whether `layout` is run for `format` at `ptes` (contpte is an arm64 layout; every layout
// works in blocks of 16 entries). A layout name that is not in the catalogue is a bug in the
// suite table, not bad input.
bool layout_fits(const SuiteSpec& suite, std::string_view layout, std::string_view format,
                 std::uint64_t ptes) {
  for (const LayoutInfo& info : layouts())
    if (info.name == layout) return (!info.arm64_only || format == "arm64") && ptes % 16 == 0;
  invariant_violated("suite " + std::string(suite.name) + " lists layout '" + std::string(layout) +
                         "', which workloads/layout.h does not know",
                     "bench/matrix/suites.h");
}

ProfileKind profile_of(SuiteProfile listed) {
  switch (listed) {
    case SuiteProfile::kernel:
      return ProfileKind::kernel;
    case SuiteProfile::user:
      return ProfileKind::user;
    case SuiteProfile::build_default:
      break;
  }
  const std::optional<ProfileKind> built = parse_profile(kDefaultCodegen);
  if (!built) invariant_violated("PTEBENCH_DEFAULT_CODEGEN is not a profile", "CMakeLists.txt");
  return *built;
}

}  // namespace

std::vector<CaseSpec> expand_suite(const SuiteSpec& suite, const std::vector<std::string>& globs) {
  std::vector<CaseSpec> cases;
  for (const SuiteProfile listed : suite.profiles) {
    const ProfileKind profile = profile_of(listed);
    for (const WalkerKind walker : suite.walkers)
      for (std::string_view format : suite.formats)
        for (std::string_view layout : suite.layouts)
          for (std::uint64_t ptes : suite.ptes) {
            if (!layout_fits(suite, layout, format, ptes)) continue;
            for (const VariantKind variant : suite.variants) {
              CaseSpec c;
              c.workload = std::string(name_of(walker));
              c.pte_format = std::string(format);
              c.variant = std::string(name_of(variant));
              c.layout = std::string(layout);
              c.codegen = std::string(name_of(profile));
              c.ptes = ptes;
              c.walk = WalkSpec{walker, variant, profile};
              c.iterations = std::max<std::uint64_t>(1, suite.entries_per_repetition / ptes);
              for (const WalkerInfo& w : walkers())
                if (w.kind == walker)
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
