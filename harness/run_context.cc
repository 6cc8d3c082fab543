#include "harness/run_context.h"

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <set>
#include <system_error>

#include "harness/atomic_file.h"
#include "harness/csv_parser.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/results_writer.h"

namespace ptebench::context {
namespace {

namespace fs = std::filesystem;

std::string or_unknown(std::string value) {
  return value.empty() ? std::string(kUnknown) : value;
}

// The first line of a small /proc or /sys file, as one trimmed line; nullopt if unreadable.
std::optional<std::string> read_first_line(const fs::path& path) {
  try {
    const std::string text = read_whole_file(path);
    return one_line(std::string_view(text).substr(0, text.find('\n')));
  } catch (const InputError&) {
    return std::nullopt;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<unsigned> parse_hex(std::string_view text) {
  text = trim(text);
  if (text.starts_with("0x") || text.starts_with("0X")) text.remove_prefix(2);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string hex(unsigned value, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%0*x", digits, value);
  return buffer;
}

// MIDR_EL1 implementer and part numbers, from the kernel's arch/arm64/include/asm/cputype.h.
struct ArmPart {
  unsigned implementer;
  unsigned part;
  const char* name;
};
constexpr ArmPart kArmParts[] = {
    {0x41, 0xd03, "ARM Cortex-A53"},   {0x41, 0xd04, "ARM Cortex-A35"},
    {0x41, 0xd05, "ARM Cortex-A55"},   {0x41, 0xd07, "ARM Cortex-A57"},
    {0x41, 0xd08, "ARM Cortex-A72"},   {0x41, 0xd09, "ARM Cortex-A73"},
    {0x41, 0xd0a, "ARM Cortex-A75"},   {0x41, 0xd0b, "ARM Cortex-A76"},
    {0x41, 0xd0c, "ARM Neoverse-N1"},  {0x41, 0xd0d, "ARM Cortex-A77"},
    {0x41, 0xd40, "ARM Neoverse-V1"},  {0x41, 0xd41, "ARM Cortex-A78"},
    {0x41, 0xd44, "ARM Cortex-X1"},    {0x41, 0xd46, "ARM Cortex-A510"},
    {0x41, 0xd47, "ARM Cortex-A710"},  {0x41, 0xd48, "ARM Cortex-X2"},
    {0x41, 0xd49, "ARM Neoverse-N2"},  {0x41, 0xd4b, "ARM Cortex-A78C"},
    {0x41, 0xd4d, "ARM Cortex-A715"},  {0x41, 0xd4e, "ARM Cortex-X3"},
    {0x41, 0xd4f, "ARM Neoverse-V2"},  {0x41, 0xd80, "ARM Cortex-A520"},
    {0x41, 0xd81, "ARM Cortex-A720"},  {0x41, 0xd82, "ARM Cortex-X4"},
    {0x41, 0xd84, "ARM Neoverse-V3"},  {0x41, 0xd8e, "ARM Neoverse-N3"},
    {0x43, 0x0af, "Cavium ThunderX2"}, {0x46, 0x001, "Fujitsu A64FX"},
    {0x48, 0xd01, "HiSilicon TSV110"}, {0x4e, 0x004, "NVIDIA Carmel"},
    {0xc0, 0xac3, "Ampere AmpereOne"},
};

std::string arm_part_name(unsigned implementer, unsigned part) {
  for (const ArmPart& p : kArmParts) {
    if (p.implementer == implementer && p.part == part) return p.name;
  }
  return "implementer " + hex(implementer, 2) + " part " + hex(part, 3);
}

[[noreturn]] void duplicate_key(const std::string& key) {
  invariant_violated("context key \"" + key + "\" given twice", "harness/run_context.h");
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string selected_mode(std::string_view sysfs_text) {
  const auto open = sysfs_text.find('[');
  const auto close = sysfs_text.find(']', open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    return or_unknown(one_line(sysfs_text));
  }
  return or_unknown(one_line(sysfs_text.substr(open + 1, close - open - 1)));
}

std::string cpu_model_from_cpuinfo(std::string_view cpuinfo) {
  std::vector<std::pair<unsigned, unsigned>> arm_parts;  // distinct, in order of appearance
  std::optional<unsigned> implementer;
  while (!cpuinfo.empty()) {
    const auto eol = cpuinfo.find('\n');
    const std::string_view line = cpuinfo.substr(0, eol);
    cpuinfo.remove_prefix(eol == std::string_view::npos ? cpuinfo.size() : eol + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (key == "model name" && !value.empty()) return one_line(value);
    if (key == "CPU implementer") implementer = parse_hex(value);
    if (key == "CPU part" && implementer) {
      if (const auto part = parse_hex(value)) {
        const std::pair<unsigned, unsigned> id{*implementer, *part};
        if (std::find(arm_parts.begin(), arm_parts.end(), id) == arm_parts.end()) {
          arm_parts.push_back(id);
        }
      }
    }
  }
  std::string model;
  for (const auto& [imp, part] : arm_parts) {
    if (!model.empty()) model += " + ";
    model += arm_part_name(imp, part);
  }
  return or_unknown(model);
}

Machine probe_machine(const fs::path& root) {
  Machine m;
  struct utsname uts {};
  if (::uname(&uts) == 0) {
    m.host = one_line(uts.nodename);
    m.arch = one_line(uts.machine);
    m.kernel_release = one_line(uts.release);
    m.kernel_version = one_line(uts.version);
  }
  m.host = or_unknown(m.host);
  m.arch = or_unknown(m.arch);
  m.kernel_release = or_unknown(m.kernel_release);
  m.kernel_version = or_unknown(m.kernel_version);

  try {
    m.cpu_model = cpu_model_from_cpuinfo(read_whole_file(root / "proc/cpuinfo"));
  } catch (const InputError&) {
    m.cpu_model = kUnknown;
  }
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  m.online_cpus = cpus > 0 ? std::to_string(cpus) : std::string(kUnknown);

  std::set<std::string> governors;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root / "sys/devices/system/cpu", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 4 || !name.starts_with("cpu") ||
        !std::all_of(name.begin() + 3, name.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      continue;
    }
    if (auto governor = read_first_line(entry.path() / "cpufreq/scaling_governor")) {
      if (!governor->empty()) governors.insert(*governor);
    }
  }
  for (const std::string& g : governors) {
    if (!m.cpufreq_governor.empty()) m.cpufreq_governor += ',';
    m.cpufreq_governor += g;
  }
  m.cpufreq_governor = or_unknown(m.cpufreq_governor);

  const fs::path thp = root / "sys/kernel/mm/transparent_hugepage";
  const auto mode = [](const std::optional<std::string>& text) {
    return text ? selected_mode(*text) : std::string(kUnknown);
  };
  m.thp_enabled = mode(read_first_line(thp / "enabled"));
  m.thp_defrag = mode(read_first_line(thp / "defrag"));
  m.randomize_va_space =
      or_unknown(read_first_line(root / "proc/sys/kernel/randomize_va_space").value_or(""));
  return m;
}

RunStamp make_run_stamp(std::chrono::system_clock::time_point start, std::string_view host,
                        pid_t pid) {
  const std::time_t t = std::chrono::system_clock::to_time_t(start);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char compact[32];
  char iso[32];
  std::strftime(compact, sizeof compact, "%Y%m%dT%H%M%SZ", &utc);
  std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &utc);
  // The host goes into a file-name-like identifier: keep it to [A-Za-z0-9._-].
  std::string safe_host;
  for (const char c : host) {
    const bool plain =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    safe_host += plain ? c : '_';
  }
  if (safe_host.empty()) safe_host = kUnknown;
  return RunStamp{std::string(compact) + "-" + safe_host + "-" + std::to_string(pid), iso};
}

RunContext collect_run_context(RunInputs inputs) {
  RunContext context;
  context.machine = probe_machine();
  context.stamp =
      make_run_stamp(std::chrono::system_clock::now(), context.machine.host, ::getpid());
  context.inputs = std::move(inputs);
  return context;
}

void fill_run_columns(const RunContext& context, results::Row& row) {
  row.schema = results::kSchema;
  row.run_id = context.stamp.run_id;
  row.started_utc = context.stamp.started_utc;
  row.host = context.machine.host;
  row.arch = context.machine.arch;
  row.cpu_model = context.machine.cpu_model;
  row.kernel = context.machine.kernel_release;
  row.compiler = or_unknown(one_line(context.inputs.compiler));
  row.git_rev = or_unknown(one_line(context.inputs.git_rev));
  row.suite = or_unknown(one_line(context.inputs.suite));
}

Entries context_entries(const RunContext& c) {
  const Machine& m = c.machine;
  const RunInputs& in = c.inputs;
  Entries entries = {
      {"schema", std::string(kContextSchema)},
      {"run_id", c.stamp.run_id},
      {"started_utc", c.stamp.started_utc},
      {"host", m.host},
      {"arch", m.arch},
      {"cpu_model", m.cpu_model},
      {"online_cpus", m.online_cpus},
      {"kernel_release", m.kernel_release},
      {"kernel_version", m.kernel_version},
      {"cpufreq_governor", m.cpufreq_governor},
      {"thp_enabled", m.thp_enabled},
      {"thp_defrag", m.thp_defrag},
      {"randomize_va_space", m.randomize_va_space},
      {"compiler", in.compiler},
      {"compiler_flags", in.compiler_flags},
      {"counter_scope", in.counter_scope},
      {"seed", std::to_string(in.seed)},
      {"git_rev", in.git_rev},
      {"suite", in.suite},
  };
  for (const auto& [key, value] : in.extra) {
    if (find_entry(entries, key)) duplicate_key(key);
    entries.emplace_back(key, value);
  }
  for (auto& [key, value] : entries) value = or_unknown(one_line(value));
  return entries;
}

fs::path context_path(const fs::path& results_path) {
  fs::path out = results_path;
  if (out.extension() == ".csv") out.replace_extension();
  out += ".context.csv";
  return out;
}

void write_context(const fs::path& path, const Entries& entries) {
  std::string csv = "key,value\n";
  for (const auto& [key, value] : entries) {
    results::append_csv_field(csv, key);
    csv += ',';
    results::append_csv_field(csv, value);
    csv += '\n';
  }
  write_file_atomically(path, csv);
}

Entries read_context(const fs::path& path) {
  const std::string name = path.string();
  // Opened here so that a missing file is reported like every other input.
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) throw InputError(name + ": cannot open: " + std::strerror(errno));
  io::CSVReader<2, io::trim_chars<>, io::double_quote_escape<',', '"'>> csv(name.c_str(), file);
  const auto where = [&](int column) {
    return name + ":" + std::to_string(csv.get_file_line()) +
           (column > 0 ? ":" + std::to_string(column) : std::string()) + ": ";
  };
  Entries entries;
  try {
    char* key = nullptr;
    char* value = nullptr;
    if (!csv.read_row(key, value)) throw InputError(name + ":1: empty file; expected key,value");
    if (std::string_view(key) != "key") throw InputError(where(1) + "header must be key,value");
    if (std::string_view(value) != "value") {
      throw InputError(where(2) + "header must be key,value");
    }
    while (csv.read_row(key, value)) {
      if (*key == '\0') throw InputError(where(1) + "empty key");
      if (find_entry(entries, key)) {
        throw InputError(where(1) + "key \"" + one_line(key) + "\" appears twice");
      }
      entries.emplace_back(key, value);
    }
  } catch (const io::error::too_few_columns&) {
    throw InputError(where(2) + "row has 1 field; expected key,value");
  } catch (const io::error::too_many_columns&) {
    throw InputError(where(3) + "row has more than 2 fields; expected key,value");
  } catch (const io::error::escaped_string_not_closed&) {
    throw InputError(where(0) + "quoted field is not closed on this line");
  } catch (const io::error::base& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    throw InputError(where(0) + what);
  }
  const auto schema = find_entry(entries, "schema");
  if (!schema || *schema != kContextSchema) {
    throw InputError(name + ": schema is " +
                     (schema ? "\"" + one_line(*schema) + "\"" : "missing") + "; expected " +
                     std::string(kContextSchema));
  }
  return entries;
}

std::optional<std::string> find_entry(const Entries& entries, std::string_view key) {
  for (const auto& [k, v] : entries) {
    if (k == key) return v;
  }
  return std::nullopt;
}

}  // namespace ptebench::context
