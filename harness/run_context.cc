#include "harness/run_context.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>

#include "harness/atomic_file.h"
#include "harness/csv_parser.h"
#include "harness/input_error.h"
#include "harness/invariant.h"
#include "harness/results_writer.h"

namespace ptebench::context {
namespace {

namespace fs = std::filesystem;

// A character a host name may hold in a run_id: [A-Za-z0-9._-].
bool host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
}

std::string or_unknown(std::string value) {
  return value.empty() ? std::string(kUnknown) : value;
}

[[noreturn]] void duplicate_key(const std::string& key) {
  invariant_violated("context key \"" + key + "\" given twice", "harness/run_context.h");
}

}  // namespace

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
  for (const char c : host) safe_host += host_char(c) ? c : '_';
  if (safe_host.empty()) safe_host = kUnknown;
  return RunStamp{std::string(compact) + "-" + safe_host + "-" + std::to_string(pid), iso};
}

bool valid_host_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), host_char);
}

RunContext collect_run_context(RunInputs inputs) {
  RunContext context;
  context.machine = probe_machine();
  if (!inputs.host.empty()) {
    inputs.extra.emplace(inputs.extra.begin(), "uname_nodename", context.machine.host);
    context.machine.host = inputs.host;
  }
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
