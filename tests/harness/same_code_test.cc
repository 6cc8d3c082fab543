// harness/same_code: which variants are the same machine code as plain, from literal
// disassembly of a linked executable (no relocations: calls by name, RIP-relative operands by
// the address they reach), per codegen profile.
#include "harness/same_code.h"

#include <catch2/catch.hpp>

namespace cg = ptebench::codegen;

namespace {

// zap_range x86_64, kernel profile: read_once is plain's code at another address (its call to
// its own instance of a helper and its RIP-relative load differ only in displacement and
// address); arch differs in one instruction. The user profile's plain differs from its
// read_once. objdump -d -C --no-show-raw-insn, binutils 2.40.
const char* const kLinked = R"(
/work/build/bench/ptebench:     file format elf64-x86-64


Disassembly of section .text:

00000000000b1250 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
   b1250:	endbr64
   b1254:	mov    (%rdi),%rax
   b1257:	lea    0x26379(%rip),%r9        # d75d0 <msg+0x10>
   b125e:	test   %rax,%rax
   b1261:	je     b126b <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const+0x1b>
   b1263:	call   b2000 <ptebench::cg_kernel::check_pte<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::Plain>(unsigned long const*)>
   b1268:	call   9330 <abort@plt>
   b126b:	ret

00000000000b1300 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
   b1300:	endbr64
   b1304:	mov    (%rdi),%rax
   b1307:	lea    0x262c9(%rip),%r9        # d75d0 <msg+0x10>
   b130e:	test   %rax,%rax
   b1311:	je     b131b <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const+0x1b>
   b1313:	call   b2100 <ptebench::cg_kernel::check_pte<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ReadOnce>(unsigned long const*)>
   b1318:	call   9330 <abort@plt>
   b131b:	ret

00000000000b1400 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ArchShadow>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
   b1400:	endbr64
   b1404:	cmpq   $0x0,(%rdi)
   b1408:	lea    0x261c2(%rip),%r9        # d75d0 <msg+0x10>
   b140f:	je     b1419 <auto ptebench::cg_kernel::zap_range<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ArchShadow>(ptebench::cg_kernel::Mm<ptebench::cg_kernel::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const+0x19>
   b1411:	call   b2200 <ptebench::cg_kernel::check_pte<ptebench::cg_kernel::X86_64, ptebench::cg_kernel::ArchShadow>(unsigned long const*)>
   b1416:	call   9330 <abort@plt>
   b1419:	ret

00000000000c1250 <auto ptebench::cg_user::zap_range<ptebench::cg_user::X86_64, ptebench::cg_user::Plain>(ptebench::cg_user::Mm<ptebench::cg_user::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
   c1250:	mov    (%rdi),%rax
   c1253:	ret

00000000000c1300 <auto ptebench::cg_user::zap_range<ptebench::cg_user::X86_64, ptebench::cg_user::ReadOnce>(ptebench::cg_user::Mm<ptebench::cg_user::X86_64>&)::{lambda(auto:1*)#1}::operator()(unsigned long*) const>:
   c1300:	mov    (%rdi),%rax
   c1303:	mov    %rax,%rdx
   c1306:	ret

00000000000d0000 <ptebench::cg_kernel::MmuGather::flush()>:
   d0000:	ret
)";

}  // namespace

TEST_CASE("same_code_pairs: linked code compared per profile, calls by name", "[same_code]") {
  const cg::SameCodeMap same = cg::same_code_pairs(kLinked);
  using K = cg::SameCodeKey;
  REQUIRE(same.count(K{"zap_range", "x86_64", "kernel", "read_once"}) == 1);
  CHECK(same.at(K{"zap_range", "x86_64", "kernel", "read_once"}));
  REQUIRE(same.count(K{"zap_range", "x86_64", "kernel", "arch"}) == 1);
  CHECK_FALSE(same.at(K{"zap_range", "x86_64", "kernel", "arch"}));
  // The user profile's functions are compared with each other only.
  REQUIRE(same.count(K{"zap_range", "x86_64", "user", "read_once"}) == 1);
  CHECK_FALSE(same.at(K{"zap_range", "x86_64", "user", "read_once"}));
  // No code found: nothing is known (no entry, so no mark).
  CHECK(same.count(K{"zap_range", "x86_64", "user", "arch"}) == 0);
  CHECK(same.count(K{"zap_range", "arm64", "kernel", "read_once"}) == 0);
  CHECK(same.count(K{"copy_range", "x86_64", "kernel", "read_once"}) == 0);
  CHECK(same.size() == 3);
}

TEST_CASE("same_code_pairs: a load from another address is different code", "[same_code]") {
  std::string text = kLinked;
  // read_once's RIP-relative load now reaches another address.
  const std::string from = "lea    0x262c9(%rip),%r9        # d75d0";
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), "lea    0x262c9(%rip),%r9        # d75e0");
  CHECK_FALSE(
      cg::same_code_pairs(text).at(cg::SameCodeKey{"zap_range", "x86_64", "kernel", "read_once"}));
}

TEST_CASE("same_code_pairs: no walker in the text gives no marks", "[same_code]") {
  CHECK(cg::same_code_pairs("").empty());
  CHECK(cg::same_code_pairs("0000000000001000 <main>:\n    1000:\tret\n").empty());
}

TEST_CASE("walker_of_workload", "[same_code]") {
  CHECK(cg::walker_of_workload("munmap") == "zap_range");
  CHECK(cg::walker_of_workload("reclaim_rmap") == "reclaim_rmap");
  CHECK(cg::walker_of_workload("native_fork").empty());
}
