// The layout specs the workloads tests sweep, shared so every test covers the same ground.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "workloads/layout.h"
#include "workloads/layout_image.h"

namespace ptebench::testing {

// Not a multiple of 512, so the last PTE table is partial; contpte needs whole 16-entry blocks.
inline constexpr std::uint64_t kTestPtes = 3000;
inline constexpr std::uint64_t kTestContPtes = 3008;

// Three seeds of `layout`, each with different fractions, so that special entries, the x86_64
// shadow, low and high fills, and mostly-young / mostly-dirty layouts are all covered.
inline std::vector<LayoutSpec> specs_for(const std::string& layout) {
  LayoutSpec a;
  a.name = layout;
  a.ptes = layout == "contpte" ? kTestContPtes : kTestPtes;
  a.seed = 1;
  LayoutSpec b = a;
  b.seed = 2;
  b.fill = 0.3;
  b.young_fraction = 0.9;
  b.dirty_fraction = 0.6;
  b.writable_fraction = 0.5;
  b.file_fraction = 0.7;
  b.special_fraction = 0.1;
  b.shadow_young_fraction = 0.5;
  b.shadow_dirty_fraction = 0.5;
  LayoutSpec c = a;
  c.seed = 0x5eed5eed;
  c.fill = 0.8;
  c.young_fraction = 0.1;
  c.dirty_fraction = 0.9;
  c.special_fraction = 0.02;
  return {a, b, c};
}

inline std::shared_ptr<const LayoutImage> share(LayoutImage image) {
  return std::make_shared<const LayoutImage>(std::move(image));
}

}  // namespace ptebench::testing
