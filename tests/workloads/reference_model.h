// An independent, deliberately simple model of what each synthetic walker does, for the
// equivalence tests: given a LayoutImage, it computes the Snapshot that a walker x variant must
// leave behind. It shares nothing with workloads/ but the data types it reads and writes
// (LayoutImage in; Snapshot, PageState and the page_flag encoding out):
//   - entries live in a flat vector indexed like the image (entry i maps start_addr + i * 4 KiB);
//     there is no page-table tree, only a "populated" bit per 512-entry chunk (one PTE table);
//   - the PTE bit helpers below are written afresh from the kernel headers
//     (arch/x86/include/asm/pgtable_types.h, pgtable.h; arch/arm64/include/asm/pgtable-hwdef.h,
//     pgtable-prot.h, pgtable.h), as plain functions switching on the format;
//   - each walker is a straight loop written from the kernel function it mirrors (mm/memory.c
//     copy_present_ptes() and zap_present_ptes(), mm/rmap.c folio_referenced_one(), mm/vmscan.c
//     walk_pte_range(), mm/swap.c folio_mark_accessed(); linux-mm, see workloads/FIDELITY.md),
//     including the folio batching of mainline: a large folio's consecutive entries form one
//     batch (folio_pte_batch(): same frame sequence, same bits but for young, dirty,
//     soft-dirty and write), handled with the nr-entry helpers. What the helpers do is spelled
//     out per variant: plain and read_once use the generic ones of include/linux/pgtable.h;
//     arch on arm64 is the contpte override (arch/arm64/include/asm/pgtable.h,
//     arch/arm64/mm/contpte.c: gather, try_unfold(_partial), contpte_set_ptes(),
//     contpte_test_and_clear_young_ptes() widening to whole blocks); arch on x86_64 is the
//     shadow override as DESIGN.md defines it.
// A large folio's state lives in its head page (PageState::head_offset, nr_pages).
// The model is sequential and ignores mmu_gather flush points and rss batching: only the final
// state is compared, and it does not depend on when a gather batch was flushed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "workloads/layout_image.h"
#include "workloads/page.h"
#include "workloads/walk.h"

namespace ptebench::reference {

enum class Format { x86_64, arm64 };

inline constexpr std::uint64_t bit(int n) {
  return std::uint64_t{1} << n;
}
// Bits [lo, hi] set.
inline constexpr std::uint64_t bits(int lo, int hi) {
  return (hi == 63 ? ~std::uint64_t{0} : (bit(hi + 1) - 1)) & ~(bit(lo) - 1);
}

// arch/x86/include/asm/pgtable_types.h: _PAGE_BIT_PRESENT 0, _RW 1, _USER 2, _ACCESSED 5,
// _DIRTY 6, _SOFTW1 9 (= _SPECIAL), _SOFTW2 10 (= _UFFD_WP), _SOFTW3 11 (= _SOFT_DIRTY),
// _SOFTW5 58 (= _SAVED_DIRTY, x86_64 only), _NX 63;
// PTE_PFN_MASK covers bits 12..51 (__PHYSICAL_MASK_SHIFT 52).
namespace x86 {
inline constexpr std::uint64_t kPresent = bit(0), kRw = bit(1), kUser = bit(2), kAccessed = bit(5),
                               kDirty = bit(6), kSpecial = bit(9), kUffdWp = bit(10),
                               kSoftDirty = bit(11), kSavedDirty = bit(58), kNx = bit(63),
                               kPfn = bits(12, 51);
}  // namespace x86

// arch/arm64/include/asm/pgtable-hwdef.h and pgtable-prot.h, 4K granule, 48-bit PA:
// PTE_VALID 0, PTE_TYPE_PAGE bit 1, PTE_USER 6 (AP[1]), PTE_RDONLY 7 (AP[2]), PTE_AF 10,
// PTE_NG 11, PTE_ADDR_LOW bits 12..49, PTE_DBM = PTE_WRITE 51, PTE_CONT 52, PTE_PXN 53,
// PTE_UXN 54, PTE_DIRTY (software) 55, PTE_SPECIAL 56; CONT_PTES = 16.
namespace arm {
inline constexpr std::uint64_t kValid = bit(0), kTypePage = bit(1), kUser = bit(6),
                               kRdonly = bit(7), kAf = bit(10), kNg = bit(11), kDbm = bit(51),
                               kCont = bit(52), kPxn = bit(53), kUxn = bit(54), kSwDirty = bit(55),
                               kSpecial = bit(56), kPfn = bits(12, 49);
inline constexpr unsigned kContPtes = 16;
}  // namespace arm

// The PTE helpers the walkers use, for one format.
struct Pte {
  Format fmt;

  bool x86() const { return fmt == Format::x86_64; }
  static bool none(std::uint64_t v) { return v == 0; }  // pte_none(): !pte_val()
  bool present(std::uint64_t v) const { return (v & (x86() ? x86::kPresent : arm::kValid)) != 0; }
  std::uint64_t young_bit() const { return x86() ? x86::kAccessed : arm::kAf; }
  bool young(std::uint64_t v) const { return (v & young_bit()) != 0; }
  bool write(std::uint64_t v) const { return (v & (x86() ? x86::kRw : arm::kDbm)) != 0; }
  bool special(std::uint64_t v) const { return (v & (x86() ? x86::kSpecial : arm::kSpecial)) != 0; }
  // arm64 pte_hw_dirty(): pte_write() && !PTE_RDONLY.
  static bool hw_dirty_arm(std::uint64_t v) { return (v & arm::kDbm) && !(v & arm::kRdonly); }
  // x86 pte_dirty(): _PAGE_DIRTY_BITS (Dirty or saved-dirty); arm64 pte_dirty():
  // pte_sw_dirty() || pte_hw_dirty().
  bool dirty(std::uint64_t v) const {
    if (x86()) return (v & (x86::kDirty | x86::kSavedDirty)) != 0;
    return (v & arm::kSwDirty) || hw_dirty_arm(v);
  }
  // arm64 pte_valid_cont(); x86_64 has no contiguous bit.
  bool valid_cont(std::uint64_t v) const { return !x86() && (v & arm::kValid) && (v & arm::kCont); }
  std::uint64_t pfn(std::uint64_t v) const { return (v & (x86() ? x86::kPfn : arm::kPfn)) >> 12; }

  std::uint64_t mkold(std::uint64_t v) const { return v & ~young_bit(); }
  std::uint64_t mkyoung(std::uint64_t v) const { return v | young_bit(); }
  // x86 pte_mksaveddirty(): a read-only entry keeps its Dirty in saved-dirty instead.
  static std::uint64_t saveddirty_x86(std::uint64_t v) {
    if ((v & x86::kRw) || !(v & x86::kDirty)) return v;
    return (v & ~x86::kDirty) | x86::kSavedDirty;
  }
  // x86 pte_mkdirty(): _PAGE_DIRTY | _PAGE_SOFT_DIRTY, then pte_mksaveddirty(). arm64:
  // PTE_DIRTY, and a writable entry loses PTE_RDONLY.
  std::uint64_t mkdirty(std::uint64_t v) const {
    if (x86()) return saveddirty_x86(v | x86::kDirty | x86::kSoftDirty);
    v |= arm::kSwDirty;
    return (v & arm::kDbm) ? (v & ~arm::kRdonly) : v;
  }
  // x86 pte_wrprotect(): clear _PAGE_RW, then pte_mksaveddirty(). arm64: a hardware-dirty entry
  // becomes sw-dirty, then PTE_WRITE is cleared and PTE_RDONLY set.
  std::uint64_t wrprotect(std::uint64_t v) const {
    if (x86()) return saveddirty_x86(v & ~x86::kRw);
    if (hw_dirty_arm(v)) v |= arm::kSwDirty;
    return (v & ~arm::kDbm) | arm::kRdonly;
  }
  // x86 pte_mkwrite_novma(): set RW; saved-dirty moves back to Dirty. arm64: set PTE_WRITE,
  // clear PTE_RDONLY only when sw-dirty.
  std::uint64_t mkwrite(std::uint64_t v) const {
    if (x86()) {
      v |= x86::kRw;
      return (v & x86::kSavedDirty) ? ((v & ~x86::kSavedDirty) | x86::kDirty) : v;
    }
    v |= arm::kDbm;
    return (v & arm::kSwDirty) ? (v & ~arm::kRdonly) : v;
  }
  bool cont(std::uint64_t v) const { return !x86() && (v & arm::kCont); }
  // __pte_batch_clear_ignored() with no FPB_RESPECT_* flag: what two entries of one batch must
  // share (the frame aside): everything but dirty (both kinds), soft-dirty, write and young.
  std::uint64_t batch_key(std::uint64_t v) const {
    if (x86())
      return v & ~(x86::kDirty | x86::kSavedDirty | x86::kSoftDirty | x86::kRw | x86::kAccessed |
                   x86::kPfn);
    return (v & ~(arm::kSwDirty | arm::kDbm | arm::kRdonly | arm::kAf | arm::kPfn));
  }
};

inline Format format_of(const LayoutImage& image) {
  return image.format == "x86_64" ? Format::x86_64 : Format::arm64;
}

// The model of one mm over the image's range, for one variant.
class Model {
 public:
  Model(const LayoutImage& image, VariantKind variant)
      : img_(image),
        f_{format_of(image)},
        variant_(variant),
        pte_(image.entries),
        shadow_(f_.x86() ? image.shadow : std::vector<std::uint64_t>{}),
        pages_(image.pages) {
    const std::uint64_t chunks = (image.ptes + 511) / 512;
    populated_.assign(chunks, false);
    for (std::uint64_t i = 0; i < image.ptes; ++i)
      if (!Pte::none(pte_[i])) populated_[i / 512] = true;
    // rss: one count per mapped normal page, by its anon flag.
    for (std::uint64_t i = 0; i < image.ptes; ++i) {
      const std::uint64_t v = pte_[i];
      if (Pte::none(v) || f_.special(v)) continue;
      ((folio(v).flags & page_flag::kAnon) ? rss_anon_ : rss_file_) += 1;
    }
  }

  // Runs `walker` once on the initial state. new_gen is the MGLRU generation reclaim_walk
  // writes (the Walk's count of reset() calls: 1 for a fresh walk).
  Snapshot run(WalkerKind walker, std::uint32_t new_gen = 1) {
    switch (walker) {
      case WalkerKind::copy_range:
        copy_range();
        break;
      case WalkerKind::zap_range:
        result_ = zap_range();
        break;
      case WalkerKind::munmap:
        result_ = zap_range();
        free_pgtables();
        break;
      case WalkerKind::reclaim_rmap:
        result_ = reclaim_rmap();
        break;
      case WalkerKind::reclaim_walk:
        result_ = reclaim_walk(new_gen);
        break;
      case WalkerKind::none_scan:
        result_ = none_scan();
        break;
    }
    return snapshot(walker);
  }

 private:
  bool arch() const { return variant_ == VariantKind::arch; }
  bool populated(std::uint64_t i) const { return populated_[i / 512]; }
  std::uint64_t raw_shadow(std::uint64_t i) const { return f_.x86() ? shadow_[i] : 0; }

  // vm_normal_page() for a present entry that is not special: the page index pfn - base_pfn.
  std::uint64_t page_index(std::uint64_t v) const {
    const std::uint64_t idx = f_.pfn(v) - img_.base_pfn;
    if (idx >= pages_.size()) {
      std::fprintf(stderr, "reference model: normal entry 0x%llx maps pfn outside the memmap\n",
                   static_cast<unsigned long long>(v));
      std::abort();
    }
    return idx;
  }
  // page_folio(): the index of the folio's head page.
  std::uint64_t folio_index(std::uint64_t v) const {
    const std::uint64_t idx = page_index(v);
    return idx - pages_[idx].head_offset;
  }
  PageState& folio(std::uint64_t v) { return pages_[folio_index(v)]; }

  // The first index of i's 16-entry contpte block (blocks are naturally aligned in the address
  // space, and start_addr is 2 MiB aligned, so aligning the index aligns the address).
  static std::uint64_t block_of(std::uint64_t i) { return i & ~std::uint64_t{arm::kContPtes - 1}; }
  std::uint64_t at(std::uint64_t j) const { return j < pte_.size() ? pte_[j] : 0; }
  bool contpte() const { return arch() && !f_.x86(); }
  bool shadow() const { return arch() && f_.x86(); }
  // The index one past the PTE table (512-entry chunk) holding i, clamped to the range.
  std::uint64_t table_end(std::uint64_t i) const {
    const std::uint64_t e = (i / 512 + 1) * 512;
    return e < pte_.size() ? e : pte_.size();
  }

  // The shadow override (DESIGN.md, deref.h ArchShadow): young/dirty from the shadow word are
  // ORed in, the software bits uffd-wp and soft-dirty are hidden; a none entry reads none.
  std::uint64_t shadow_merge(std::uint64_t v, std::uint64_t s) const {
    if (Pte::none(v)) return v;
    return (v | (s & (x86::kAccessed | x86::kDirty))) & ~(x86::kUffdWp | x86::kSoftDirty);
  }

  // ptep_get() as the variant reads it. contpte_ptep_get()'s early exit changes how many
  // entries it reads, never the result: the young and dirty state of the whole block.
  std::uint64_t read(std::uint64_t i) const {
    const std::uint64_t v = pte_[i];
    if (!arch()) return v;  // plain and read_once: the entry as stored
    if (f_.x86()) return shadow_merge(v, shadow_[i]);
    if (!f_.valid_cont(v)) return v;
    std::uint64_t out = v;
    for (std::uint64_t j = block_of(i); j < block_of(i) + arm::kContPtes; ++j) {
      if (f_.dirty(at(j))) out = f_.mkdirty(out);
      if (f_.young(at(j))) out = f_.mkyoung(out);
    }
    return out;
  }

  // folio_pte_batch() for the folio behind v = the entry at i: how many entries from i, at most
  // max_nr and at most to the folio's last frame, map the next frames with the same other bits.
  // The arch hint skips reading entries but never changes the length on a consistent block.
  std::uint64_t batch_len(std::uint64_t i, std::uint64_t v, std::uint64_t max_nr) const {
    const std::uint64_t head = folio_index(v);
    const std::uint64_t folio_end_pfn = img_.base_pfn + head + pages_[head].nr_pages;
    const std::uint64_t left = folio_end_pfn - f_.pfn(v);
    if (left < max_nr) max_nr = left;
    std::uint64_t nr = 1;
    while (nr < max_nr) {
      const std::uint64_t w = pte_[i + nr];
      if (!f_.present(w) || f_.pfn(w) != f_.pfn(v) + nr || f_.batch_key(w) != f_.batch_key(v))
        break;
      ++nr;
    }
    return nr;
  }

  // contpte_try_unfold() -> contpte_convert(): every entry of i's block gets the gathered
  // young/dirty state and loses PTE_CONT (none entries stay none).
  void try_unfold(std::uint64_t i) {
    if (!f_.valid_cont(pte_[i])) return;
    bool young = false, dirty = false;
    for (std::uint64_t j = block_of(i); j < block_of(i) + arm::kContPtes; ++j) {
      young = young || f_.young(pte_[j]);
      dirty = dirty || f_.dirty(pte_[j]);
    }
    for (std::uint64_t j = block_of(i); j < block_of(i) + arm::kContPtes; ++j) {
      if (Pte::none(pte_[j])) continue;
      std::uint64_t v = pte_[j] & ~arm::kCont;
      if (dirty) v = f_.mkdirty(v);
      if (young) v = f_.mkyoung(v);
      pte_[j] = v;
    }
  }
  // contpte_try_unfold_partial(): the blocks [i, i + nr) covers only partly.
  void try_unfold_partial(std::uint64_t i, std::uint64_t nr) {
    if (i % arm::kContPtes != 0 || nr < arm::kContPtes) try_unfold(i);
    if ((i + nr) % arm::kContPtes != 0) try_unfold(i + nr - 1);
  }

  // One entry cleared as the variant's __ptep_get_and_clear() (the shadow's also consumes the
  // shadow word), returning what it held.
  std::uint64_t clear_one(std::uint64_t j) {
    std::uint64_t v = pte_[j];
    if (shadow()) {
      v = shadow_merge(v, shadow_[j]);
      shadow_[j] = 0;
    }
    pte_[j] = 0;
    return v;
  }
  // get_and_clear_full_ptes(nr) / clear_full_ptes(nr) / ptep_get_and_clear_full() (nr = 1):
  // the first entry's value with the dirty and young state of the others ORed in.
  std::uint64_t get_and_clear_full(std::uint64_t i, std::uint64_t nr) {
    if (contpte()) {
      if (nr == 1)
        try_unfold(i);
      else
        try_unfold_partial(i, nr);
    }
    std::uint64_t v = clear_one(i);
    for (std::uint64_t j = i + 1; j < i + nr; ++j) {
      const std::uint64_t w = clear_one(j);
      if (f_.dirty(w)) v = f_.mkdirty(v);
      if (f_.young(w)) v = f_.mkyoung(v);
    }
    return v;
  }
  // wrprotect_ptes(nr) on the parent: each entry write-protected as it stands (contpte unfolds
  // a cont block first for nr == 1, a partly covered one for nr > 1).
  void wrprotect_ptes(std::uint64_t i, std::uint64_t nr) {
    if (contpte()) {
      if (nr == 1)
        try_unfold(i);
      else
        try_unfold_partial(i, nr);
    }
    for (std::uint64_t j = i; j < i + nr; ++j) pte_[j] = f_.wrprotect(pte_[j]);
  }
  // set_ptes(nr) on the child: v for the first entry, the next frames for the others. contpte
  // strips CONT, then (nr > 1, contpte_set_ptes()) sets it again on each whole 16-entry block
  // whose frames are 16-aligned.
  void set_ptes(std::uint64_t i, std::uint64_t v, std::uint64_t nr) {
    if (contpte()) v &= ~arm::kCont;
    for (std::uint64_t k = 0; k < nr; ++k) child_[i + k] = v + (k << 12);
    if (!contpte() || nr == 1) return;
    for (std::uint64_t b = block_of(i); b < i + nr; b += arm::kContPtes) {
      const bool whole = b >= i && b + arm::kContPtes <= i + nr;
      if (whole && (f_.pfn(child_[b]) % arm::kContPtes) == 0)
        for (std::uint64_t j = b; j < b + arm::kContPtes; ++j) child_[j] |= arm::kCont;
    }
  }
  // test_and_clear_young_ptes(nr) / clear_flush_young_ptes(nr): whether any entry was young;
  // every entry covered ends old. The native helpers clear each entry of [i, i + nr); contpte
  // widens the range to whole blocks at an end that is cont (contpte_align_addr_ptep()) unless
  // nr == 1 on a non-cont entry; the shadow clears an entry (and its shadow word) only when its
  // merged view is young.
  bool test_and_clear_young_ptes(std::uint64_t i, std::uint64_t nr) {
    std::uint64_t first = i, last = i + nr;
    if (contpte() && !(nr == 1 && !f_.cont(pte_[i]))) {
      if (f_.cont(pte_[i + nr - 1])) last = block_of(i + nr - 1) + arm::kContPtes;
      if (f_.cont(pte_[i])) first = block_of(i);
    }
    bool young = false;
    for (std::uint64_t j = first; j < last; ++j) {
      if (shadow()) {
        if (!f_.young(shadow_merge(pte_[j], shadow_[j]))) continue;
        shadow_[j] = f_.mkold(shadow_[j]);
      }
      young = young || f_.young(pte_[j]) || shadow();
      pte_[j] = f_.mkold(pte_[j]);
    }
    return young;
  }

  // copy_pte_range() -> copy_present_ptes() for a private (COW) mapping.
  void copy_range() {
    child_.assign(pte_.size(), 0);
    for (std::uint64_t i = 0; i < pte_.size();) {
      if (!populated(i)) {
        ++i;
        continue;
      }
      std::uint64_t v = read(i);
      if (Pte::none(v)) {
        ++i;
        continue;
      }
      std::uint64_t nr = 1;
      if (!f_.special(v)) {
        PageState& p = folio(v);
        if (p.nr_pages > 1) {
          nr = batch_len(i, v, table_end(i) - i);
          // FPB_MERGE_WRITE: a writable entry anywhere in the batch makes the copy writable.
          for (std::uint64_t j = i + 1; j < i + nr; ++j)
            if (f_.write(pte_[j])) v = f_.mkwrite(v);
        }
        p.refcount += static_cast<std::int32_t>(nr);  // folio_ref_add()
        p.mapcount += static_cast<std::int32_t>(nr);  // folio_dup_*_rmap_ptes()
        ((p.flags & page_flag::kAnon) ? child_rss_anon_ : child_rss_file_) +=
            static_cast<std::int64_t>(nr);
      }
      if (f_.write(v)) {  // is_cow_mapping() && pte_write()
        wrprotect_ptes(i, nr);
        v = f_.wrprotect(v);
      }
      set_ptes(i, f_.mkold(v), nr);
      i += nr;
    }
    result_ = static_cast<std::uint64_t>(child_rss_anon_ + child_rss_file_);
  }

  // folio_mark_accessed() (mm/swap.c, without MGLRU): inactive,unreferenced ->
  // inactive,referenced; inactive,referenced -> active,unreferenced; active -> referenced.
  static void mark_accessed(PageState& p) {
    if (!(p.flags & page_flag::kReferenced))
      p.flags |= page_flag::kReferenced;
    else if (!(p.flags & page_flag::kActive))
      p.flags = (p.flags | page_flag::kActive) & ~page_flag::kReferenced;
  }

  // zap_pte_range() -> zap_present_ptes() -> zap_present_folio_ptes(); the gathered folios each
  // lose their batch's references when the gather is flushed, and a folio whose count reaches
  // zero is freed.
  std::uint64_t zap_range() {
    std::uint64_t cleared = 0;
    for (std::uint64_t i = 0; i < pte_.size();) {
      if (!populated(i)) {
        ++i;
        continue;
      }
      const std::uint64_t v = read(i);
      if (Pte::none(v)) {
        ++i;
        continue;
      }
      if (f_.special(v)) {  // no page: ptep_get_and_clear_full() alone
        get_and_clear_full(i, 1);
        ++cleared;
        ++i;
        continue;
      }
      PageState& p = folio(v);
      const std::uint64_t nr = p.nr_pages > 1 ? batch_len(i, v, table_end(i) - i) : 1;
      const std::int32_t n = static_cast<std::int32_t>(nr);
      const std::uint64_t old = get_and_clear_full(i, nr);  // anon: clear_full_ptes(), the same
      if (!(p.flags & page_flag::kAnon)) {
        if (f_.dirty(old)) p.flags |= page_flag::kDirty;  // folio_mark_dirty()
        if (f_.young(old)) mark_accessed(p);
        rss_file_ -= n;
      } else {
        rss_anon_ -= n;
      }
      p.mapcount -= n;  // folio_remove_rmap_ptes()
      p.refcount -= n;  // tlb_flush_mmu() -> free_pages_and_swap_cache()
      if (p.refcount == 0) p.flags |= page_flag::kFreed;
      cleared += nr;
      i += nr;
    }
    return cleared;
  }

  // free_pgtables() for a lone VMA: every table under the range goes.
  void free_pgtables() {
    const Tables t = tables();
    freed_pte_ = t.pte;
    freed_pmd_ = t.pmd;
    freed_pud_ = t.pud;
    populated_.assign(populated_.size(), false);
  }

  // folio_referenced() -> folio_referenced_one() per folio in LRU order: each entry of the
  // folio's range that check_pte() accepts (present, mapping a frame of the folio) starts a
  // batch, whose young bits clear_flush_young_ptes(nr) tests and clears; the walk stops once
  // the folio's pages are all counted. A referenced folio gets PG_referenced.
  std::uint64_t reclaim_rmap() {
    std::uint64_t referenced = 0;
    for (const std::uint32_t idx : img_.lru_order) {
      if (!populated(idx)) continue;
      PageState& p = pages_[idx];
      const std::uint64_t folio_pfn = img_.base_pfn + idx;
      bool young = false;
      std::uint64_t ptes = 0;
      for (std::uint64_t i = idx; i < idx + p.nr_pages;) {
        const std::uint64_t v = read(i);
        if (!f_.present(v) || f_.pfn(v) < folio_pfn || f_.pfn(v) >= folio_pfn + p.nr_pages) {
          ++i;
          continue;
        }
        const std::uint64_t nr = p.nr_pages > 1 ? batch_len(i, v, table_end(i) - i) : 1;
        if (test_and_clear_young_ptes(i, nr)) young = true;
        ptes += nr;
        if (ptes == p.nr_pages) break;
        i += nr;
      }
      if (young) {
        ++referenced;
        p.flags |= page_flag::kReferenced;
      }
    }
    return referenced;
  }

  // walk_pte_range() (MGLRU aging): get_pte_pfn() skips non-present, special and old entries;
  // a large folio's batch carries the young and dirty state of all its entries
  // (FPB_MERGE_YOUNG_DIRTY); test_and_clear_young_ptes(nr), and only a young batch goes on; a
  // dirty batch dirties its folio unless it is a swap-backed anon folio outside the swap cache
  // (walk_update_folio()); folio_update_gen() moves the folio to the youngest generation.
  std::uint64_t reclaim_walk(std::uint32_t new_gen) {
    std::uint64_t young = 0;
    for (std::uint64_t i = 0; i < pte_.size();) {
      std::uint64_t v = populated(i) ? read(i) : 0;
      if (!f_.present(v) || f_.special(v) || !f_.young(v)) {
        ++i;
        continue;
      }
      PageState& p = folio(v);
      std::uint64_t nr = 1;
      if (p.nr_pages > 1) {
        nr = batch_len(i, v, table_end(i) - i);
        for (std::uint64_t j = i + 1; j < i + nr; ++j) {
          if (f_.young(pte_[j])) v = f_.mkyoung(v);
          if (f_.dirty(pte_[j])) v = f_.mkdirty(v);
        }
      }
      const bool was_young = test_and_clear_young_ptes(i, nr);
      i += nr;
      if (!was_young) continue;
      young += nr;
      if (f_.dirty(v) && !(p.flags & page_flag::kAnon)) p.flags |= page_flag::kDirty;
      p.lru_gen = new_gen;
    }
    return young;
  }

  // The none count over populated tables.
  std::uint64_t none_scan() const {
    std::uint64_t none = 0;
    for (std::uint64_t i = 0; i < pte_.size(); ++i)
      if (populated(i) && Pte::none(read(i))) ++none;
    return none;
  }

  struct Tables {
    std::uint64_t pte = 0, pmd = 0, pud = 0;
  };
  // Tables the mm holds under the range: one PTE table per populated 2 MiB chunk, one PMD table
  // per GiB and one PUD table per 512 GiB that holds one.
  Tables tables() const {
    std::set<std::uint64_t> pmds, puds;
    Tables t;
    for (std::uint64_t c = 0; c < populated_.size(); ++c) {
      if (!populated_[c]) continue;
      const std::uint64_t addr = img_.start_addr + c * (std::uint64_t{512} << 12);
      ++t.pte;
      pmds.insert(addr >> 30);
      puds.insert(addr >> 39);
    }
    t.pmd = pmds.size();
    t.pud = puds.size();
    return t;
  }

  Snapshot snapshot(WalkerKind walker) const {
    Snapshot s;
    s.entries.assign(pte_.size(), 0);
    if (f_.x86()) s.shadow.assign(pte_.size(), 0);
    for (std::uint64_t i = 0; i < pte_.size(); ++i) {
      if (!populated(i)) continue;  // no table: the snapshot reads 0
      s.entries[i] = pte_[i];
      if (f_.x86()) s.shadow[i] = shadow_[i];
    }
    if (walker == WalkerKind::copy_range) s.child_entries = child_;
    s.pages = pages_;
    s.rss_file = rss_file_;
    s.rss_anon = rss_anon_;
    s.child_rss_file = child_rss_file_;
    s.child_rss_anon = child_rss_anon_;
    const Tables t = tables();
    s.pte_tables = t.pte;
    s.upper_tables = t.pmd + t.pud + 1;  // + the PGD
    s.freed_pte_tables = freed_pte_;
    s.freed_pmd_tables = freed_pmd_;
    s.freed_pud_tables = freed_pud_;
    s.result = result_;
    return s;
  }

  const LayoutImage& img_;
  Pte f_;
  VariantKind variant_;
  std::vector<std::uint64_t> pte_;
  std::vector<std::uint64_t> shadow_;
  std::vector<std::uint64_t> child_;
  std::vector<PageState> pages_;
  std::vector<bool> populated_;
  std::int64_t rss_file_ = 0, rss_anon_ = 0, child_rss_file_ = 0, child_rss_anon_ = 0;
  std::uint64_t freed_pte_ = 0, freed_pmd_ = 0, freed_pud_ = 0;
  std::uint64_t result_ = 0;
};

// The expected final state of `walker` x `variant` run once on a fresh walk of `image`.
inline Snapshot expected(const LayoutImage& image, WalkerKind walker, VariantKind variant,
                         std::uint32_t new_gen = 1) {
  return Model(image, variant).run(walker, new_gen);
}

// ---- Comparison with readable failure messages ----------------------------------------------

inline std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// "0x8000000100123067 [P RW U A D pfn=0x100123]": the value and the bits a reader cares about.
inline std::string describe_pte(Format fmt, std::uint64_t v) {
  std::string out = hex(v);
  if (v == 0) return out + " [none]";
  struct Named {
    std::uint64_t mask;
    const char* name;
  };
  static const Named kX86[] = {{x86::kPresent, "P"},      {x86::kRw, "RW"},
                               {x86::kUser, "U"},         {x86::kAccessed, "A"},
                               {x86::kDirty, "D"},        {x86::kSpecial, "SPECIAL"},
                               {x86::kUffdWp, "UFFD_WP"}, {x86::kSoftDirty, "SOFT_DIRTY"},
                               {x86::kNx, "NX"}};
  static const Named kArm[] = {{arm::kValid, "VALID"},    {arm::kUser, "USER"},
                               {arm::kRdonly, "RDONLY"},  {arm::kAf, "AF"},
                               {arm::kNg, "nG"},          {arm::kDbm, "DBM"},
                               {arm::kCont, "CONT"},      {arm::kPxn, "PXN"},
                               {arm::kUxn, "UXN"},        {arm::kSwDirty, "SW_DIRTY"},
                               {arm::kSpecial, "SPECIAL"}};
  out += " [";
  const Pte f{fmt};
  if (fmt == Format::x86_64) {
    for (const Named& n : kX86)
      if (v & n.mask) out += std::string(n.name) + " ";
  } else {
    for (const Named& n : kArm)
      if (v & n.mask) out += std::string(n.name) + " ";
  }
  return out + "pfn=" + hex(f.pfn(v)) + "]";
}

inline std::string describe_page(const PageState& p) {
  std::string flags;
  if (p.flags & page_flag::kAnon) flags += "anon ";
  if (p.flags & page_flag::kDirty) flags += "dirty ";
  if (p.flags & page_flag::kReferenced) flags += "referenced ";
  if (p.flags & page_flag::kActive) flags += "active ";
  if (p.flags & page_flag::kFreed) flags += "freed ";
  return "{flags=" + hex(p.flags) + " " + flags + "refcount=" + std::to_string(p.refcount) +
         " mapcount=" + std::to_string(p.mapcount) + " lru_gen=" + std::to_string(p.lru_gen) + "}";
}

// The first field in which `got` differs from `want`, with both values; "" when they are equal.
// Entry indices come with their virtual address so a failure can be located in the page table.
inline std::string first_difference(const LayoutImage& image, const Snapshot& want,
                                    const Snapshot& got) {
  const Format fmt = format_of(image);
  auto entries = [&](const char* name, const std::vector<std::uint64_t>& w,
                     const std::vector<std::uint64_t>& g, bool is_pte) -> std::string {
    if (w.size() != g.size())
      return std::string(name) + ": want " + std::to_string(w.size()) + " words, got " +
             std::to_string(g.size());
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == g[i]) continue;
      const std::string addr = hex(image.start_addr + (std::uint64_t{i} << 12));
      const std::string wv = is_pte ? describe_pte(fmt, w[i]) : hex(w[i]);
      const std::string gv = is_pte ? describe_pte(fmt, g[i]) : hex(g[i]);
      return std::string(name) + "[" + std::to_string(i) + "] (address " + addr + "): want " + wv +
             ", got " + gv;
    }
    return "";
  };
  auto number = [](const char* name, std::int64_t w, std::int64_t g) -> std::string {
    if (w == g) return "";
    return std::string(name) + ": want " + std::to_string(w) + ", got " + std::to_string(g);
  };
  std::string d;
  if (!(d = entries("entries", want.entries, got.entries, true)).empty()) return d;
  if (!(d = entries("shadow", want.shadow, got.shadow, false)).empty()) return d;
  if (!(d = entries("child_entries", want.child_entries, got.child_entries, true)).empty())
    return d;
  if (want.pages.size() != got.pages.size())
    return "pages: want " + std::to_string(want.pages.size()) + ", got " +
           std::to_string(got.pages.size());
  for (std::size_t i = 0; i < want.pages.size(); ++i)
    if (!(want.pages[i] == got.pages[i]))
      return "pages[" + std::to_string(i) + "] (pfn " + hex(image.base_pfn + i) + "): want " +
             describe_page(want.pages[i]) + ", got " + describe_page(got.pages[i]);
  const auto i64 = [](std::uint64_t v) { return static_cast<std::int64_t>(v); };
  if (!(d = number("rss_file", want.rss_file, got.rss_file)).empty()) return d;
  if (!(d = number("rss_anon", want.rss_anon, got.rss_anon)).empty()) return d;
  if (!(d = number("child_rss_file", want.child_rss_file, got.child_rss_file)).empty()) return d;
  if (!(d = number("child_rss_anon", want.child_rss_anon, got.child_rss_anon)).empty()) return d;
  if (!(d = number("pte_tables", i64(want.pte_tables), i64(got.pte_tables))).empty()) return d;
  if (!(d = number("upper_tables", i64(want.upper_tables), i64(got.upper_tables))).empty())
    return d;
  if (!(d = number("freed_pte_tables", i64(want.freed_pte_tables), i64(got.freed_pte_tables)))
           .empty())
    return d;
  if (!(d = number("freed_pmd_tables", i64(want.freed_pmd_tables), i64(got.freed_pmd_tables)))
           .empty())
    return d;
  if (!(d = number("freed_pud_tables", i64(want.freed_pud_tables), i64(got.freed_pud_tables)))
           .empty())
    return d;
  if (!(d = number("result", i64(want.result), i64(got.result))).empty()) return d;
  if (!(want == got)) return "snapshots differ in a field first_difference() does not know";
  return "";
}

}  // namespace ptebench::reference
