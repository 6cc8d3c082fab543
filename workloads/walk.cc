#include "workloads/walk.h"

#include <string>
#include <utility>

#include "workloads/bad_parameter.h"

namespace ptebench {

std::unique_ptr<Walk> make_walk(const WalkSpec& spec, std::shared_ptr<const LayoutImage> image) {
  if (!image) throw BadParameter("make_walk needs a layout image");
  if (image->ptes == 0 || image->entries.size() != image->ptes)
    throw BadParameter("layout image of " + std::to_string(image->ptes) +
                       " entries is inconsistent; build it with make_layout()");
  std::unique_ptr<Walk> walk = spec.profile == ProfileKind::kernel
                                   ? make_walk_kernel(spec, std::move(image))
                                   : make_walk_user(spec, std::move(image));
  if (!walk) throw BadParameter("no walker for this layout image's PTE format");
  return walk;
}

}  // namespace ptebench
