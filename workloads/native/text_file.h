// Reading the small text files the native workloads consult: sysfs knobs, /proc/swaps,
// /proc/meminfo, /proc/self/maps and smaps. Plain read(2) until EOF, because proc files report
// size 0 and may come in short reads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ptebench::native {

// Reads the whole file at `path` into *text. Returns 0, or the errno of the failing open/read
// (then *text is left empty).
int read_text_file(const std::string& path, std::string* text);

// The selected word of a sysfs choice file such as "always [madvise] never": the bracketed word,
// or the whole trimmed text when there are no brackets.
std::string selected_choice(const std::string& text);

// Calls fn(std::string_view line) for each line of `text`, without the newline.
template <class Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    fn(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
}

// For a meminfo/smaps line "AnonHugePages:      2048 kB" and key "AnonHugePages:": sets *bytes
// (2097152) and returns true. False when the line is about another key or malformed.
bool parse_kb_line(std::string_view line, std::string_view key, std::size_t* bytes);

}  // namespace ptebench::native
