#include "workloads/catalog.h"

#include <cstddef>
#include <tuple>
#include <type_traits>

#include "workloads/deref.h"

namespace ptebench {

const std::vector<WalkerInfo>& walkers() {
  static const std::vector<WalkerInfo> kWalkers = {
      {WalkerKind::copy_range, "copy_range", "fork: copy every entry to a child, COW-protect",
       "copy_pte_range/copy_present_ptes (mm/memory.c)"},
      {WalkerKind::zap_range, "zap_range", "MADV_DONTNEED: clear every entry, batch page frees",
       "zap_pte_range/zap_present_ptes (mm/memory.c)"},
      {WalkerKind::munmap, "munmap", "munmap: zap_range, then free the page tables",
       "zap_pte_range + free_pgtables (mm/memory.c)"},
      {WalkerKind::reclaim_rmap, "reclaim_rmap",
       "reclaim: per page in LRU order, walk from the root, test-and-clear young",
       "folio_referenced_one (mm/rmap.c)"},
      {WalkerKind::reclaim_walk, "reclaim_walk",
       "MGLRU aging: linear scan, test-and-clear young, update the generation",
       "walk_pte_range (mm/vmscan.c)"},
      {WalkerKind::none_scan, "none_scan", "read-only scan counting empty entries",
       "pte_range_none (mm/memory.c), hpage_collapse_scan_pmd (mm/khugepaged.c)"},
  };
  return kWalkers;
}

namespace {
template <class... Policies>
std::vector<VariantInfo> variants_of(std::tuple<Policies...>*) {
  std::vector<VariantInfo> out;
  std::size_t index = 0;
  ((out.push_back({static_cast<VariantKind>(index++), Policies::kName, Policies::kSummary})), ...);
  return out;
}
static_assert(
    std::is_same_v<
        std::tuple_element_t<static_cast<std::size_t>(VariantKind::plain), DerefPolicies>, Plain>);
static_assert(std::is_same_v<
              std::tuple_element_t<static_cast<std::size_t>(VariantKind::read_once), DerefPolicies>,
              ReadOnce>);
static_assert(
    std::is_same_v<std::tuple_element_t<static_cast<std::size_t>(VariantKind::arch), DerefPolicies>,
                   Arch>);
}  // namespace

// One row per policy of DerefPolicies, in its order.
const std::vector<VariantInfo>& variants() {
  static const std::vector<VariantInfo> kVariants =
      variants_of(static_cast<DerefPolicies*>(nullptr));
  return kVariants;
}

const std::vector<ProfileInfo>& profiles() {
  static const std::vector<ProfileInfo> kProfiles = {
      {ProfileKind::kernel, "kernel",
       "kbuild's flags as far as user space allows (-O2, no SIMD, inline atomics; "
       "cmake/Codegen.cmake)"},
      {ProfileKind::user, "user", "-O3 -march=native"},
  };
  return kProfiles;
}

const std::vector<std::string_view>& pte_formats() {
  static const std::vector<std::string_view> kFormats = {"x86_64", "arm64"};
  return kFormats;
}

namespace {
template <class Info, class Kind>
std::optional<Kind> parse(const std::vector<Info>& table, std::string_view name) {
  for (const Info& info : table)
    if (info.name == name) return info.kind;
  return std::nullopt;
}
template <class Info, class Kind>
std::string_view name_in(const std::vector<Info>& table, Kind kind) {
  for (const Info& info : table)
    if (info.kind == kind) return info.name;
  return "?";
}
}  // namespace

std::optional<WalkerKind> parse_walker(std::string_view name) {
  return parse<WalkerInfo, WalkerKind>(walkers(), name);
}
std::optional<VariantKind> parse_variant(std::string_view name) {
  return parse<VariantInfo, VariantKind>(variants(), name);
}
std::optional<ProfileKind> parse_profile(std::string_view name) {
  return parse<ProfileInfo, ProfileKind>(profiles(), name);
}
std::string_view name_of(WalkerKind kind) {
  return name_in(walkers(), kind);
}
std::string_view name_of(VariantKind kind) {
  return name_in(variants(), kind);
}
std::string_view name_of(ProfileKind kind) {
  return name_in(profiles(), kind);
}

}  // namespace ptebench
