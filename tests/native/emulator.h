// Whether the tests run under a user-mode emulator, and which: the arm64 toolchain file
// (cmake/toolchains/aarch64-linux-gnu.cmake) starts every test as `qemu-aarch64 -E
// PTEBENCH_EMULATOR=qemu-user ...`. There the kernel sees qemu, not the test: /proc/self/smaps
// lists qemu's own VMAs (which may merge a guest mapping with its neighbours), and qemu-user
// 7.2 answers madvise() advice other than MADV_DONTNEED with success without passing it on.
// Checks that rest on either SKIP there, with the reason; they run natively.
#pragma once

#include <cstdlib>
#include <string>

namespace ptebench::native::test {

// The emulator's name, or "" when the tests run natively.
inline std::string emulator_name() {
  const char* name = std::getenv("PTEBENCH_EMULATOR");
  return name == nullptr ? std::string() : std::string(name);
}

}  // namespace ptebench::native::test
