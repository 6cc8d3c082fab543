#include "workloads/catalog.h"

#include <cstddef>
#include <tuple>
#include <type_traits>

#include "workloads/deref.h"
#include "workloads/walkers/walker_table.h"

namespace ptebench {

namespace {
template <class... Rows>
std::vector<WalkerInfo> walkers_of(std::tuple<Rows...>*) {
  std::vector<WalkerInfo> out;
  std::size_t index = 0;
  ((out.push_back({static_cast<WalkerKind>(index++), Rows::kName, Rows::kSummary, Rows::kMirrors})),
   ...);
  return out;
}
template <WalkerKind K, class Row>
constexpr bool row_is =
    std::is_same_v<std::tuple_element_t<static_cast<std::size_t>(K), Walkers>, Row>;
static_assert(std::tuple_size_v<Walkers> == 6);
static_assert(row_is<WalkerKind::copy_range, CopyRangeWalker> &&
              row_is<WalkerKind::zap_range, ZapRangeWalker> &&
              row_is<WalkerKind::munmap, MunmapWalker> &&
              row_is<WalkerKind::reclaim_rmap, ReclaimRmapWalker> &&
              row_is<WalkerKind::reclaim_walk, ReclaimWalkWalker> &&
              row_is<WalkerKind::none_scan, NoneScanWalker>);
}  // namespace

// One row per walker of walkers/walker_table.h, in its order.
const std::vector<WalkerInfo>& walkers() {
  static const std::vector<WalkerInfo> kWalkers = walkers_of(static_cast<Walkers*>(nullptr));
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
