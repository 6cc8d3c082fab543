// Command-line flags from a table: each command declares its flags once (name, value type,
// target field, help with default and unit) and parses argv into its typed config struct.
// Bad input (an unknown flag, a missing or malformed value) throws InputError with one line.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ptebench::cli {

class FlagParser {
 public:
  explicit FlagParser(std::string command) : command_(std::move(command)) {}

  void add_string(std::string name, std::string* out, std::string help);
  void add_strings(std::string name, std::vector<std::string>* out,
                   std::string help);  // repeatable
  void add_int(std::string name, std::int64_t* out, std::int64_t min_value, std::string help);
  void add_double(std::string name, double* out, std::string help);
  void add_bool(std::string name, bool* out, std::string help);  // takes no value

  // Parses argv[first..argc); `--flag value` and `--flag=value` both work. Returns the
  // positional arguments. `--help` sets help_requested().
  std::vector<std::string> parse(int argc, char** argv, int first);
  bool help_requested() const { return help_; }
  std::string usage() const;

 private:
  struct Flag {
    std::string name;
    bool takes_value;
    std::string help;
    std::function<void(const std::string&)> set;
  };
  const Flag* find(const std::string& name) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::string command_;
  std::vector<Flag> flags_;
  bool help_ = false;
};

}  // namespace ptebench::cli
