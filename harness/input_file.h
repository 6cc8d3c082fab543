// A whole input file read front to back through a small window in memory: a regular file is
// read with pread() into one reused buffer (1 MiB, larger only for a longer line), so reading
// touches the same few pages over and over instead of a new page every 4 KiB (a first touch of
// a mapped or allocated page is a page fault, far dearer on a VM than copying the bytes);
// anything else (a pipe, /dev/stdin, a FIFO) is read whole. Bytes already in memory can stand
// in for a file (tests, parse_table).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench {

class InputFile {
 public:
  // Throws InputError "PATH: cannot open: ..." / "PATH: cannot read: ..." (the reader's
  // messages, results_reader.h).
  explicit InputFile(const std::filesystem::path& path);
  // `bytes` must outlive this object.
  explicit InputFile(std::string_view bytes);
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  std::size_t size() const { return size_; }

  // The bytes from `offset` on that are in memory: at least `at_least` of them (fewer only at
  // the end of the file). Valid until the next call; `offset` never goes back (the bytes before
  // it are let go).
  std::string_view from(std::size_t offset, std::size_t at_least);
  // The offset of the first `c` in [begin, end), or `end`; the window does not move.
  std::size_t find(char c, std::size_t begin, std::size_t end);
  // How many `c` there are in [begin, end); the window does not move.
  std::size_t count(char c, std::size_t begin, std::size_t end);

 private:
  // Reads [offset, offset + n) into `out` (pread, retried); InputError on failure.
  void read_at(std::size_t offset, char* out, std::size_t n);
  // Calls `visit(chunk)` on [begin, end) a buffer at a time.
  template <class Visit>
  void scan(std::size_t begin, std::size_t end, Visit&& visit);

  std::string path_;
  int fd_ = -1;
  std::size_t size_ = 0;
  const char* whole_ = nullptr;  // every byte in memory (given, or read from a pipe)
  std::string stream_;           // a pipe's bytes
  std::vector<char> window_;     // bytes [window_begin_, window_end_) of a regular file
  std::size_t window_begin_ = 0;
  std::size_t window_end_ = 0;
  std::vector<char> scratch_;  // find() and count() read through it
};

}  // namespace ptebench
