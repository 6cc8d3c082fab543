#include "workloads/fresh_memory.h"

#include <sys/mman.h>

#include <vector>

#include "workloads/check.h"

namespace ptebench {
namespace {

struct Parked {
  std::byte* data;
  std::size_t size_bytes;
};

std::vector<Parked>& parked() {
  static std::vector<Parked> list;
  return list;
}

}  // namespace

FreshMemory::FreshMemory(std::size_t bytes) : size_bytes_((bytes + 4095) & ~std::size_t{4095}) {
  PTEBENCH_CHECK(bytes > 0, "a non-empty mapping");
  std::vector<Parked>& list = parked();
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (it->size_bytes != size_bytes_) continue;
    data_ = it->data;
    list.erase(it);
    return;
  }
  void* p =
      ::mmap(nullptr, size_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  PTEBENCH_CHECK(p != MAP_FAILED, "walk memory mapped");
  // Advice only: a kernel without THP refuses it, and then there are no huge pages anyway.
  (void)::madvise(p, size_bytes_, MADV_NOHUGEPAGE);
  data_ = static_cast<std::byte*>(p);
}

FreshMemory::~FreshMemory() {
  parked().push_back({data_, size_bytes_});
}

std::size_t release_parked_memory() {
  std::vector<Parked>& list = parked();
  const std::size_t n = list.size();
  for (const Parked& m : list) ::munmap(m.data, m.size_bytes);
  list.clear();
  return n;
}

std::size_t parked_memory_count() {
  return parked().size();
}

}  // namespace ptebench
