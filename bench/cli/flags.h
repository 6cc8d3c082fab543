// Command-line flags from a table: each command declares its flags once (name, value type,
// target field, help with unit) and parses argv into its typed config struct. The help shows
// each flag's default, read from the bound field when the flag is declared (a help text that
// states its own default — a meaning such as "default: the suite's" — keeps it). A choice's
// names come from its table, and so does the "known:" list of its error.
// Bad input (an unknown flag, a missing or malformed value) throws InputError with one line.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::cli {

class FlagParser {
 public:
  explicit FlagParser(std::string command) : command_(std::move(command)) {}

  void add_string(std::string name, std::string* out, std::string help);
  void add_strings(std::string name, std::vector<std::string>* out,
                   std::string help);  // repeatable
  // A whole number in [min_value, max_value]; out of range is one line naming the bound.
  void add_int(std::string name, std::int64_t* out, std::int64_t min_value, std::string help,
               std::int64_t max_value = std::numeric_limits<std::int64_t>::max());
  void add_double(std::string name, double* out, std::string help);
  void add_bool(std::string name, bool* out, std::string help);  // takes no value

  // One of a table of names: the value's name in `choices` sets *out; any other name is refused
  // with the known names, in table order. The default shown is the name of *out's value.
  template <class T>
  struct Choice {
    std::string_view name;
    T value;
  };
  template <class T>
  void add_choice(std::string name, T* out, std::span<const Choice<T>> choices, std::string help) {
    std::string known, current;
    for (const Choice<T>& c : choices) {
      known += (known.empty() ? "" : ", ") + std::string(c.name);
      if (c.value == *out) current = c.name;
    }
    const std::string flag = name;
    add(std::move(name), true, std::move(help) + " (" + known_list(choices) + ")", current,
        [this, out, choices, flag, known](const std::string& v) {
          for (const Choice<T>& c : choices)
            if (c.name == v) {
              *out = c.value;
              return;
            }
          fail("unknown --" + flag + " '" + v + "' (known: " + known + ")");
        });
  }

  FlagParser(const FlagParser&) = delete;  // the setters capture `this`
  FlagParser& operator=(const FlagParser&) = delete;

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
    std::string default_text;  // shown as "(default X)" unless empty or the help has its own
    std::function<void(const std::string&)> set;
  };
  void add(std::string name, bool takes_value, std::string help, std::string default_text,
           std::function<void(const std::string&)> set);
  template <class T>
  static std::string known_list(std::span<const Choice<T>> choices) {
    std::string out;
    for (const Choice<T>& c : choices) out += (out.empty() ? "" : " | ") + std::string(c.name);
    return out;
  }
  const Flag* find(const std::string& name) const;
  [[noreturn]] void fail(const std::string& what) const;

  std::string command_;
  std::vector<Flag> flags_;
  bool help_ = false;
};

}  // namespace ptebench::cli
