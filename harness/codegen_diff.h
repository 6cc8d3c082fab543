// Machine-code comparison of the walker variants, for `ptebench codegen`: parses the text of
// `objdump -d -r -C --no-show-raw-insn` on the walkers' object, gathers the code of one walker x
// format x policy (every function whose demangled name instantiates the walker with that
// format and policy, lambdas and cold parts included), normalises it so that only what the
// processor executes is compared (branch targets relative to the function, relocation targets
// with the policy's name erased, no addresses or symbol comments), and diffs two such streams.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::codegen {

struct Function {
  std::string name;                // demangled, as objdump prints it between < and >
  std::vector<std::string> insns;  // normalised instructions, in address order
};

// Parses objdump's disassembly, of an object file (calls carry relocations) or of a linked
// executable (harness/same_code.h: a call to another function's entry is compared by its name,
// policy erased; a RIP-relative operand by the address it reaches). Lines that are neither a
// function header, an instruction nor a relocation are ignored; a relocation is appended to the
// instruction before it.
std::vector<Function> parse_objdump(std::string_view text);

// The policy tokens as they appear in demangled names of the walkers' object.
enum class Policy { plain, read_once, arch };
std::string_view policy_name(Policy p);

// The instructions of walker (e.g. "zap_range") for format ("X86_64" | "Arm64") and policy,
// concatenated in object order; empty when no function matches (the walker was inlined into its
// caller: see unit_or_run()).
std::vector<std::string> walker_code(const std::vector<Function>& fns, std::string_view walker,
                                     std::string_view format, Policy policy);
// The out-of-line functions a walker calls with its format and policy, which read entries with
// the policy and so belong to its code: reclaim_rmap's check_pte() (page_vma_mapped_walk()) and
// folio_pte_batch() (mm/util.c), zap_range's folio_pte_batch() (workloads/walkers/
// folio_batch.h). Empty for the other walkers (their batch, folio_pte_batch_flags(), is inlined).
std::vector<std::string_view> out_of_line_helpers(std::string_view walker);
// walker_code(), or when empty the code of WalkImpl<format, policy>::run(), which then holds
// the inlined walker (with the others); *inlined says which. Then the code of the walker's
// out_of_line_helpers(), in that order.
std::vector<std::string> unit_or_run(const std::vector<Function>& fns, std::string_view walker,
                                     std::string_view format, Policy policy, bool* inlined);

// The functions instantiated with plain or read_once ("::Plain>", "::ReadOnce>" in the name)
// that no walker's code holds: not a walker of `walkers` (nor its lambdas), not one of their
// out_of_line_helpers(), not WalkImpl's. Such a function is an out-of-line helper missing from
// out_of_line_helpers(): its reads would be left out of the comparison. Names as objdump
// prints them, in object order.
std::vector<std::string> unattributed(const std::vector<Function>& fns,
                                      const std::vector<std::string>& walkers);

struct DiffLine {
  char op;  // ' ' both, '-' only in a, '+' only in b
  std::string text;
};
struct Diff {
  std::size_t only_a = 0, only_b = 0;
  std::vector<DiffLine> lines;
  bool same() const { return only_a == 0 && only_b == 0; }
};
// A longest-common-subsequence diff of two instruction streams.
Diff diff(const std::vector<std::string>& a, const std::vector<std::string>& b);

}  // namespace ptebench::codegen
