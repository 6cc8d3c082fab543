// A whole input file as bytes in memory without copying them: a regular file is mapped
// read-only (mmap), anything else (a pipe, /dev/stdin, a FIFO) is read into a buffer.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace ptebench {

class MappedFile {
 public:
  // Throws InputError "PATH: cannot open: ..." / "PATH: cannot read: ..." (the reader's
  // messages, results_reader.h).
  explicit MappedFile(const std::filesystem::path& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view bytes() const { return {data_, size_}; }

  // The reader is at `offset`: maps the next stretch ahead in one call (MADV_POPULATE_READ)
  // and lets go of the pages well behind it (MADV_DONTNEED), so a file read front to back
  // costs few page faults and its resident pages stay bounded (a page let go and read again,
  // e.g. the start of the current run, is simply mapped again from the page cache).
  void reading_at(std::size_t offset);

 private:
  const char* data_ = "";
  std::size_t size_ = 0;
  void* map_ = nullptr;        // the mapping, when mapped
  std::size_t populated_ = 0;  // [0, populated_) was mapped ahead
  std::size_t released_ = 0;   // [0, released_) was let go
  std::string buffer_;         // the bytes, when read
};

}  // namespace ptebench
