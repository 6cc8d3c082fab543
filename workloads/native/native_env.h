// Where a native case looks at the machine, and the two system calls a test may replace. The
// defaults are the real files and the libc calls. Tests point a path at a file that does not exist
// to see the SKIP, or make fork/mmap fail to see that the case leaves no child and no mapping.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "workloads/native/native_layout.h"

namespace ptebench::native {

using ForkFn = pid_t (*)();
using MmapFn = void* (*)(void* addr, std::size_t length, int prot, int flags, int fd, off_t offset);

struct NativeEnv {
  std::string thp_sysfs_dir = kThpSysfsDir;
  std::string clear_refs_path = "/proc/self/clear_refs";
  std::string smaps_path = "/proc/self/smaps";
  std::string swaps_path = "/proc/swaps";
  std::string meminfo_path = "/proc/meminfo";
  // native_pageout without swap: a directory on a disk filesystem for the unnamed file
  // (O_TMPFILE) whose clean page-cache pages MADV_PAGEOUT can drop. tmpfs does not do: its pages
  // are swap-backed.
  std::string pageout_dir = "/var/tmp";
  // nullptr: ::fork. A replacement must never return 0 — the caller would take itself for the
  // child and _exit(0).
  ForkFn fork_fn = nullptr;
  // nullptr: ::mmap. Used for every mapping a case makes (the populated one and mremap's target).
  MmapFn mmap_fn = nullptr;
};

}  // namespace ptebench::native
