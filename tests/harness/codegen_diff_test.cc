// harness/codegen_diff: objdump text in, normalised instruction streams and their diff out,
// checked on literal disassembly (x86_64 and aarch64, as binutils 2.40 prints it).
#include "harness/codegen_diff.h"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cg = ptebench::codegen;

namespace {

// Two instantiations of one walker lambda that differ in one instruction (a load folded into
// a compare under plain), at different addresses, with calls to a helper instantiated per
// policy, plus an unrelated function.
const char* const kX86 = R"(
build/workloads/instantiate.cc.o:     file format elf64-x86-64


Disassembly of section .text._ZN8ptebench9cg_kernel9zap_rangeINS0_6X86_64ENS0_5PlainEEEmRNS0_2MmIT_EE:

0000000000000000 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
   0:	endbr64
   4:	cmpq   $0x0,(%rdi)    # some comment
   8:	je     14 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(...)+0x14>
   a:	call   f <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(...)+0xf>
			b: R_X86_64_PLT32	ptebench::cg_kernel::check_pte<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(unsigned long const*)-0x4
   f:	call   14 <x+0x14>
			10: R_X86_64_PC32	.text+0x9ac
  14:	ret

0000000000000100 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
 100:	endbr64
 104:	mov    (%rdi),%rax
 107:	test   %rax,%rax
 10a:	je     116 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(...)+0x16>
 10c:	call   111 <y+0x11>
			10d: R_X86_64_PLT32	ptebench::cg_kernel::check_pte<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(unsigned long const*)-0x4
 111:	call   116 <y+0x16>
			112: R_X86_64_PC32	.text+0xafc
 116:	ret

0000000000000200 <ptebench::cg_kernel::MmuGather::flush()>:
 200:	ret
)";

const char* const kArm64 = R"(
0000000000000000 <auto ptebench::cg_kernel::reclaim_walk<ptebench::cg_kernel::Arm64, ptebench::cg_kernel::Plain>(int)>:
   0:	paciasp
   4:	ldr	x1, [x0]
   8:	tbz	w1, #10, 14 <auto ptebench::cg_kernel::reclaim_walk<ptebench::cg_kernel::Arm64, ptebench::cg_kernel::Plain>(int)+0x14>
   c:	cas	x1, x2, [x0]
  10:	b.ne	4 <auto ptebench::cg_kernel::reclaim_walk<ptebench::cg_kernel::Arm64, ptebench::cg_kernel::Plain>(int)+0x4>
  14:	autiasp
  18:	ret

0000000000000040 <auto ptebench::cg_kernel::reclaim_walk<ptebench::cg_kernel::Arm64, ptebench::cg_kernel::ArchContpteT<ptebench::cg_kernel::RawReadOnce> >(int)>:
  40:	paciasp
  44:	ldr	x1, [x0]
  48:	tbz	w1, #10, 54 <x+0x14>
  4c:	cas	x1, x2, [x0]
  50:	b.ne	44 <x+0x4>
  54:	autiasp
  58:	ret
)";

}  // namespace

TEST_CASE("objdump text parses into functions of normalised instructions", "[codegen]") {
  const std::vector<cg::Function> fns = cg::parse_objdump(kX86);
  REQUIRE(fns.size() == 3);
  CHECK(fns[2].name == "ptebench::cg_kernel::MmuGather::flush()");
  const std::vector<std::string> want_plain = {
      "endbr64",
      "cmpq $0x0,(%rdi)",
      "je .+0x14",
      "call ; R_X86_64_PLT32 ptebench::cg_kernel::check_pte<ptebench::cg_kernel::X86_64, "
      "ptebench::cg_kernel::POLICY>(unsigned long const*)-0x4",
      "call ; R_X86_64_PC32 .text",
      "ret"};
  CHECK(fns[0].insns == want_plain);
  // Branch targets are relative to the function, so the ReadOnce copy at 0x100 lines up.
  CHECK(fns[1].insns[3] == "je .+0x16");
}

TEST_CASE("a walker's code is found by its format and policy - the diff counts what differs",
          "[codegen]") {
  const std::vector<cg::Function> fns = cg::parse_objdump(kX86);
  const auto plain = cg::walker_code(fns, "zap_range", "X86_64", cg::Policy::plain);
  const auto read_once = cg::walker_code(fns, "zap_range", "X86_64", cg::Policy::read_once);
  CHECK(plain.size() == 6);
  CHECK(read_once.size() == 7);
  CHECK(cg::walker_code(fns, "zap_range", "Arm64", cg::Policy::plain).empty());
  CHECK(cg::walker_code(fns, "copy_range", "X86_64", cg::Policy::plain).empty());
  const cg::Diff d = cg::diff(plain, read_once);
  CHECK_FALSE(d.same());
  // cmpq $0,(%rdi); je +0x14 | mov; test; je +0x16 — the calls and ret are equal after
  // normalisation (policy erased from the callee, section offset dropped).
  CHECK(d.only_a == 2);
  CHECK(d.only_b == 3);
  CHECK(cg::diff(plain, plain).same());
}

TEST_CASE("aarch64: the same code under two policies at two addresses is the same", "[codegen]") {
  const std::vector<cg::Function> fns = cg::parse_objdump(kArm64);
  REQUIRE(fns.size() == 2);
  const auto plain = cg::walker_code(fns, "reclaim_walk", "Arm64", cg::Policy::plain);
  const auto arch = cg::walker_code(fns, "reclaim_walk", "Arm64", cg::Policy::arch);
  REQUIRE(plain.size() == 7);
  CHECK(plain[2] == "tbz w1, #10, .+0x14");  // '#' is an immediate on aarch64, not a comment
  CHECK(plain[4] == "b.ne .+0x4");
  CHECK(cg::diff(plain, arch).same());
  CHECK(cg::walker_code(fns, "reclaim_walk", "Arm64", cg::Policy::read_once).empty());
}

namespace {

// A walker whose own code is the same under both policies, and the out-of-line
// folio_pte_batch() it calls, whose loop folds the load into the compare under plain only.
const char* const kHelper = R"(
0000000000000000 <unsigned long ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(int)>:
   0:	endbr64
   4:	call   9 <x+0x9>
			5: R_X86_64_PLT32	ptebench::cg_kernel::folio_pte_batch<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(unsigned long*)-0x4
   9:	ret

0000000000000040 <unsigned long ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(int)>:
  40:	endbr64
  44:	call   49 <y+0x9>
			45: R_X86_64_PLT32	ptebench::cg_kernel::folio_pte_batch<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(unsigned long*)-0x4
  49:	ret

0000000000000080 <unsigned int ptebench::cg_kernel::folio_pte_batch<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(unsigned long*)>:
  80:	cmp    (%rdi),%rsi
  83:	ret

00000000000000c0 <unsigned int ptebench::cg_kernel::folio_pte_batch<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(unsigned long*)>:
  c0:	mov    (%rdi),%rax
  c3:	cmp    %rax,%rsi
  c6:	ret

0000000000000100 <unsigned long ptebench::cg_kernel::copy_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(int)>:
 100:	ret

0000000000000140 <unsigned long ptebench::cg_kernel::copy_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(int)>:
 140:	ret
)";

}  // namespace

TEST_CASE("a walker's code includes the out-of-line helpers it calls with its policy",
          "[codegen]") {
  const std::vector<cg::Function> fns = cg::parse_objdump(kHelper);
  // The walkers alone are the same code: the call's callee is compared with the policy erased.
  CHECK(cg::diff(cg::walker_code(fns, "zap_range", "X86_64", cg::Policy::plain),
                 cg::walker_code(fns, "zap_range", "X86_64", cg::Policy::read_once))
            .same());
  bool inlined = true;
  const auto plain = cg::unit_or_run(fns, "zap_range", "X86_64", cg::Policy::plain, &inlined);
  CHECK_FALSE(inlined);
  const auto read_once =
      cg::unit_or_run(fns, "zap_range", "X86_64", cg::Policy::read_once, &inlined);
  // The walker's 3 instructions, then folio_pte_batch()'s.
  CHECK(plain.size() == 5);
  CHECK(read_once.size() == 6);
  const cg::Diff d = cg::diff(plain, read_once);
  CHECK(d.only_a == 1);  // cmp (%rdi),%rsi
  CHECK(d.only_b == 2);  // mov (%rdi),%rax; cmp %rax,%rsi
  // copy_range calls no out-of-line helper: the folio_pte_batch() in the text is not its code.
  CHECK(cg::out_of_line_helpers("copy_range").empty());
  CHECK(cg::diff(cg::unit_or_run(fns, "copy_range", "X86_64", cg::Policy::plain, &inlined),
                 cg::unit_or_run(fns, "copy_range", "X86_64", cg::Policy::read_once, &inlined))
            .same());
  CHECK(cg::out_of_line_helpers("reclaim_rmap") ==
        std::vector<std::string_view>{"check_pte", "folio_pte_batch"});
}

TEST_CASE("a function of plain or read_once that no walker's code holds is named", "[codegen]") {
  const std::vector<std::string> walkers = {"copy_range", "zap_range"};
  // folio_pte_batch() is zap_range's helper: every function of kHelper is some walker's.
  CHECK(cg::unattributed(cg::parse_objdump(kHelper), walkers).empty());
  // Without zap_range, its code and its helper's are nobody's.
  const std::vector<std::string> orphans =
      cg::unattributed(cg::parse_objdump(kHelper), {"copy_range"});
  REQUIRE(orphans.size() == 4);
  CHECK(orphans[2].find("folio_pte_batch<ptebench::cg_kernel::X86_64, "
                        "ptebench::cg_kernel::Plain>") != std::string::npos);
  // A helper no list names, and a function of arch (not compared against plain here: not named).
  const std::string more = std::string(kHelper) + R"(
0000000000000180 <bool ptebench::cg_kernel::new_helper<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(unsigned long*)>:
 180:	ret

00000000000001c0 <bool ptebench::cg_kernel::new_helper<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ArchShadow>(unsigned long*)>:
 1c0:	ret
)";
  const std::vector<std::string> found = cg::unattributed(cg::parse_objdump(more), walkers);
  REQUIRE(found.size() == 1);
  CHECK(found[0] ==
        "bool ptebench::cg_kernel::new_helper<ptebench::cg_kernel::X86_64, "
        "ptebench::cg_kernel::ReadOnce>(unsigned long*)");
}
