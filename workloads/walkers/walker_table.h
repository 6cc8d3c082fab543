// The one walker table: a walker is its file plus one row here. WalkerKind (workloads/walk.h)
// is a row's index, the catalogue (catalog.cc walkers()) lists the rows in this order with
// their names, summaries and the kernel functions they mirror, and WalkImpl::run() dispatches
// through it.
#pragma once

#include <tuple>

#include "workloads/walkers/copy_range.h"
#include "workloads/walkers/munmap.h"
#include "workloads/walkers/none_scan.h"
#include "workloads/walkers/reclaim_rmap.h"
#include "workloads/walkers/reclaim_walk.h"
#include "workloads/walkers/zap_range.h"

namespace ptebench {
inline namespace PTEBENCH_CODEGEN_NS {

using Walkers = std::tuple<CopyRangeWalker, ZapRangeWalker, MunmapWalker, ReclaimRmapWalker,
                           ReclaimWalkWalker, NoneScanWalker>;

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
