#include "workloads/walk.h"

#include <string>
#include <utility>

#include "workloads/bad_parameter.h"
#include "workloads/layout.h"
#include "workloads/pagetable.h"

namespace ptebench {
namespace {

// The shape an image must have for the walkers to load it without touching memory outside
// their tables and memmap; make_layout() always builds such images, hand-made ones may not.
void check_image(const LayoutImage& image) {
  if (image.format != "x86_64" && image.format != "arm64")
    throw BadParameter("layout image has unknown PTE format '" + image.format +
                       "' (known: x86_64, arm64)");
  const std::string where = "layout image of " + std::to_string(image.ptes) + " entries";
  if (image.ptes == 0) throw BadParameter(where + ": a walk needs at least one entry");
  if (image.ptes > kMaxPtes)
    throw BadParameter(where + " exceeds the model's limit of " + std::to_string(kMaxPtes));
  if (image.entries.size() != image.ptes || image.pages.size() != image.ptes)
    throw BadParameter(where + " is inconsistent (" + std::to_string(image.entries.size()) +
                       " entries, " + std::to_string(image.pages.size()) +
                       " pages); build it with make_layout()");
  const bool has_shadow = image.format == "x86_64";
  if (image.shadow.size() != (has_shadow ? image.ptes : 0))
    throw BadParameter(where + " has " + std::to_string(image.shadow.size()) +
                       " shadow words; the " + image.format + " format needs " +
                       (has_shadow ? std::to_string(image.ptes) : std::string("none")));
  if (image.start_addr % kPmdSize != 0)
    throw BadParameter(where + " starts at an address that is not 2 MiB aligned");
  // 4-level tables translate 48 bits; the user half is the lower 2^47 bytes.
  constexpr std::uint64_t kUserTop = std::uint64_t{1} << 47;
  if (image.start_addr >= kUserTop || image.ptes > (kUserTop - image.start_addr) / kPageSize)
    throw BadParameter(where + " does not fit below the top of the user address space");
  for (const std::uint32_t idx : image.lru_order)
    if (idx >= image.ptes)
      throw BadParameter(where + " has LRU index " + std::to_string(idx) + " outside the range");
}

}  // namespace

std::unique_ptr<Walk> make_walk(const WalkSpec& spec, std::shared_ptr<const LayoutImage> image) {
  if (!image) throw BadParameter("make_walk needs a layout image");
  check_image(*image);
  std::unique_ptr<Walk> walk = spec.profile == ProfileKind::kernel
                                   ? make_walk_kernel(spec, std::move(image))
                                   : make_walk_user(spec, std::move(image));
  if (!walk) throw BadParameter("no walker for this layout image's PTE format");
  return walk;
}

}  // namespace ptebench
