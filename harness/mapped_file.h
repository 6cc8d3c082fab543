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

 private:
  const char* data_ = "";
  std::size_t size_ = 0;
  void* map_ = nullptr;  // the mapping, when mapped
  std::string buffer_;   // the bytes, when read
};

}  // namespace ptebench
