#include "harness/machine_probe.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <set>
#include <system_error>

#include "harness/atomic_file.h"
#include "harness/input_error.h"

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

}  // namespace ptebench::context
