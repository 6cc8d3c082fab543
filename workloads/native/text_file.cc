#include "workloads/native/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdint>

namespace ptebench::native {

int read_text_file(const std::string& path, std::string* text) {
  text->clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  char buf[8192];
  int err = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      text->append(buf, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      err = errno;
      text->clear();
      break;
    }
  }
  ::close(fd);
  return err;
}

std::string selected_choice(const std::string& text) {
  const std::size_t open = text.find('[');
  const std::size_t close = open == std::string::npos ? open : text.find(']', open);
  if (close != std::string::npos) return text.substr(open + 1, close - open - 1);
  const std::size_t first = text.find_first_not_of(" \t\n");
  if (first == std::string::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\n");
  return text.substr(first, last - first + 1);
}

bool parse_kb_line(std::string_view line, std::string_view key, std::size_t* bytes) {
  if (line.substr(0, key.size()) != key) return false;
  line.remove_prefix(key.size());
  const std::size_t digits = line.find_first_not_of(' ');
  if (digits == std::string_view::npos) return false;
  line.remove_prefix(digits);
  std::size_t kb = 0;
  const auto r = std::from_chars(line.data(), line.data() + line.size(), kb);
  if (r.ec != std::errc() || kb > SIZE_MAX / 1024) return false;
  *bytes = kb * 1024;
  return true;
}

}  // namespace ptebench::native
