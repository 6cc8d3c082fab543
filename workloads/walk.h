// The workloads API: a synthetic case is a walker x variant x codegen profile over a layout
// image. make_walk() hides the templates (and the two compilations of them) behind Walk, which
// the benchmarks time and the tests inspect. No floating point here: this header is compiled
// into the kernel codegen profile.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "workloads/layout_image.h"
#include "workloads/page.h"

namespace ptebench {

// A walker is the index of its row in workloads/walkers/walker_table.h (checked in catalog.cc).
enum class WalkerKind { copy_range, zap_range, munmap, reclaim_rmap, reclaim_walk, none_scan };
// A variant is the index of its policy in DerefPolicies (workloads/deref.h); the names below
// are the first three, checked against the list in catalog.cc.
enum class VariantKind { plain, read_once, arch };
enum class ProfileKind { kernel, user };

struct WalkSpec {
  WalkerKind walker = WalkerKind::copy_range;
  VariantKind variant = VariantKind::plain;
  ProfileKind profile = ProfileKind::kernel;
};

// Everything a walker can change, copied out for comparison.
struct Snapshot {
  std::vector<std::uint64_t> entries;        // the mm's entries over the range (0: none/no table)
  std::vector<std::uint64_t> shadow;         // x86_64 shadow words over the range, else empty
  std::vector<std::uint64_t> child_entries;  // copy_range: the child's entries, else empty
  std::vector<PageState> pages;
  std::int64_t rss_file = 0, rss_anon = 0;
  std::int64_t child_rss_file = 0, child_rss_anon = 0;
  std::uint64_t pte_tables = 0;    // PTE tables the mm holds
  std::uint64_t upper_tables = 0;  // PGD + PUD + PMD tables the mm holds
  std::uint64_t freed_pte_tables = 0, freed_pmd_tables = 0, freed_pud_tables = 0;
  std::uint64_t result = 0;  // the walker's count: copied, cleared, referenced, young, none
  bool operator==(const Snapshot&) const = default;
};

class Walk {
 public:
  virtual ~Walk() = default;
  // Restores the layout's initial state (tables, entries, pages, rss). Never timed.
  virtual void reset() = 0;
  // The walk itself: the only thing a benchmark times.
  virtual void run() = 0;
  virtual Snapshot snapshot() const = 0;
  virtual std::uint64_t ptes() const = 0;
};

// Builds a case; the walk starts reset. Throws BadParameter for a variant or walker the image's
// format cannot run.
std::unique_ptr<Walk> make_walk(const WalkSpec& spec, std::shared_ptr<const LayoutImage> image);

// The per-profile factories behind make_walk(), one per compilation of walkers/instantiate.cc.
std::unique_ptr<Walk> make_walk_kernel(const WalkSpec& spec,
                                       std::shared_ptr<const LayoutImage> image);
std::unique_ptr<Walk> make_walk_user(const WalkSpec& spec,
                                     std::shared_ptr<const LayoutImage> image);

}  // namespace ptebench
