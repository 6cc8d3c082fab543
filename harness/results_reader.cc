#include "harness/results_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <span>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "harness/csv_parser.h"
#include "harness/input_error.h"

namespace ptebench::results {
namespace {

constexpr std::size_t kColumnCount = kColumns.size();

// fast-cpp-csv-parser configured as DESIGN.md says: no trimming (a value is exactly its bytes),
// RFC 4180 double-quote escaping. Its traps, and how this file avoids them:
//  - typed read_row() parses an empty numeric field as 0 and has a lossy float parser that
//    refuses inf/nan: every field is taken as char* and converted here with std::from_chars;
//  - read_row() reports a short or long row without saying where it ends, and read_header()
//    accepts the columns in any order: lines are taken with next_line() and cut with the
//    library's own column splitter (detail::chop_next_column, the code read_row() runs) so that
//    every error names its column and the header is checked position by position;
//  - a quoted field cannot span lines: the unclosed quote is reported as such;
//  - lines are NUL-terminated C strings, so a NUL byte would silently cut a line short: the
//    byte source below rejects NUL bytes;
//  - it throws its own exception types with multi-part messages: they are caught and rethrown
//    as one-line InputErrors. CSV_IO_NO_THREAD (cmake/FindFccp.cmake) stops its reader thread.
using Trim = io::trim_chars<>;
using Quote = io::double_quote_escape<',', '"'>;
using Csv = io::CSVReader<kColumnCount, Trim, Quote>;

// Quoted for an error message: at most 40 characters, '"' and '\' escaped with '\', control
// bytes as \xNN, so the message stays one unambiguous line.
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

// "time" or "count" for the units of schema ptebench-results/1 whose values cannot be negative
// (results_row.h, Row::unit); empty for any other unit.
std::string_view nonnegative_kind(std::string_view unit) {
  if (unit == "ns") return "time";
  for (const std::string_view count : {"cycles", "instructions", "events", "count"})
    if (unit == count) return "count";
  return {};
}

std::string column_name(std::size_t index) {
  return std::string(kColumns[index]);
}

std::optional<RowProblem> schema_problem(std::string_view schema) {
  if (schema == kSchema) return std::nullopt;
  return RowProblem{0, "schema " + quoted(schema) + " is not " + std::string(kSchema) +
                           " (unknown schema version)"};
}

// Feeds fccp's LineReader and refuses NUL bytes (see above). Subclasses supply the bytes.
class CheckedSource : public io::ByteSourceBase {
 public:
  explicit CheckedSource(std::string name) : name_(std::move(name)) {}

  int read(char* buffer, int size) final {
    const int n = fill(buffer, size);
    const auto* nul = static_cast<const char*>(std::memchr(buffer, '\0', static_cast<size_t>(n)));
    if (nul != nullptr) {
      const auto line =
          newlines_ +
          static_cast<std::size_t>(std::count(static_cast<const char*>(buffer), nul, '\n')) + 1;
      throw InputError(name_ + ":" + std::to_string(line) +
                       ": NUL byte; this is not a text CSV file");
    }
    newlines_ += static_cast<std::size_t>(std::count(buffer, buffer + n, '\n'));
    return n;
  }

 protected:
  virtual int fill(char* buffer, int size) = 0;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::size_t newlines_ = 0;  // in the bytes handed out before this read
};

class FileSource final : public CheckedSource {
 public:
  explicit FileSource(const std::filesystem::path& path)
      : CheckedSource(path.string()), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw InputError(path.string() + ": cannot open: " + std::strerror(errno));
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  ~FileSource() override { ::close(fd_); }

 protected:
  // Fills as much of `buffer` as the file allows: LineReader takes a short read for the end.
  int fill(char* buffer, int size) override {
    int total = 0;
    while (total < size) {
      const ssize_t n = ::read(fd_, buffer + total, static_cast<size_t>(size - total));
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        throw InputError(name() + ": cannot read: " + std::strerror(errno));
      }
      total += static_cast<int>(n);
    }
    return total;
  }

 private:
  int fd_;
};

class MemorySource final : public CheckedSource {
 public:
  MemorySource(std::string_view bytes, std::string name)
      : CheckedSource(std::move(name)), rest_(bytes) {}

 protected:
  int fill(char* buffer, int size) override {
    const std::size_t n = std::min(rest_.size(), static_cast<std::size_t>(size));
    if (n != 0) std::memcpy(buffer, rest_.data(), n);
    rest_.remove_prefix(n);
    return static_cast<int>(n);
  }

 private:
  std::string_view rest_;
};

struct Field {
  const char* data = nullptr;
  std::size_t size = 0;
  std::string_view view() const { return {data, size}; }
};

// Reads rows from one Csv, keeping the line number for messages.
class Parser {
 public:
  Parser(std::unique_ptr<CheckedSource> source, std::string name)
      : name_(std::move(name)), csv_(name_.c_str(), std::move(source)) {}

  void scan(const RowSink& sink) {
    try {
      char* header = csv_.next_line();
      if (header == nullptr) {
        fail_line(1, "empty file; expected the " + std::string(kSchema) + " header");
      }
      check_header(header);
      Row row;
      while (char* line = csv_.next_line()) {
        parse_row(line, row);
        sink(row, csv_.get_file_line());
      }
    } catch (const io::error::line_length_limit_exceeded&) {
      fail_line(csv_.get_file_line(), "line is longer than the reader's limit of 16 MiB");
    } catch (const io::error::base& e) {  // none expected beyond the above; keep it one line
      std::string what = e.what();
      std::replace(what.begin(), what.end(), '\n', ' ');
      fail_line(csv_.get_file_line(), what);
    }
  }

 private:
  [[noreturn]] void fail(std::size_t column, const std::string& what) const {
    throw InputError(name_ + ":" + std::to_string(csv_.get_file_line()) + ":" +
                     std::to_string(column) + ": " + what);
  }
  [[noreturn]] void fail_line(std::size_t line, const std::string& what) const {
    throw InputError(name_ + ":" + std::to_string(line) + ": " + what);
  }

  // Cuts `line` into fields with fccp's splitter; stops after out.size() fields and returns
  // how many it found (out.size() means "at least that many").
  std::size_t split(char* line, std::span<Field> out) const {
    std::size_t n = 0;
    char* rest = line;
    while (rest != nullptr && n < out.size()) {
      char* begin = nullptr;
      char* end = nullptr;
      try {
        io::detail::chop_next_column<Quote>(rest, begin, end);
      } catch (const io::error::escaped_string_not_closed&) {
        fail(n + 1, "quoted field is not closed on this line (fields cannot contain line breaks)");
      }
      check_quoting({begin, static_cast<std::size_t>(end - begin)}, n + 1);
      Trim::trim(begin, end);
      Quote::unescape(begin, end);
      out[n++] = Field{begin, static_cast<std::size_t>(end - begin)};
    }
    return n;
  }

  // RFC 4180: a field that holds a quote is enclosed in quotes and doubles each inner one.
  // (fccp would keep `ab"c"d` as is; here it is an error.)
  void check_quoting(std::string_view raw, std::size_t column) const {
    if (raw.find('"') == std::string_view::npos) return;
    bool ok = raw.size() >= 2 && raw.front() == '"' && raw.back() == '"';
    for (std::size_t i = 1; ok && i + 1 < raw.size(); ++i) {
      if (raw[i] != '"') continue;
      ok = i + 2 < raw.size() && raw[i + 1] == '"';
      ++i;
    }
    if (!ok) {
      fail(column, "malformed quoting in " + quoted(raw) +
                       " (a field with '\"' must be enclosed in quotes, each inner '\"' doubled)");
    }
  }

  void check_header(char* line) const {
    std::array<Field, kColumnCount + 1> fields;
    const std::size_t n = split(line, fields);
    if (n > 0 && fields[0].view() == kSchema) {
      fail(1, "no header: the first line is a row; expected the " + std::string(kSchema) +
                  " header \"schema,run_id,...\"");
    }
    for (std::size_t i = 0; i < std::min(n, kColumnCount); ++i) {
      if (fields[i].view() != kColumns[i]) {
        fail(i + 1, "header column " + std::to_string(i + 1) + " is " + quoted(fields[i].view()) +
                        "; expected \"" + column_name(i) + "\" (" + std::string(kSchema) + ")");
      }
    }
    if (n < kColumnCount) {
      fail(n + 1, "header ends after " + std::to_string(n) + " columns; expected " +
                      std::to_string(kColumnCount) + ", next \"" + column_name(n) + "\"");
    }
    if (n > kColumnCount) {
      fail(n, "header has more than " + std::to_string(kColumnCount) +
                  " columns: " + quoted(fields[kColumnCount].view()) + " after \"coverage\"");
    }
  }

  void parse_row(char* line, Row& row) const {
    if (*line == '\0') fail_line(csv_.get_file_line(), "empty line; expected a row");
    std::array<Field, kColumnCount + 1> f;
    const std::size_t n = split(line, f);
    if (n < kColumnCount) {
      fail(n + 1, "row ends after " + std::to_string(n) + " of " + std::to_string(kColumnCount) +
                      " fields; \"" + column_name(n) + "\" is missing");
    }
    if (n > kColumnCount) {
      fail(n, "row has more than " + std::to_string(kColumnCount) + " fields");
    }
    // The schema first: a row of another version may well fail the checks below.
    if (auto problem = schema_problem(f[0].view())) fail(1, problem->what);

    row.schema.assign(f[0].view());
    row.run_id.assign(f[1].view());
    row.started_utc.assign(f[2].view());
    row.host.assign(f[3].view());
    row.arch.assign(f[4].view());
    row.cpu_model.assign(f[5].view());
    row.kernel.assign(f[6].view());
    row.compiler.assign(f[7].view());
    row.codegen.assign(f[8].view());
    row.git_rev.assign(f[9].view());
    row.suite.assign(f[10].view());
    row.workload.assign(f[11].view());
    row.pte_format.assign(f[12].view());
    row.variant.assign(f[13].view());
    row.layout.assign(f[14].view());
    row.ptes = parse_unsigned<std::uint64_t>(f[15], 15);
    row.repetition = parse_unsigned<std::uint32_t>(f[16], 16);
    row.metric.assign(f[17].view());
    row.value = parse_double(f[18], 18);
    row.unit.assign(f[19].view());
    row.coverage = parse_double(f[20], 20);
    if (auto problem = check_row(row)) fail(problem->column + 1, problem->what);
  }

  template <class T>
  T parse_unsigned(const Field& f, std::size_t index) const {
    const std::string name = column_name(index);
    if (f.size == 0) fail(index + 1, name + " is empty; expected a non-negative integer");
    if (f.data[0] == '-') fail(index + 1, name + " " + quoted(f.view()) + " is negative");
    T value{};
    const auto [end, ec] = std::from_chars(f.data, f.data + f.size, value);
    if (ec == std::errc::result_out_of_range) {
      fail(index + 1, name + " " + quoted(f.view()) + " is out of range");
    }
    if (ec != std::errc{} || end != f.data + f.size) {
      fail(index + 1, name + " " + quoted(f.view()) + " is not an integer");
    }
    return value;
  }

  double parse_double(const Field& f, std::size_t index) const {
    const std::string name = column_name(index);
    if (f.size == 0) fail(index + 1, name + " is empty; expected a number");
    double value = 0;
    const auto [end, ec] = std::from_chars(f.data, f.data + f.size, value);
    if (ec == std::errc::result_out_of_range) {
      fail(index + 1, name + " " + quoted(f.view()) + " is out of the range of a double");
    }
    if (ec != std::errc{} || end != f.data + f.size) {
      fail(index + 1, name + " " + quoted(f.view()) + " is not a number");
    }
    return value;
  }

  std::string name_;
  Csv csv_;
};

void scan_impl(std::unique_ptr<CheckedSource> source, std::string name, const RowSink& sink) {
  Parser parser(std::move(source), std::move(name));
  parser.scan(sink);
}

// The one duplicate check of the reader, for whole files and streams alike: remembers each row's
// key (row_key: compact, so millions of rows stay cheap) with its line, and throws at the second
// row of one key.
class DuplicateRows {
 public:
  DuplicateRows(std::string name, std::size_t expected_rows) : name_(std::move(name)) {
    first_line_.reserve(expected_rows);
  }
  void add(const Row& row, std::size_t line) {
    const auto [it, fresh] = first_line_.emplace(row_key(row), line);
    if (!fresh) {
      throw InputError(name_ + ":" + std::to_string(line) + ": duplicate row: same run_id, case, " +
                       "repetition and metric as line " + std::to_string(it->second));
    }
  }

 private:
  std::string name_;
  std::unordered_map<std::string, std::size_t> first_line_;
};

// Collects rows, rejecting duplicates. `expected_rows` only sizes the buffers.
std::vector<Row> collect(const std::string& name, std::size_t expected_rows,
                         const std::function<void(const RowSink&)>& scan) {
  std::vector<Row> rows;
  rows.reserve(expected_rows);
  DuplicateRows duplicates(name, expected_rows);
  scan([&](const Row& row, std::size_t line) {
    duplicates.add(row, line);
    rows.push_back(row);
  });
  return rows;
}

// A plain loop: find_first_of calls memchr once per character, which dominated reading.
bool has_line_break(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; });
}

}  // namespace

std::optional<RowProblem> check_row(const Row& row) {
  if (auto problem = schema_problem(row.schema)) return problem;
  const std::array<const std::string*, kColumnCount> text = {
      &row.schema,     &row.run_id,   &row.started_utc, &row.host,    &row.arch,  &row.cpu_model,
      &row.kernel,     &row.compiler, &row.codegen,     &row.git_rev, &row.suite, &row.workload,
      &row.pte_format, &row.variant,  &row.layout,      nullptr,      nullptr,    &row.metric,
      nullptr,         &row.unit,     nullptr};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != nullptr && has_line_break(*text[i])) {
      return RowProblem{i, column_name(i) + " contains a line break"};
    }
  }
  // The fields that identify a row (same_row_key) must say something.
  for (const std::size_t i : {1, 8, 11, 12, 13, 14, 17}) {
    if (text[i]->empty()) return RowProblem{i, column_name(i) + " is empty"};
  }
  const auto shown = [](double v) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return quoted(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)));
  };
  if (!std::isfinite(row.value))
    return RowProblem{18, "value " + shown(row.value) + " is not finite"};
  if (!std::isfinite(row.coverage)) {
    return RowProblem{20, "coverage " + shown(row.coverage) + " is not finite"};
  }
  if (row.coverage < 0 || row.coverage > 1) {
    return RowProblem{20, "coverage " + shown(row.coverage) + " is outside [0, 1]"};
  }
  // A time or a count cannot be below zero: a negative value is a corrupt or hand-made file.
  if (row.value < 0) {
    if (const std::string_view kind = nonnegative_kind(row.unit); !kind.empty()) {
      return RowProblem{18, "value " + shown(row.value) + " of " + row.metric + " is negative; a " +
                                std::string(kind) + " cannot be"};
    }
  }
  return std::nullopt;
}

void scan_results(const std::filesystem::path& path, const RowSink& sink) {
  scan_impl(std::make_unique<FileSource>(path), path.string(), sink);
}

void scan_results_buffer(std::string_view csv, std::string_view name, const RowSink& sink) {
  scan_impl(std::make_unique<MemorySource>(csv, std::string(name)), std::string(name), sink);
}

void scan_unique_results(const std::filesystem::path& path, const RowSink& sink) {
  DuplicateRows duplicates(path.string(), 0);
  scan_results(path, [&](const Row& row, std::size_t line) {
    duplicates.add(row, line);
    sink(row, line);
  });
}

std::vector<Row> read_results(const std::filesystem::path& path) {
  // A typical row is 200-300 bytes: a sizing hint, never a limit.
  std::error_code ec;
  const std::uintmax_t bytes = std::filesystem::file_size(path, ec);
  return collect(path.string(), ec ? 0 : static_cast<std::size_t>(bytes / 256),
                 [&](const RowSink& sink) { scan_results(path, sink); });
}

std::vector<Row> parse_results(std::string_view csv, std::string_view name) {
  // Counting lines first costs a fraction of what growing the vector would.
  const auto lines = static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n'));
  return collect(std::string(name), lines,
                 [&](const RowSink& sink) { scan_results_buffer(csv, name, sink); });
}

}  // namespace ptebench::results
