// Layouts: which entries of a range are present and in what state, reproducible from a seed.
//   dense    every entry present
//   sparse   one entry in 8 present (index % 8 == 0)
//   random   each entry present with probability `fill`
//   contpte  (arm64 only) every entry present, in naturally aligned 16-entry blocks with the
//            contiguous bit, each block mapping 16 contiguous, aligned page frames of one
//            folio: writable and file-backed are drawn once per block, none is special
//            (what __contpte_try_fold() requires); young and dirty stay per entry. Each block
//            is one 16-page large folio: the head page holds the folio's state (refcount and
//            mapcount 16, flags), the 15 tail pages only point at it, and the LRU order lists
//            the folio once (by its head)
// In every layout a present entry is young, dirty, writable, file-backed (else anonymous) and
// special (no struct page, as a VM_PFNMAP or zero-page entry) with the given probabilities,
// drawn from a splitmix64 stream of `seed` so the same spec gives the same image on every
// host and compiler.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/layout_image.h"

namespace ptebench {

// The model's limit: 8 Mi entries (32 GiB of virtual address space, 512 MiB of struct pages).
inline constexpr std::uint64_t kMaxPtes = std::uint64_t{1} << 23;

struct LayoutSpec {
  std::string name = "dense";
  std::uint64_t ptes = 0;
  std::uint64_t seed = 1;
  double fill = 0.5;  // random only
  double young_fraction = 0.5;
  double dirty_fraction = 0.25;
  double writable_fraction = 0.75;
  double file_fraction = 0.5;
  double special_fraction = 0.0;
  // x86_64 shadow words (deref.h ArchShadow): young and dirty bits held outside the entry.
  double shadow_young_fraction = 0.25;
  double shadow_dirty_fraction = 0.125;
};

struct LayoutInfo {
  std::string_view name;
  std::string_view summary;
  bool arm64_only;
};
// Every layout, in the order `ptebench list` shows them.
const std::vector<LayoutInfo>& layouts();

// Builds the image of `spec` for `format` (x86_64 | arm64). Throws BadParameter (workloads/
// bad_parameter.h) for zero entries, more than kMaxPtes, a layout unknown or unknown to the
// format, or a fraction outside [0, 1].
LayoutImage make_layout(std::string_view format, const LayoutSpec& spec);

}  // namespace ptebench
