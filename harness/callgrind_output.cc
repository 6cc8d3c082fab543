#include "harness/callgrind_output.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "harness/input_error.h"

namespace ptebench::callgrind {
namespace {

// Splits on blanks (spaces and tabs), dropping empty fields.
std::vector<std::string_view> fields(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

// "key: value" -> value (leading blanks dropped) when `line` starts with `key` and a colon.
std::optional<std::string_view> value_of(std::string_view line, std::string_view key) {
  if (line.size() <= key.size() || line.substr(0, key.size()) != key || line[key.size()] != ':')
    return std::nullopt;
  std::string_view value = line.substr(key.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  return value;
}

}  // namespace

std::optional<std::uint64_t> Dump::total(std::string_view event) const {
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i] == event) return i < totals.size() ? totals[i] : 0;
  return std::nullopt;
}

Dump parse_dump(std::string_view text, std::string_view name) {
  Dump dump;
  std::size_t line_no = 0;
  bool have_totals = false;
  bool have_summary = false;
  std::vector<std::uint64_t> summary;
  const auto fail = [&](const std::string& what) {
    throw InputError(std::string(name) + ":" + std::to_string(line_no) + ": " + what);
  };
  const auto numbers = [&](std::string_view value, const char* key) {
    std::vector<std::uint64_t> out;
    if (dump.events.empty()) fail(std::string(key) + " before the events: line");
    for (const std::string_view f : fields(value)) {
      std::uint64_t n = 0;
      const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), n);
      if (ec != std::errc() || end != f.data() + f.size())
        fail(std::string(key) + " '" + std::string(f) + "' is not a whole number >= 0 below 2^64");
      out.push_back(n);
    }
    if (out.size() > dump.events.size())
      fail(std::string(key) + " has " + std::to_string(out.size()) + " numbers for " +
           std::to_string(dump.events.size()) + " events");
    out.resize(dump.events.size(), 0);
    return out;
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (const auto creator = value_of(line, "creator")) {
      dump.creator = std::string(*creator);
    } else if (const auto desc = value_of(line, "desc")) {
      // Only the simulated caches' geometry is kept ("I1 cache: ...", "D1 cache: ...", ...).
      if (desc->find(" cache: ") != std::string_view::npos) dump.cache_desc.emplace_back(*desc);
    } else if (const auto events = value_of(line, "events")) {
      if (!dump.events.empty()) fail("a second events: line");
      for (const std::string_view f : fields(*events)) dump.events.emplace_back(f);
      if (dump.events.empty()) fail("events: names no event");
    } else if (const auto sum = value_of(line, "summary")) {
      summary = numbers(*sum, "summary:");
      have_summary = true;
    } else if (const auto totals = value_of(line, "totals")) {
      dump.totals = numbers(*totals, "totals:");
      have_totals = true;
    }
  }
  if (dump.events.empty()) {
    throw InputError(std::string(name) + ": no events: line (not a callgrind dump?)");
  }
  if (!have_totals) {
    if (!have_summary) {
      throw InputError(std::string(name) + ": no totals: or summary: line (a truncated dump?)");
    }
    dump.totals = summary;
  }
  return dump;
}

Dump read_dump(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot read the callgrind dump");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_dump(text.str(), path.string());
}

}  // namespace ptebench::callgrind
