#include "workloads/native/proc_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

#include "workloads/native/native_error.h"
#include "workloads/native/native_layout.h"
#include "workloads/native/text_file.h"

namespace ptebench::native {
namespace {

constexpr std::uint64_t kPagemapPresent = std::uint64_t{1} << 63;

std::string unreadable(const std::string& path, int err) {
  return "cannot read " + path + ": " + errno_text(err);
}

// Reads `path` into *text; returns "" or the SKIP reason.
std::string read_or_reason(const std::string& path, std::string* text) {
  const int err = read_text_file(path, text);
  return err == 0 ? std::string() : unreadable(path, err);
}

// Parses "start-end" (hex) at the beginning of a maps/smaps VMA line. False for other lines.
bool parse_vma_header(std::string_view line, std::uintptr_t* start, std::uintptr_t* end) {
  const char* p = line.data();
  const char* last = line.data() + line.size();
  auto r = std::from_chars(p, last, *start, 16);
  if (r.ec != std::errc() || r.ptr == last || *r.ptr != '-') return false;
  r = std::from_chars(r.ptr + 1, last, *end, 16);
  return r.ec == std::errc() && r.ptr != last && *r.ptr == ' ';
}

std::size_t overlap(AddressRange range, std::uintptr_t start, std::uintptr_t end) {
  const std::uintptr_t lo = std::max(range.start, start), hi = std::min(range.end(), end);
  return hi > lo ? hi - lo : 0;
}

}  // namespace

PresentScan scan_present(AddressRange range, const std::string& pagemap_path) {
  PresentScan scan;
  scan.pages = range.size_bytes / kBasePageBytes;
  const int fd = ::open(pagemap_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    scan.skip_reason = unreadable(pagemap_path, errno);
    return scan;
  }
  constexpr std::size_t kChunk = 4096;  // entries per pread
  std::vector<std::uint64_t> entries(kChunk);
  std::size_t done = 0;
  while (done < scan.pages) {
    const std::size_t want = std::min(kChunk, scan.pages - done);
    const off_t offset = static_cast<off_t>((range.start / kBasePageBytes + done) * 8);
    const ssize_t n = ::pread(fd, entries.data(), want * 8, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || n % 8 != 0) {
      scan.skip_reason = unreadable(pagemap_path, n < 0 ? errno : EIO);
      scan.present = 0;
      break;
    }
    const std::size_t got = static_cast<std::size_t>(n) / 8;
    for (std::size_t i = 0; i < got; ++i) scan.present += (entries[i] & kPagemapPresent) != 0;
    done += got;
  }
  ::close(fd);
  return scan;
}

MappedScan scan_mapped(AddressRange range, const std::string& maps_path) {
  MappedScan scan;
  std::string text;
  scan.skip_reason = read_or_reason(maps_path, &text);
  for_each_line(text, [&](std::string_view line) {
    std::uintptr_t start = 0, end = 0;
    if (parse_vma_header(line, &start, &end)) scan.mapped_bytes += overlap(range, start, end);
  });
  return scan;
}

SmapsTotals smaps_totals(AddressRange range, const std::string& smaps_path) {
  SmapsTotals totals;
  std::string text;
  totals.skip_reason = read_or_reason(smaps_path, &text);
  bool inside = false;
  for_each_line(text, [&](std::string_view line) {
    std::uintptr_t start = 0, end = 0;
    if (parse_vma_header(line, &start, &end)) {
      inside = overlap(range, start, end) > 0;
      totals.vmas += inside;
      return;
    }
    if (!inside) return;
    std::size_t bytes = 0;
    if (parse_kb_line(line, "Rss:", &bytes)) totals.rss_bytes += bytes;
    if (parse_kb_line(line, "Referenced:", &bytes)) totals.referenced_bytes += bytes;
    if (parse_kb_line(line, "AnonHugePages:", &bytes)) totals.anon_huge_bytes += bytes;
  });
  return totals;
}

}  // namespace ptebench::native
