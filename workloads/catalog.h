// Names of the synthetic workloads' dimensions, as data: what `ptebench list` shows, what the
// CSV's workload / variant / codegen columns hold, and the parsers from those names.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "workloads/walk.h"

namespace ptebench {

struct WalkerInfo {
  WalkerKind kind;
  std::string_view name;
  std::string_view summary;
  std::string_view mirrors;  // the kernel function(s) the walker mirrors
};
struct VariantInfo {
  VariantKind kind;
  std::string_view name;
  std::string_view summary;
};
struct ProfileInfo {
  ProfileKind kind;
  std::string_view name;
  std::string_view summary;
};

const std::vector<WalkerInfo>& walkers();
const std::vector<VariantInfo>& variants();
const std::vector<ProfileInfo>& profiles();
// The PTE formats: "x86_64", "arm64".
const std::vector<std::string_view>& pte_formats();

std::optional<WalkerKind> parse_walker(std::string_view name);
std::optional<VariantKind> parse_variant(std::string_view name);
std::optional<ProfileKind> parse_profile(std::string_view name);
std::string_view name_of(WalkerKind kind);
std::string_view name_of(VariantKind kind);
std::string_view name_of(ProfileKind kind);

}  // namespace ptebench
