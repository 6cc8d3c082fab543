// Compiled twice (workloads/CMakeLists.txt): once with the kernel codegen profile, once with
// the user profile, each time in its own inline namespace and defining its own factory
// (PTEBENCH_PROFILE_FACTORY = make_walk_kernel | make_walk_user).
#include <cstddef>
#include <memory>
#include <tuple>
#include <utility>

#include "workloads/walkers/walk_impl.h"

#ifndef PTEBENCH_PROFILE_FACTORY
#error "PTEBENCH_PROFILE_FACTORY must name the factory this compilation defines"
#endif

namespace ptebench {
namespace {

template <class F, class Policy>
std::unique_ptr<Walk> make_for(const WalkSpec& spec, std::shared_ptr<const LayoutImage> image) {
  return std::make_unique<WalkImpl<F, ResolvedPolicy<Policy, F>>>(spec.walker, std::move(image));
}

// The policy whose index in DerefPolicies is the variant: every listed policy is dispatched.
template <class F, std::size_t I = 0>
std::unique_ptr<Walk> make_for_format(const WalkSpec& spec,
                                      std::shared_ptr<const LayoutImage> image) {
  if constexpr (I == std::tuple_size_v<DerefPolicies>) {
    return nullptr;
  } else {
    if (static_cast<std::size_t>(spec.variant) == I)
      return make_for<F, std::tuple_element_t<I, DerefPolicies>>(spec, std::move(image));
    return make_for_format<F, I + 1>(spec, std::move(image));
  }
}

}  // namespace

std::unique_ptr<Walk> PTEBENCH_PROFILE_FACTORY(const WalkSpec& spec,
                                               std::shared_ptr<const LayoutImage> image) {
  if (image->format == X86_64::kName) return make_for_format<X86_64>(spec, std::move(image));
  if (image->format == Arm64::kName) return make_for_format<Arm64>(spec, std::move(image));
  return nullptr;
}

}  // namespace ptebench
