// One native case: an op of the running kernel (native_op.h) over an anonymous private mapping of
// size_bytes in one layout (native_layout.h). native_pageout on a machine without active swap
// uses a shared mapping of an unnamed file instead (4k layout), whose clean page-cache pages
// MADV_PAGEOUT drops: the same madvise_cold_or_pageout_pte_range() walk, then reclaim. The
// benchmark drives it per iteration as
//
//   prepare()   untimed: map, apply the layout's madvise, write one byte per 4 KiB page, verify
//               the layout, set up what the op needs (mremap's target, clear_refs' fd);
//   run()       timed: the one system call, nothing else;
//   finish()    untimed: reap fork's child, unmap whatever is left.
//
// A machine that lacks something the case needs (the layout, swap for pageout, a /proc file)
// yields a NativeStatus with the SKIP reason, from check() or prepare(); a failure — a size it
// cannot map, a system call that fails — is a NativeError. Whatever happens, the case leaves the
// process as it found it: its destructor reaps the child, unmaps every range it still owns and
// closes its fd. Calling the steps out of order (run() without a ready prepare(), prepare()
// twice) is a bug and aborts. Not thread-safe; fork() in a multi-threaded process copies only
// the calling thread, which is all the child needs to _exit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "workloads/native/address_range.h"
#include "workloads/native/child_process.h"
#include "workloads/native/native_env.h"
#include "workloads/native/native_layout.h"
#include "workloads/native/native_op.h"
#include "workloads/native/owned_mapping.h"

namespace ptebench::native {

// The answer of a step that needs something from the machine: ready, or SKIP and why.
struct NativeStatus {
  std::string skip_reason;  // empty: ready; else one line naming the case and what is missing
  bool ready() const { return skip_reason.empty(); }
};

class NativeCase {
 public:
  // Validates the size: non-zero and a multiple of the layout's folio size (4 KiB, the mTHP size,
  // 2 MiB for thp), else NativeError. Makes no system call.
  NativeCase(NativeOp op, NativeLayout layout, std::size_t size_bytes, NativeEnv env = {});
  ~NativeCase();
  NativeCase(const NativeCase&) = delete;
  NativeCase& operator=(const NativeCase&) = delete;

  std::string_view name() const;  // the op's name, "native_fork"
  const NativeLayout& layout() const { return layout_; }
  std::size_t size_bytes() const { return size_bytes_; }
  std::uint64_t ptes() const { return size_bytes_ / kBasePageBytes; }

  // What the case needs from the machine, without mapping anything of size_bytes: 4 KiB base
  // pages, the layout (plan_layout), writable clear_refs, active swap for pageout, a kernel that
  // knows MADV_COLD/MADV_PAGEOUT. Throws NativeError when size_bytes exceeds MemAvailable
  // (populating it would swap or wake the OOM killer). The answer is computed once and kept.
  NativeStatus check();

  // Untimed setup of one iteration; the case must be idle (new, or after finish()). Runs check()
  // first. A SKIP found only after populating — the kernel did not give the layout's folios
  // (smaps AnonHugePages for thp, hugepages-<size>kB/stats/anon_fault_alloc for mTHP) — is
  // returned as well, with the mapping already released. Throws NativeError if a mapping cannot
  // be made (nothing is left mapped then).
  NativeStatus prepare();

  // The timed kernel operation; needs a ready prepare(). Throws NativeError if the system call
  // fails; finish() or the destructor still cleans up.
  void run();

  // Untimed teardown: reaps fork's child, unmaps the mapping and mremap's target range if they
  // are still ours. Safe in any state, idempotent.
  void finish() noexcept;

  // For tests: the range prepare() populated (kept after run() moved or removed it), and
  // mremap's target range; {} before prepare() and for other ops.
  AddressRange populated_range() const { return populated_; }
  // native_pageout: whether check() chose the file-backed mapping (no active swap).
  bool file_backed() const { return pageout_file_; }
  AddressRange target_range() const { return target_; }

 private:
  enum class Stage { idle, prepared, ran };

  NativeStatus check_environment();
  NativeStatus populate_and_verify();
  NativeStatus populate_file();
  [[noreturn]] void fail(const std::string& what, int err) const;

  NativeOp op_;
  NativeLayout layout_;
  std::size_t size_bytes_;
  NativeEnv env_;
  LayoutPlan plan_;
  std::optional<NativeStatus> checked_;
  int clear_refs_fd_ = -1;
  bool pageout_file_ = false;  // native_pageout without swap: map an unnamed file
  int file_fd_ = -1;           // that file, from prepare() to finish()
  Stage stage_ = Stage::idle;
  AddressRange populated_, target_;
  OwnedMapping mapping_;      // the populated range while it is ours
  OwnedMapping reservation_;  // mremap: the PROT_NONE target, then the moved mapping
  ReapableChild child_;       // fork: the child until finish() reaps it
};

}  // namespace ptebench::native
