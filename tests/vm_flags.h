// The VmFlags of this process's mappings (/proc/self/smaps), for tests of memory advice:
// "hg" is MADV_HUGEPAGE (proc(5)).
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace ptebench::test {

// Whether the mapping that holds `address` carries VmFlags `flag` (false if no mapping does).
inline bool has_vm_flag(std::uintptr_t address, const std::string& flag) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= address && address < to;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      std::istringstream words(line.substr(8));
      std::string word;
      while (words >> word)
        if (word == flag) return true;
      return false;
    }
  }
  return false;
}

}  // namespace ptebench::test
