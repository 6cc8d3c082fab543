#include "harness/codegen_diff.h"

#include <algorithm>
#include <cctype>

namespace ptebench::codegen {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_hex(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::uint64_t hex_value(std::string_view s) {
  std::uint64_t v = 0;
  for (const char c : s) {
    const int d =
        std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10);
    v = v * 16 + static_cast<std::uint64_t>(d);
  }
  return v;
}

std::string hex_text(std::uint64_t v) {
  static const char* kDigits = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), kDigits[v & 15]);
    v >>= 4;
  } while (v != 0);
  return "0x" + s;
}

// Branches and calls whose last operand is a code address (x86 j*, call; aarch64 b, b.cond, bl,
// cbz, cbnz, tbz, tbnz).
bool is_branch(std::string_view mnemonic) {
  if (mnemonic.empty()) return false;
  if (mnemonic[0] == 'j' || mnemonic == "call" || mnemonic == "callq") return true;
  return mnemonic == "b" || mnemonic == "bl" || mnemonic.substr(0, 2) == "b." ||
         mnemonic == "cbz" || mnemonic == "cbnz" || mnemonic == "tbz" || mnemonic == "tbnz";
}

// Erases the policy from a symbol so that calls to the same helper instantiated for another
// policy compare equal.
std::string erase_policy(std::string s) {
  for (const std::string_view token :
       {std::string_view("ArchContpteT<ptebench::cg_kernel::RawReadOnce> "),
        std::string_view("ArchContpteT<ptebench::cg_user::RawReadOnce> "),
        std::string_view("ArchContpteT<ptebench::cg_kernel::RawReadOnce>"),
        std::string_view("ArchContpteT<ptebench::cg_user::RawReadOnce>"),
        std::string_view("ArchShadow"), std::string_view("ReadOnce"), std::string_view("Plain")}) {
    for (std::size_t at = s.find(token); at != std::string::npos; at = s.find(token, at))
      s.replace(at, token.size(), "POLICY");
  }
  return s;
}

// A relocation against a section ("'.text+0x9ac") names a local function by its offset, which
// moves with everything before it: keep the section only.
std::string erase_offset(std::string sym) {
  if (!sym.empty() && sym[0] == '.') {
    if (const std::size_t plus = sym.find_first_of("+-"); plus != std::string::npos)
      sym.resize(plus);
  }
  return sym;
}

// One instruction line's text (after "addr:\t"), normalised. `fn_name` is the function's own
// name: in a linked executable (no relocations) a call or jump to another function's entry is
// printed as "call 9810 <name>" and compared by that name with the policy erased, and a
// RIP-relative operand "0x2637(%rip)  # d77ff <sym>" by the address it reaches (the displacement
// depends on where the instruction is); in an object file both are 0 and carry a relocation.
std::string normalise(std::string_view text, std::uint64_t fn_start, std::string_view fn_name) {
  std::string_view t = text;
  std::string_view annotation;  // "name" or "name+0x12" of "<...>", when printed
  if (const std::size_t lt = t.find(" <"); lt != std::string_view::npos) {
    if (const std::size_t gt = t.rfind('>'); gt != std::string_view::npos && gt > lt)
      annotation = t.substr(lt + 2, gt - lt - 2);
    t = t.substr(0, lt);
  }
  std::string rip_target;  // the absolute address of a "# addr" comment
  if (const std::size_t hash = t.find('#'); hash != std::string_view::npos) {
    // x86 comments start with '#'; on aarch64 '#' begins an immediate and stays.
    const std::string_view before = t.substr(0, hash);
    if (before.find('%') != std::string_view::npos || before.find('(') != std::string_view::npos ||
        (hash > 0 && t[hash - 1] == ' ' && hash + 1 < t.size() && t[hash + 1] == ' ')) {
      const std::string_view comment = trim(t.substr(hash + 1));
      if (is_hex(comment)) rip_target = "0x" + std::string(comment);
      t = before;
    }
  }
  t = trim(t);
  std::string out;
  std::string_view mnemonic = t.substr(0, t.find_first_of(" \t"));
  std::string_view ops =
      mnemonic.size() < t.size() ? trim(t.substr(mnemonic.size())) : std::string_view();
  out.assign(mnemonic);
  if (ops.empty()) return out;
  if (is_branch(mnemonic)) {
    const std::size_t last = ops.find_last_of(", ");
    std::string_view target = last == std::string_view::npos ? ops : ops.substr(last + 1);
    if (is_hex(target)) {
      const std::string_view prefix = ops.substr(0, ops.size() - target.size());
      // Another function's entry (no "+0x" offset): by name.
      if (!annotation.empty() && annotation.find("+0x") == std::string_view::npos &&
          annotation != fn_name)
        return out + " " + std::string(prefix) + "@" + erase_policy(std::string(annotation));
      const std::uint64_t addr = hex_value(target);
      const std::string rel =
          addr >= fn_start ? ".+" + hex_text(addr - fn_start) : ".-" + hex_text(fn_start - addr);
      return out + " " + std::string(prefix) + rel;
    }
  }
  // A linked RIP-relative displacement: replaced by the address it reaches.
  std::string operands(ops);
  if (const std::size_t rip = operands.find("(%rip)");
      rip != std::string::npos && !rip_target.empty()) {
    std::size_t start = rip;
    while (start > 0 && (std::isxdigit(static_cast<unsigned char>(operands[start - 1])) ||
                         operands[start - 1] == 'x' || operands[start - 1] == '-'))
      --start;
    const std::string disp = operands.substr(start, rip - start);
    if (disp != "0x0" && !disp.empty()) operands.replace(start, rip - start, "@" + rip_target);
  }
  // Collapse runs of blanks in the operands.
  out += ' ';
  bool blank = false;
  for (const char c : operands) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && out.back() != ' ' && out.back() != ',') out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

}  // namespace

std::vector<Function> parse_objdump(std::string_view text) {
  std::vector<Function> fns;
  std::uint64_t fn_start = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // "0000000000000000 <name>:"
    if (line.size() > 4 && line.back() == ':' && line[line.size() - 2] == '>') {
      const std::size_t lt = line.find(" <");
      if (lt != std::string_view::npos && is_hex(line.substr(0, lt))) {
        fn_start = hex_value(line.substr(0, lt));
        fns.push_back(Function{std::string(line.substr(lt + 2, line.size() - lt - 4)), {}});
        continue;
      }
    }
    if (fns.empty()) continue;
    // "  1a2:\tmnemonic operands" or a relocation "\t\t\t1a3: R_X86_64_PLT32\tsym-0x4".
    const std::string_view t = trim(line);
    const std::size_t colon = t.find(':');
    if (colon == std::string_view::npos || !is_hex(t.substr(0, colon))) continue;
    const std::string_view rest = trim(t.substr(colon + 1));
    if (rest.empty() || rest == "...") continue;
    if (rest.substr(0, 2) == "R_") {
      if (fns.back().insns.empty()) continue;
      const std::size_t tab = rest.find_first_of(" \t");
      const std::string sym =
          tab == std::string_view::npos ? std::string() : std::string(trim(rest.substr(tab)));
      // A relocated call or branch: its printed target is a placeholder, the symbol is the target.
      std::string& insn = fns.back().insns.back();
      for (const std::string_view mark : {" .+", " .-", " @"}) {
        if (const std::size_t rel = insn.find(mark); rel != std::string::npos) {
          insn.resize(rel);
          break;
        }
      }
      fns.back().insns.back() +=
          " ; " + std::string(rest.substr(0, tab)) + " " + erase_policy(erase_offset(sym));
      continue;
    }
    fns.back().insns.push_back(normalise(rest, fn_start, fns.back().name));
  }
  return fns;
}

std::string_view policy_name(Policy p) {
  switch (p) {
    case Policy::plain:
      return "plain";
    case Policy::read_once:
      return "read_once";
    case Policy::arch:
      return "arch";
  }
  return "?";
}

namespace {

bool names_instance(std::string_view name, std::string_view templ, std::string_view format,
                    Policy policy) {
  const std::string head = std::string(templ) + "<";
  for (std::size_t at = name.find(head); at != std::string_view::npos;
       at = name.find(head, at + 1)) {
    if (at > 0 && name[at - 1] != ':' && name[at - 1] != ' ') continue;  // e.g. "my_zap_range<"
    const std::string_view args = name.substr(at + head.size(), 160);
    const std::string fmt = "::" + std::string(format) + ", ";
    const std::size_t f = args.find(fmt);
    if (f == std::string_view::npos) continue;
    const std::string_view pol = args.substr(f + fmt.size());
    // "ptebench::cg_<profile>::<Policy>...": the policy follows the second "::".
    const std::size_t sep1 = pol.find("::");
    if (sep1 == std::string_view::npos) continue;
    const std::size_t sep2 = pol.find("::", sep1 + 2);
    if (sep2 == std::string_view::npos) continue;
    const std::string_view token = pol.substr(sep2 + 2);
    switch (policy) {
      case Policy::plain:
        if (token.substr(0, 6) == "Plain>") return true;
        break;
      case Policy::read_once:
        if (token.substr(0, 9) == "ReadOnce>") return true;
        break;
      case Policy::arch:
        if (token.substr(0, 13) == "ArchContpteT<" || token.substr(0, 11) == "ArchShadow>")
          return true;
        break;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> walker_code(const std::vector<Function>& fns, std::string_view walker,
                                     std::string_view format, Policy policy) {
  std::vector<std::string> code;
  for (const Function& f : fns)
    if (names_instance(f.name, walker, format, policy))
      code.insert(code.end(), f.insns.begin(), f.insns.end());
  return code;
}

std::vector<std::string_view> out_of_line_helpers(std::string_view walker) {
  if (walker == "reclaim_rmap") return {"check_pte", "folio_pte_batch"};
  if (walker == "zap_range") return {"folio_pte_batch"};
  return {};
}

std::vector<std::string> unit_or_run(const std::vector<Function>& fns, std::string_view walker,
                                     std::string_view format, Policy policy, bool* inlined) {
  std::vector<std::string> code = walker_code(fns, walker, format, policy);
  *inlined = code.empty();
  if (code.empty()) {
    for (const Function& f : fns) {
      if (!names_instance(f.name, "WalkImpl", format, policy)) continue;
      const std::string_view n = f.name;
      if (n.find(">::run()") == std::string_view::npos) continue;
      code.insert(code.end(), f.insns.begin(), f.insns.end());
    }
  }
  // Nothing of the walker itself: no helper either (the walker's code was not found).
  if (code.empty()) return code;
  for (const std::string_view helper : out_of_line_helpers(walker)) {
    const std::vector<std::string> more = walker_code(fns, helper, format, policy);
    code.insert(code.end(), more.begin(), more.end());
  }
  return code;
}

std::vector<std::string> unattributed(const std::vector<Function>& fns,
                                      const std::vector<std::string>& walkers) {
  std::vector<std::string_view> owners = {"WalkImpl"};
  for (const std::string& w : walkers) {
    owners.push_back(w);
    for (const std::string_view helper : out_of_line_helpers(w)) owners.push_back(helper);
  }
  std::vector<std::string> out;
  for (const Function& f : fns) {
    const std::string_view n = f.name;
    if (n.find("::Plain>") == std::string_view::npos &&
        n.find("::ReadOnce>") == std::string_view::npos)
      continue;
    bool owned = false;
    for (const std::string_view owner : owners)
      for (const std::string_view format : {"X86_64", "Arm64"})
        for (const Policy policy : {Policy::plain, Policy::read_once})
          owned = owned || names_instance(n, owner, format, policy);
    if (!owned) out.push_back(f.name);
  }
  return out;
}

Diff diff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = a.size(), m = b.size();
  // lcs[i][j]: the LCS length of a[i..] and b[j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  Diff d;
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      d.lines.push_back({' ', a[i]});
      ++i;
      ++j;
    } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
      d.lines.push_back({'+', b[j++]});
      ++d.only_b;
    } else {
      d.lines.push_back({'-', a[i++]});
      ++d.only_a;
    }
  }
  return d;
}

}  // namespace ptebench::codegen
