#include "bench/cli/flags.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "harness/input_error.h"
#include "harness/results_writer.h"

namespace ptebench::cli {

void FlagParser::add(std::string name, bool takes_value, std::string help, std::string default_text,
                     std::function<void(const std::string&)> set) {
  flags_.push_back(
      {std::move(name), takes_value, std::move(help), std::move(default_text), std::move(set)});
}

void FlagParser::add_string(std::string name, std::string* out, std::string help) {
  add(std::move(name), true, std::move(help), *out, [out](const std::string& v) { *out = v; });
}

void FlagParser::add_strings(std::string name, std::vector<std::string>* out, std::string help) {
  add(std::move(name), true, std::move(help), "",
      [out](const std::string& v) { out->push_back(v); });
}

void FlagParser::add_int(std::string name, std::int64_t* out, std::int64_t min_value,
                         std::string help, std::int64_t max_value) {
  const std::string flag = name;
  add(std::move(name), true, std::move(help), std::to_string(*out),
      [this, out, min_value, max_value, flag](const std::string& v) {
        std::int64_t parsed = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
        if (ec != std::errc() || end != v.data() + v.size())
          fail("--" + flag + " takes a whole number, got '" + v + "'");
        if (parsed < min_value)
          fail("--" + flag + " must be at least " + std::to_string(min_value) + ", got " + v);
        if (parsed > max_value)
          fail("--" + flag + " must be at most " + std::to_string(max_value) + ", got " + v);
        *out = parsed;
      });
}

void FlagParser::add_double(std::string name, double* out, std::string help) {
  const std::string flag = name;
  add(std::move(name), true, std::move(help), results::format_double(*out),
      [this, out, flag](const std::string& v) {
        double parsed = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
        if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(parsed))
          fail("--" + flag + " takes a number, got '" + v + "'");
        *out = parsed;
      });
}

void FlagParser::add_bool(std::string name, bool* out, std::string help) {
  add(std::move(name), false, std::move(help), "", [out](const std::string&) { *out = true; });
}

const FlagParser::Flag* FlagParser::find(const std::string& name) const {
  for (const Flag& f : flags_)
    if (f.name == name) return &f;
  return nullptr;
}

void FlagParser::fail(const std::string& what) const {
  throw InputError("ptebench " + command_ + ": " + what);
}

std::vector<std::string> FlagParser::parse(int argc, char** argv, int first) {
  std::vector<std::string> positional;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      if (arg.size() > 1 && arg[0] == '-' && arg != "-")
        fail("unknown flag '" + arg + "' (see ptebench " + command_ + " --help)");
      positional.push_back(std::move(arg));
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const Flag* flag = find(name);
    if (flag == nullptr)
      fail("unknown flag '--" + name + "' (see ptebench " + command_ + " --help)");
    if (flag->takes_value && !has_value) {
      if (i + 1 >= argc) fail("--" + name + " needs a value");
      value = argv[++i];
    } else if (!flag->takes_value && has_value) {
      fail("--" + name + " takes no value");
    }
    flag->set(value);
  }
  return positional;
}

std::string FlagParser::usage() const {
  std::string out;
  for (const Flag& f : flags_) {
    std::string left = "  --" + f.name + (f.takes_value ? " VALUE" : "");
    if (left.size() < 28) left.resize(28, ' ');
    std::string help = f.help;
    if (!f.default_text.empty() && help.find("default") == std::string::npos)
      help += " (default " + f.default_text + ")";
    out += left + " " + help + "\n";
  }
  return out;
}

}  // namespace ptebench::cli
