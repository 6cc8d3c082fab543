// A simulated 4-level page table (PGD -> PUD -> PMD -> PTE, 512 entries a level, 4 KiB pages)
// for one mm. Upper-level entries hold the address of the next table with bit 0 as "present"
// (the format of upper levels is the same for both PTE formats: the variants differ only in how
// the last level is read). PTE tables of a format with a shadow (x86_64, see deref.h
// ArchShadow) are two pages: the entries, then the shadow words at the same index.
#pragma once

#include <cstddef>
#include <cstdint>

#include "workloads/check.h"
#include "workloads/codegen_ns.h"
#include "workloads/table_pool.h"

namespace ptebench {

inline constexpr unsigned kPtrsPerTable = 512;
inline constexpr unsigned kPageShift = 12;
inline constexpr std::uint64_t kPageSize = std::uint64_t{1} << kPageShift;
inline constexpr unsigned kPmdShift = 21;
inline constexpr unsigned kPudShift = 30;
inline constexpr unsigned kPgdShift = 39;
inline constexpr std::uint64_t kPmdSize = std::uint64_t{1} << kPmdShift;
inline constexpr std::uint64_t kPudSize = std::uint64_t{1} << kPudShift;
inline constexpr std::uint64_t kPgdSize = std::uint64_t{1} << kPgdShift;

inline constexpr unsigned pgd_index(std::uint64_t addr) {
  return (addr >> kPgdShift) & 511;
}
inline constexpr unsigned pud_index(std::uint64_t addr) {
  return (addr >> kPudShift) & 511;
}
inline constexpr unsigned pmd_index(std::uint64_t addr) {
  return (addr >> kPmdShift) & 511;
}
inline constexpr unsigned pte_index(std::uint64_t addr) {
  return (addr >> kPageShift) & 511;
}
// pmd_addr_end() and friends: the end of the current table's span, clamped to `end`.
inline constexpr std::uint64_t addr_end(std::uint64_t addr, std::uint64_t end, std::uint64_t size) {
  const std::uint64_t boundary = (addr + size) & ~(size - 1);
  return (boundary - 1 < end - 1) ? boundary : end;
}

inline namespace PTEBENCH_CODEGEN_NS {

template <class F>
class PageTable {
 public:
  using pte_t = typename F::pte_t;
  using entry_t = std::uint64_t;  // an upper-level entry
  static constexpr std::size_t kPteTableBytes = F::kHasShadow ? 2 * kPageSize : kPageSize;

  PageTable(TablePool& upper_pool, TablePool& pte_pool)
      : upper_pool_(upper_pool), pte_pool_(pte_pool) {
    PTEBENCH_CHECK(pte_pool.slot_bytes() == kPteTableBytes, "PTE pool slot fits the format");
    pgd_ = static_cast<entry_t*>(upper_pool_.alloc());
  }
  ~PageTable() {
    free_range(0, kPgdSize * kPtrsPerTable);
    upper_pool_.free(pgd_);
  }
  PageTable(const PageTable&) = delete;
  PageTable& operator=(const PageTable&) = delete;

  entry_t* pgd() const { return pgd_; }

  // pXd_offset(): the entry of the next level for `addr`, read with READ_ONCE as the kernel's
  // pXdp_get() does; nullptr where the level is not populated (pXd_none()).
  static entry_t* next_table(const entry_t* entryp) {
    const entry_t e = *static_cast<const volatile entry_t*>(entryp);
    return (e & 1) ? reinterpret_cast<entry_t*>(e & ~entry_t{1}) : nullptr;
  }

  // The walk from the root to the PTE of `addr` (page_vma_mapped_walk()'s descent):
  // four dependent loads. nullptr if a level is missing.
  pte_t* pte_offset(std::uint64_t addr) const {
    entry_t* pud = next_table(pgd_ + pgd_index(addr));
    if (!pud) return nullptr;
    entry_t* pmd = next_table(pud + pud_index(addr));
    if (!pmd) return nullptr;
    entry_t* pte = next_table(pmd + pmd_index(addr));
    if (!pte) return nullptr;
    return reinterpret_cast<pte_t*>(pte) + pte_index(addr);
  }

  // The PMD entry covering `addr`, allocating the PUD and PMD tables on the way
  // (pud_alloc()/pmd_alloc()).
  entry_t* pmd_alloc(std::uint64_t addr) {
    entry_t* pud = populate(pgd_ + pgd_index(addr), upper_pool_);
    entry_t* pmd = populate(pud + pud_index(addr), upper_pool_);
    return pmd + pmd_index(addr);
  }

  // pte_alloc(): the PTE table behind a PMD entry, allocated and zeroed if missing.
  pte_t* pte_alloc(entry_t* pmdp) { return reinterpret_cast<pte_t*>(populate(pmdp, pte_pool_)); }

  // The table sizes in use: PTE tables and upper-level tables (including the PGD).
  std::size_t pte_tables() const { return pte_tables_; }
  std::size_t upper_tables() const { return upper_tables_ + 1; }

  // free_pgd_range() for [addr, end) with no neighbouring mappings (floor 0, ceiling the top of
  // the address space, as munmap's free_pgtables() passes for a lone VMA): every PTE table
  // under the range is freed, then each PMD and PUD table that has nothing left under it. Returns
  // the tables freed per level {pte, pmd, pud}. Not called in any per-entry loop.
  struct Freed {
    std::size_t pte = 0, pmd = 0, pud = 0;
    bool operator==(const Freed&) const = default;
  };
  Freed free_range(std::uint64_t addr, std::uint64_t end) {
    Freed freed;
    for (std::uint64_t a = addr, next; a != end; a = next) {
      next = addr_end(a, end, kPgdSize);
      entry_t* pgdp = pgd_ + pgd_index(a);
      entry_t* pud = next_table(pgdp);
      if (!pud) continue;
      for (std::uint64_t b = a, bnext; b != next; b = bnext) {
        bnext = addr_end(b, next, kPudSize);
        entry_t* pudp = pud + pud_index(b);
        entry_t* pmd = next_table(pudp);
        if (!pmd) continue;
        for (std::uint64_t c = b, cnext; c != bnext; c = cnext) {
          cnext = addr_end(c, bnext, kPmdSize);
          entry_t* pmdp = pmd + pmd_index(c);
          if (entry_t* pte = next_table(pmdp)) {  // free_pte_range(): pmd_clear + pte_free_tlb
            *pmdp = 0;
            pte_pool_.free(pte);
            --pte_tables_;
            ++freed.pte;
          }
        }
        if (table_empty(pmd)) {  // free_pmd_range()
          *pudp = 0;
          upper_pool_.free(pmd);
          --upper_tables_;
          ++freed.pmd;
        }
      }
      if (table_empty(pud)) {  // free_pud_range()
        *pgdp = 0;
        upper_pool_.free(pud);
        --upper_tables_;
        ++freed.pud;
      }
    }
    return freed;
  }

 private:
  entry_t* populate(entry_t* entryp, TablePool& pool) {
    if (entry_t* t = next_table(entryp)) return t;
    void* table = pool.alloc();
    *entryp = reinterpret_cast<entry_t>(table) | 1;
    if (&pool == &pte_pool_)
      ++pte_tables_;
    else
      ++upper_tables_;
    return static_cast<entry_t*>(table);
  }
  static bool table_empty(const entry_t* table) {
    for (unsigned i = 0; i < kPtrsPerTable; ++i)
      if (table[i] != 0) return false;
    return true;
  }

  TablePool& upper_pool_;
  TablePool& pte_pool_;
  entry_t* pgd_;
  std::size_t pte_tables_ = 0;
  std::size_t upper_tables_ = 0;
};

}  // namespace PTEBENCH_CODEGEN_NS
}  // namespace ptebench
