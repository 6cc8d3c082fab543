#include "workloads/native/native_case.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <utility>

#include "workloads/check.h"
#include "workloads/native/native_error.h"
#include "workloads/native/proc_probe.h"
#include "workloads/native/text_file.h"

// Linux 5.4; older C libraries lack the names.
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

namespace ptebench::native {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr std::size_t kGiB = std::size_t{1} << 30;

// "67108864 bytes (64 MiB)".
std::string size_text(std::size_t bytes) {
  std::string s = std::to_string(bytes) + " bytes";
  if (bytes != 0 && bytes % kGiB == 0) return s + " (" + std::to_string(bytes / kGiB) + " GiB)";
  if (bytes != 0 && bytes % kMiB == 0) return s + " (" + std::to_string(bytes / kMiB) + " MiB)";
  return s;
}

int advice_flag(LayoutAdvice advice) {
  switch (advice) {
    case LayoutAdvice::hugepage:
      return MADV_HUGEPAGE;
    case LayoutAdvice::nohugepage:
      return MADV_NOHUGEPAGE;
    case LayoutAdvice::none:
      break;
  }
  return 0;
}

// 0 when the kernel accepts `advice` on an anonymous page of our own, else the errno (EINVAL: the
// kernel predates the advice).
int probe_advice(int advice, MmapFn mmap_fn) {
  int err = 0;
  OwnedMapping page = map_anonymous_aligned(kBasePageBytes, kBasePageBytes, 0,
                                            PROT_READ | PROT_WRITE, mmap_fn, &err);
  if (page.empty()) return err;
  return ::madvise(page.data(), kBasePageBytes, advice) == 0 ? 0 : errno;
}

// Opens an unnamed file in dir (O_TMPFILE: it has no name and vanishes with its last fd) for
// file-backed pageout. Returns the fd, or -1 with *reason saying why the directory will not do.
int open_pageout_file(const std::string& dir, std::string* reason) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    *reason = "cannot create an unnamed file in " + dir + ": " + errno_text(errno);
    return -1;
  }
  struct statfs fs {};
  if (::fstatfs(fd, &fs) != 0) {
    *reason = "cannot statfs " + dir + ": " + errno_text(errno);
    ::close(fd);
    return -1;
  }
  if (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC) {
    *reason = dir + " is tmpfs/ramfs, whose pages only swap can reclaim";
    ::close(fd);
    return -1;
  }
  return fd;
}

// Why MADV_PAGEOUT cannot do its work here, or "" when swap is active. /proc/swaps is a header
// line, then one line per active swap area.
std::string no_swap_reason(const std::string& swaps_path) {
  std::string text;
  if (const int err = read_text_file(swaps_path, &text))
    return "no swap (cannot read " + swaps_path + ": " + errno_text(err) + ")";
  int lines = 0;
  for_each_line(text, [&](std::string_view line) { lines += !line.empty(); });
  if (lines > 1) return "";
  return "no active swap (" + swaps_path +
         " lists none): MADV_PAGEOUT of anonymous pages would only walk them and put them back";
}

// MemAvailable from /proc/meminfo, or 0 when it cannot be read (the guard is then off).
std::size_t mem_available_bytes(const std::string& meminfo_path) {
  std::string text;
  if (read_text_file(meminfo_path, &text) != 0) return 0;
  std::size_t bytes = 0;
  for_each_line(text, [&](std::string_view line) { parse_kb_line(line, "MemAvailable:", &bytes); });
  return bytes;
}

// The mTHP fault counter of one size, or the reason it cannot be read.
bool read_counter(const std::string& path, std::uint64_t* value, std::string* reason) {
  std::string text;
  if (const int err = read_text_file(path, &text)) {
    *reason = "cannot read " + path + ": " + errno_text(err);
    return false;
  }
  const auto r = std::from_chars(text.data(), text.data() + text.size(), *value);
  if (r.ec != std::errc()) {
    *reason = "cannot parse " + path;
    return false;
  }
  return true;
}

}  // namespace

NativeCase::NativeCase(NativeOp op, NativeLayout layout, std::size_t size_bytes, NativeEnv env)
    : op_(op), layout_(layout), size_bytes_(size_bytes), env_(std::move(env)) {
  if (size_bytes_ == 0 || size_bytes_ % layout_.folio_bytes != 0)
    throw NativeError(std::string(name()) + "/" + layout_.name() + ": size " +
                      size_text(size_bytes_) + " is not a positive multiple of " +
                      std::to_string(layout_.folio_bytes) + " bytes");
}

NativeCase::~NativeCase() {
  finish();
  if (clear_refs_fd_ >= 0) ::close(clear_refs_fd_);
}

std::string_view NativeCase::name() const {
  return op_info(op_).name;
}

void NativeCase::fail(const std::string& what, int err) const {
  throw NativeError(std::string(name()) + "/" + layout_.name() + " at " + size_text(size_bytes_) +
                    ": " + what + ": " + errno_text(err));
}

NativeStatus NativeCase::check() {
  if (!checked_) checked_ = check_environment();
  return *checked_;
}

NativeStatus NativeCase::check_environment() {
  const std::string who = std::string(name()) + "/" + layout_.name() + ": ";
  if (const long page = ::sysconf(_SC_PAGESIZE); page != static_cast<long>(kBasePageBytes))
    return {who + "base page size is " + std::to_string(page) + " bytes; native workloads assume " +
            std::to_string(kBasePageBytes)};
  plan_ = plan_layout(layout_, env_.thp_sysfs_dir);
  if (!plan_.availability.usable) return {who + "layout unavailable: " + plan_.availability.reason};
  if (const std::size_t available = mem_available_bytes(env_.meminfo_path);
      available != 0 && size_bytes_ > available)
    throw NativeError(who + "size " + size_text(size_bytes_) + " exceeds MemAvailable (" +
                      size_text(available) + "): populating it would swap or wake the OOM killer");
  switch (op_) {
    case NativeOp::clear_refs:
      // Opened once, here, so that the timed region is the write alone.
      clear_refs_fd_ = ::open(env_.clear_refs_path.c_str(), O_WRONLY | O_CLOEXEC);
      if (clear_refs_fd_ < 0)
        return {who + "cannot open " + env_.clear_refs_path + " for writing: " + errno_text(errno)};
      break;
    case NativeOp::pageout:
      if (const std::string reason = no_swap_reason(env_.swaps_path); !reason.empty()) {
        // Without swap, anonymous pages cannot go out; clean file pages can.
        if (layout_.kind != NativeLayout::Kind::base_pages)
          return {who + reason +
                  "; the file-backed fallback covers the 4k layout only (page-cache"
                  " folio sizes are the filesystem's, not this layout's)"};
        std::string why;
        const int fd = open_pageout_file(env_.pageout_dir, &why);
        if (fd < 0) return {who + reason + "; no file-backed fallback: " + why};
        ::close(fd);
        pageout_file_ = true;
      }
      if (const int err = probe_advice(MADV_PAGEOUT, env_.mmap_fn))
        return {who + "the kernel refuses MADV_PAGEOUT (Linux 5.4+): " + errno_text(err)};
      break;
    case NativeOp::cold:
      if (const int err = probe_advice(MADV_COLD, env_.mmap_fn))
        return {who + "the kernel refuses MADV_COLD (Linux 5.4+): " + errno_text(err)};
      break;
    default:
      break;
  }
  return {};
}

NativeStatus NativeCase::prepare() {
  PTEBENCH_CHECK(stage_ == Stage::idle, "prepare() on an idle case (finish() the last iteration)");
  NativeStatus status = check();
  if (!status.ready()) return status;
  try {
    status = populate_and_verify();
  } catch (...) {
    finish();
    throw;
  }
  if (!status.ready()) {
    finish();
    return status;
  }
  stage_ = Stage::prepared;
  return status;
}

NativeStatus NativeCase::populate_and_verify() {
  const std::string who = std::string(name()) + "/" + layout_.name() + ": ";
  int err = 0;
  // 2 MiB-aligned in every layout: a thp layout needs it, and the others then span the same
  // number of PTE tables (size / 2 MiB) wherever the kernel put the mapping.
  if (pageout_file_) return populate_file();
  mapping_ =
      map_anonymous_aligned(size_bytes_, kPmdBytes, 0, PROT_READ | PROT_WRITE, env_.mmap_fn, &err);
  if (mapping_.empty()) fail("cannot map it", err);
  populated_ = mapping_.range();
  target_ = {};
  if (const int advice = advice_flag(plan_.advice);
      advice != 0 && ::madvise(mapping_.data(), size_bytes_, advice) != 0)
    fail(advice == MADV_HUGEPAGE ? "madvise(MADV_HUGEPAGE)" : "madvise(MADV_NOHUGEPAGE)", errno);

  std::string counter_path, reason;
  std::uint64_t faults_before = 0;
  if (layout_.kind == NativeLayout::Kind::mthp) {
    counter_path = env_.thp_sysfs_dir + "/hugepages-" + std::to_string(layout_.folio_bytes / 1024) +
                   "kB/stats/anon_fault_alloc";
    if (!read_counter(counter_path, &faults_before, &reason))
      return {who + "cannot verify mTHP allocation: " + reason};
  }

  // One written byte per 4 KiB page: every PTE present, dirty and young (which is also what
  // native_clear_refs needs to have work to do), each folio faulted in at its first byte.
  volatile char* bytes = mapping_.data();
  for (std::size_t offset = 0; offset < size_bytes_; offset += kBasePageBytes) bytes[offset] = 1;

  if (layout_.kind == NativeLayout::Kind::thp) {
    const SmapsTotals totals = smaps_totals(populated_, env_.smaps_path);
    if (!totals.skip_reason.empty()) return {who + "cannot verify THP: " + totals.skip_reason};
    if (totals.anon_huge_bytes < size_bytes_)
      return {who + "the kernel gave " + size_text(totals.anon_huge_bytes) + " of " +
              size_text(size_bytes_) + " as PMD-mapped huge pages (smaps AnonHugePages)"};
  } else if (layout_.kind == NativeLayout::Kind::mthp) {
    std::uint64_t faults_after = 0;
    if (!read_counter(counter_path, &faults_after, &reason))
      return {who + "cannot verify mTHP allocation: " + reason};
    const std::uint64_t expected = size_bytes_ / layout_.folio_bytes;
    // A system-wide counter: other processes can only add to it, so fewer means ours fell back.
    if (faults_after - faults_before < expected)
      return {who + "only " + std::to_string(faults_after - faults_before) + " of " +
              std::to_string(expected) + " " + std::to_string(layout_.folio_bytes / 1024) +
              " kB folios were allocated (" + counter_path + ")"};
  }

  if (op_ == NativeOp::mremap) {
    // The target starts 4 KiB past a 2 MiB boundary: get_extent() in move_page_tables() then
    // never finds a whole PMD to move, so every PTE goes through move_ptes(). Reserved PROT_NONE
    // so that nothing else lands there; MREMAP_FIXED replaces the reservation.
    reservation_ = map_anonymous_aligned(size_bytes_, kPmdBytes, kBasePageBytes, PROT_NONE,
                                         env_.mmap_fn, &err);
    if (reservation_.empty()) fail("cannot reserve the mremap target", err);
    target_ = reservation_.range();
  }
  return {};
}

// native_pageout without swap: a fresh unnamed file of size_bytes (a hole: no disk write),
// mapped shared and read-only over a 2 MiB-aligned reservation, and read once per 4 KiB page, so
// that every PTE is present and young and maps a clean page-cache page that reclaim may drop.
NativeStatus NativeCase::populate_file() {
  std::string why;
  file_fd_ = open_pageout_file(env_.pageout_dir, &why);
  if (file_fd_ < 0) return {std::string(name()) + "/" + layout_.name() + ": " + why};
  if (::ftruncate(file_fd_, static_cast<off_t>(size_bytes_)) != 0)
    fail("ftruncate of the pageout file failed", errno);
  int err = 0;
  mapping_ = map_anonymous_aligned(size_bytes_, kPmdBytes, 0, PROT_NONE, env_.mmap_fn, &err);
  if (mapping_.empty()) fail("cannot map it", err);
  const MmapFn mmap_fn = env_.mmap_fn != nullptr ? env_.mmap_fn : &::mmap;
  if (mmap_fn(mapping_.data(), size_bytes_, PROT_READ, MAP_SHARED | MAP_FIXED, file_fd_, 0) ==
      MAP_FAILED)
    fail("cannot map the pageout file", errno);
  populated_ = mapping_.range();
  target_ = {};
  const volatile char* bytes = mapping_.data();
  char sink = 0;
  for (std::size_t offset = 0; offset < size_bytes_; offset += kBasePageBytes)
    sink = static_cast<char>(sink + bytes[offset]);
  (void)sink;
  return {};
}

void NativeCase::run() {
  PTEBENCH_CHECK(stage_ == Stage::prepared, "run() after a ready prepare()");
  stage_ = Stage::ran;  // whatever happens below, finish() has something to clean
  char* const start = mapping_.data();
  switch (op_) {
    case NativeOp::fork: {
      // dup_mmap() -> copy_page_range() -> copy_pte_range() (copy_huge_pmd() in thp): the parent's
      // side of fork. The child exits at once; its exit_mmap() runs while we return, and
      // finish() reaps it outside the timed region.
      const ForkFn fork_fn = env_.fork_fn != nullptr ? env_.fork_fn : &::fork;
      const pid_t pid = fork_fn();
      if (pid == 0) ::_exit(0);
      if (pid < 0) fail("fork failed", errno);
      child_ = ReapableChild(pid);
      return;
    }
    case NativeOp::munmap:
      // unmap_vmas() -> zap_pte_range() (zap_huge_pmd() in thp), then free_pgtables().
      if (::munmap(start, size_bytes_) != 0) fail("munmap failed", errno);
      mapping_.forget();
      return;
    case NativeOp::dontneed:
      // zap_page_range_single_batched() -> zap_pte_range(); the page tables stay.
      if (::madvise(start, size_bytes_, MADV_DONTNEED) != 0)
        fail("madvise(MADV_DONTNEED) failed", errno);
      return;
    case NativeOp::cold:
      // madvise_cold_or_pageout_pte_range(): test-and-clear young, deactivate each folio.
      if (::madvise(start, size_bytes_, MADV_COLD) != 0) fail("madvise(MADV_COLD) failed", errno);
      return;
    case NativeOp::pageout:
      // madvise_cold_or_pageout_pte_range() with pageout: isolate each folio, reclaim_pages().
      if (::madvise(start, size_bytes_, MADV_PAGEOUT) != 0)
        fail("madvise(MADV_PAGEOUT) failed", errno);
      return;
    case NativeOp::clear_refs:
      // clear_refs_write() -> walk_page_range() over every VMA of the process ->
      // clear_refs_pte_range(). The kernel ignores the file position.
      if (::write(clear_refs_fd_, "1", 1) != 1) fail("write of 1 to clear_refs failed", errno);
      return;
    case NativeOp::mremap: {
      // move_vma() -> move_page_tables() -> move_ptes() (split_huge_pmd() first in thp).
      void* const moved = ::mremap(start, size_bytes_, size_bytes_, MREMAP_MAYMOVE | MREMAP_FIXED,
                                   reinterpret_cast<void*>(target_.start));
      if (moved == MAP_FAILED) fail("mremap failed", errno);
      mapping_.forget();  // now at target_, owned by reservation_
      return;
    }
  }
}

void NativeCase::finish() noexcept {
  child_.reap();
  mapping_.unmap();
  reservation_.unmap();
  if (file_fd_ >= 0) {
    ::close(file_fd_);  // the unnamed file goes with its last fd and mapping
    file_fd_ = -1;
  }
  stage_ = Stage::idle;
}

}  // namespace ptebench::native
