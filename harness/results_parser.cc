#include "harness/results_parser.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#include "harness/input_error.h"

namespace ptebench::results {
namespace {

constexpr std::size_t kColumnCount = kColumns.size();
// fccp's LineReader::block_len: it read two blocks first, then one per block consumed, and
// refused a line (with its '\n') longer than one block.
constexpr std::size_t kBlockBytes = std::size_t{1} << 24;
// Columns schema .. suite: the same on every row of a run (results_row.h).
constexpr std::size_t kRunColumns = 11;
// Columns workload .. ptes: with codegen (a run column), a row's case.
constexpr std::size_t kFirstCaseColumn = 11;
constexpr std::size_t kLastCaseColumn = 15;

std::optional<RowProblem> schema_problem(std::string_view schema) {
  if (schema == kSchema) return std::nullopt;
  return RowProblem{0, "schema " + quoted(schema) + " is not " + std::string(kSchema) +
                           " (unknown schema version)"};
}

// "time" or "count" for the units of schema ptebench-results/1 whose values cannot be negative
// (results_row.h, Row::unit); empty for any other unit.
std::string_view nonnegative_kind(std::string_view unit) {
  if (unit == "ns") return "time";
  for (const std::string_view count : {"cycles", "instructions", "events", "count"})
    if (unit == count) return "count";
  return {};
}

// A plain loop: find_first_of calls memchr once per character.
bool has_line_break(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; });
}

// fccp's double_quote_escape<',', '"'>::find_next_column_end on a line without its
// terminator: a quote opens a quoted stretch wherever it appears, "" inside one continues it.
// Returns npos for a quote not closed on the line; `quote` tells whether the field has one.
std::size_t column_end(std::string_view line, std::size_t p, bool& quote) {
  const std::size_t end = line.size();
  while (p != end && line[p] != ',') {
    if (line[p] != '"') {
      ++p;
      continue;
    }
    quote = true;
    do {
      ++p;
      for (;;) {
        if (p == end) return std::string_view::npos;
        if (line[p] == '"') break;
        ++p;
      }
      ++p;
    } while (p != end && line[p] == '"');
  }
  return p;
}

// The first ',' in [p, end), or end: eight bytes at a time where the machine is little-endian.
const char* find_comma(const char* p, const char* end) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    while (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      const std::uint64_t x = word ^ (kOnes * ',');
      // The lowest byte of x that is zero sets the lowest bit here (later ones may be false).
      const std::uint64_t zero = (x - kOnes) & ~x & kHighs;
      if (zero != 0) return p + std::countr_zero(zero) / 8;
      p += 8;
    }
  }
  while (p != end && *p != ',') ++p;
  return p;
}

}  // namespace

std::string column_name(std::size_t index) {
  return std::string(kColumns[index]);
}

std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::optional<RowProblem> check_fields(const std::array<std::string_view, kColumnCount>& text,
                                       double value, double coverage,
                                       std::size_t first_text_column) {
  if (auto problem = schema_problem(text[0])) return problem;
  // Every column but the numeric ones (ptes, repetition, value, coverage).
  for (std::size_t i = first_text_column; i < kColumnCount; ++i) {
    if (i == 15 || i == 16 || i == 18 || i == 20) continue;
    if (has_line_break(text[i])) return RowProblem{i, column_name(i) + " contains a line break"};
  }
  // The fields that identify a row (same_row_key) must say something.
  for (const std::size_t i : {1, 8, 11, 12, 13, 14, 17}) {
    if (text[i].empty()) return RowProblem{i, column_name(i) + " is empty"};
  }
  const auto shown = [](double v) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return quoted(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
  };
  if (!std::isfinite(value)) return RowProblem{18, "value " + shown(value) + " is not finite"};
  if (!std::isfinite(coverage)) {
    return RowProblem{20, "coverage " + shown(coverage) + " is not finite"};
  }
  if (coverage < 0 || coverage > 1) {
    return RowProblem{20, "coverage " + shown(coverage) + " is outside [0, 1]"};
  }
  // A time or a count cannot be below zero: a negative value is a corrupt or hand-made file.
  if (value < 0) {
    if (const std::string_view kind = nonnegative_kind(text[19]); !kind.empty()) {
      return RowProblem{18, "value " + shown(value) + " of " + std::string(text[17]) +
                                " is negative; a " + std::string(kind) + " cannot be"};
    }
  }
  return std::nullopt;
}

RowParser::RowParser(InputFile& file, std::string name) : file_(&file), name_(std::move(name)) {
  start();
}

RowParser::RowParser(std::string_view bytes, std::string name)
    : owned_(std::make_unique<InputFile>(bytes)), file_(owned_.get()), name_(std::move(name)) {
  start();
}

void RowParser::start() {
  // fccp's first read: two blocks, NUL-checked at once; it kept reading only after a full one.
  read_end_ = 0;
  advance_read(2 * kBlockBytes);
  refill_ = read_end_ == 2 * kBlockBytes;
  if (file_->from(0, 3).substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 BOM
}

// fccp's next read of one block, with the NUL check of CheckedSource::read.
void RowParser::advance_read(std::size_t bytes) {
  const std::size_t from = read_end_;
  const std::size_t to = std::min(file_->size(), from + bytes);
  if (const std::size_t at = file_->find('\0', from, to); at != to) {
    fail_line(file_->count('\n', 0, at) + 1, "NUL byte; this is not a text CSV file");
  }
  read_end_ = to;
}

// fccp's LineReader::next_line, in offsets of the whole file. A line is looked for in the
// window (harness/input_file.h), which grows only for a long one: no line can be longer than
// a block, so the search stops a block past its start.
bool RowParser::next_line(std::string_view& line) {
  if (done_ || pos_ == read_end_) return false;
  ++line_;
  if (pos_ - base_ >= kBlockBytes) {
    base_ += kBlockBytes;
    if (refill_) advance_read(kBlockBytes);
  }
  constexpr std::size_t kLookahead = std::size_t{1} << 16;
  const std::size_t limit = std::min(read_end_, pos_ + kBlockBytes);
  std::string_view window;
  const void* newline = nullptr;
  std::size_t searched = 0;
  for (std::size_t want = std::min(limit - pos_, kLookahead);;) {
    window = file_->from(pos_, want);
    const std::size_t end = std::min(window.size(), limit - pos_);
    newline = std::memchr(window.data() + searched, '\n', end - searched);
    if (newline != nullptr || end == limit - pos_) break;
    searched = end;
    want = std::min(limit - pos_, 2 * end);
  }
  // Without a '\n' the line runs to `limit`: the end of what fccp had read, or past the
  // longest line it took (then refused as it refused it).
  const std::size_t line_end =
      newline != nullptr
          ? pos_ + static_cast<std::size_t>(static_cast<const char*>(newline) - window.data())
          : limit;
  if (line_end - pos_ + 1 > kBlockBytes) {
    fail_line(line_, "line is longer than the reader's limit of 16 MiB");
  }
  std::size_t content_end = line_end;
  if (newline == nullptr) done_ = true;  // some files lack the last '\n'
  if (content_end != pos_ && window[content_end - 1 - pos_] == '\r') --content_end;  // "\r\n"
  line = window.substr(0, content_end - pos_);
  pos_ = line_end + 1;
  return true;
}

void RowParser::fail(std::size_t column, const std::string& what) const {
  throw InputError(name_ + ":" + std::to_string(line_) + ":" + std::to_string(column) + ": " +
                   what);
}

void RowParser::fail_line(std::size_t line, const std::string& what) const {
  throw InputError(name_ + ":" + std::to_string(line) + ": " + what);
}

// Cuts `line` into fields_[first ..], at most max_fields of them; returns first + how many it
// found (max_fields means "at least that many"). fccp's chop_next_column, then the RFC 4180
// check of the raw field, then double_quote_escape::unescape.
std::size_t RowParser::split(std::string_view line, std::size_t first, std::size_t max_fields) {
  std::size_t n = first;
  if (std::memchr(line.data(), '"', line.size()) == nullptr) {
    // No quote on the line (the usual case): every field ends at the next comma.
    const char* p = line.data();
    const char* const end = p + line.size();
    while (n < max_fields) {
      const char* comma = find_comma(p, end);
      if (n == kFirstCaseColumn) case_begin_ = p;
      if (n == kLastCaseColumn) case_end_ = comma;
      fields_[n++] = std::string_view(p, static_cast<std::size_t>(comma - p));
      if (comma == end) break;
      p = comma + 1;
    }
    return n;
  }
  std::size_t p = 0;
  bool more = true;
  while (more && n < max_fields) {
    bool quote = false;
    const std::size_t end = column_end(line, p, quote);
    if (end == std::string_view::npos) {
      fail(n + 1, "quoted field is not closed on this line (fields cannot contain line breaks)");
    }
    std::string_view raw = line.substr(p, end - p);
    if (n == kFirstCaseColumn) case_begin_ = raw.data();
    if (n == kLastCaseColumn) case_end_ = raw.data() + raw.size();
    more = end != line.size();
    p = end + 1;
    if (quote) {
      // RFC 4180: a field that holds a quote is enclosed in quotes and doubles each inner one.
      bool ok = raw.size() >= 2 && raw.front() == '"' && raw.back() == '"';
      for (std::size_t i = 1; ok && i + 1 < raw.size(); ++i) {
        if (raw[i] != '"') continue;
        ok = i + 2 < raw.size() && raw[i + 1] == '"';
        ++i;
      }
      if (!ok) {
        fail(n + 1, "malformed quoting in " + quoted(raw) +
                        " (a field with '\"' must be enclosed in quotes, each inner '\"' "
                        "doubled)");
      }
      raw = raw.substr(1, raw.size() - 2);
      if (raw.find('"') != std::string_view::npos) {
        std::string& out = scratch_[n];
        out.clear();
        for (std::size_t i = 0; i < raw.size(); ++i) {
          out += raw[i];
          if (raw[i] == '"') ++i;  // the second of a doubled quote
        }
        raw = out;
      }
    }
    fields_[n++] = raw;
  }
  return n;
}

void RowParser::read_header() {
  std::string_view line;
  if (!next_line(line)) {
    fail_line(1, "empty file; expected the " + std::string(kSchema) + " header");
  }
  const std::size_t n = split(line, 0, kColumnCount + 1);
  if (n > 0 && fields_[0] == kSchema) {
    fail(1, "no header: the first line is a row; expected the " + std::string(kSchema) +
                " header \"schema,run_id,...\"");
  }
  for (std::size_t i = 0; i < std::min(n, kColumnCount); ++i) {
    if (fields_[i] != kColumns[i]) {
      fail(i + 1, "header column " + std::to_string(i + 1) + " is " + quoted(fields_[i]) +
                      "; expected \"" + column_name(i) + "\" (" + std::string(kSchema) + ")");
    }
  }
  if (n < kColumnCount) {
    fail(n + 1, "header ends after " + std::to_string(n) + " columns; expected " +
                    std::to_string(kColumnCount) + ", next \"" + column_name(n) + "\"");
  }
  if (n > kColumnCount) {
    fail(n, "header has more than " + std::to_string(kColumnCount) +
                " columns: " + quoted(fields_[kColumnCount]) + " after \"coverage\"");
  }
}

bool RowParser::next(RowFields& out) {
  std::string_view line;
  if (!next_line(line)) return false;
  if (line.empty()) fail_line(line_, "empty line; expected a row");
  // A row of the same run as the previous one starts with the same bytes up to the comma after
  // column 10 (suite): those columns were split and checked on that row, and identical bytes
  // split identically, so only the rest of the line is cut.
  std::size_t n;
  out.same_run_columns = !run_prefix_.empty() && line.size() > run_prefix_.size() &&
                         std::memcmp(line.data(), run_prefix_.data(), run_prefix_.size()) == 0;
  if (out.same_run_columns) {
    n = split(line.substr(run_prefix_.size()), kRunColumns, kColumnCount + 1);
  } else {
    n = split(line, 0, kColumnCount + 1);
  }
  if (n < kColumnCount) {
    fail(n + 1, "row ends after " + std::to_string(n) + " of " + std::to_string(kColumnCount) +
                    " fields; \"" + column_name(n) + "\" is missing");
  }
  if (n > kColumnCount) fail(n, "row has more than " + std::to_string(kColumnCount) + " fields");
  // The schema first: a row of another version may well fail the checks below.
  if (!out.same_run_columns) {
    if (auto problem = schema_problem(fields_[0])) fail(1, problem->what);
  }
  const auto parse_unsigned = [this](std::string_view f, std::size_t index, auto zero) {
    using T = decltype(zero);
    if (f.empty()) {
      fail(index + 1, column_name(index) + " is empty; expected a non-negative integer");
    }
    if (f[0] == '-') fail(index + 1, column_name(index) + " " + quoted(f) + " is negative");
    T value{};
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), value);
    if (ec == std::errc::result_out_of_range) {
      fail(index + 1, column_name(index) + " " + quoted(f) + " is out of range");
    }
    if (ec != std::errc{} || end != f.data() + f.size()) {
      fail(index + 1, column_name(index) + " " + quoted(f) + " is not an integer");
    }
    return value;
  };
  const auto parse_double = [this](std::string_view f, std::size_t index) {
    if (f.empty()) fail(index + 1, column_name(index) + " is empty; expected a number");
    double value = 0;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), value);
    if (ec == std::errc::result_out_of_range) {
      fail(index + 1, column_name(index) + " " + quoted(f) + " is out of the range of a double");
    }
    if (ec != std::errc{} || end != f.data() + f.size()) {
      fail(index + 1, column_name(index) + " " + quoted(f) + " is not a number");
    }
    return value;
  };
  out.ptes = parse_unsigned(fields_[15], 15, std::uint64_t{});
  out.repetition = parse_unsigned(fields_[16], 16, std::uint32_t{});
  out.value = parse_double(fields_[18], 18);
  out.coverage = parse_double(fields_[20], 20);
  std::copy(fields_.begin(), fields_.begin() + kColumnCount, out.text.begin());
  out.case_bytes = std::string_view(case_begin_, static_cast<std::size_t>(case_end_ - case_begin_));
  // The line-break check of check_fields, per column, only where the line has a '\r' at all:
  // a '\n' ends the line, so a field can hold no other line break than '\r' (and unescaping
  // adds none). A row of the same run rechecks only the columns after the run's.
  std::size_t first_text_column = out.same_run_columns ? kRunColumns : 0;
  const std::string_view checked = line.substr(out.same_run_columns ? run_prefix_.size() : 0);
  if (std::memchr(checked.data(), '\r', checked.size()) == nullptr)
    first_text_column = kColumnCount;
  if (auto problem = check_fields(out.text, out.value, out.coverage, first_text_column)) {
    fail(problem->column + 1, problem->what);
  }
  if (!out.same_run_columns) {
    // Columns 0-10 and the comma after them, as they are in the file.
    std::size_t p = 0;
    bool quote = false;
    for (std::size_t i = 0; i < kRunColumns; ++i) p = column_end(line, p, quote) + 1;
    run_prefix_.assign(line.substr(0, p));
    // The rows after this one of its run keep these columns, but not the window they are in.
    for (std::size_t i = 0; i < kRunColumns; ++i) {
      run_text_[i].assign(fields_[i]);
      fields_[i] = out.text[i] = run_text_[i];
    }
  }
  return true;
}

}  // namespace ptebench::results
