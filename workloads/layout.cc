#include "workloads/layout.h"

#include <cmath>
#include <string>

#include "workloads/bad_parameter.h"
#include "workloads/pte/arm64.h"
#include "workloads/pte/x86_64.h"

namespace ptebench {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and identical on every platform, unlike
// std::uniform_real_distribution whose output is implementation-defined.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }
  std::uint64_t below(std::uint64_t n) { return next() % n; }  // bias < 2^-40 for our n

 private:
  std::uint64_t state_;
};

// The first virtual address of every case: 2 MiB aligned, low in the user half.
constexpr std::uint64_t kStartAddr = 0x555500000000ULL;
// Page frames start high enough that the pfn field exercises its upper bits.
constexpr std::uint64_t kBasePfn = 0x100000;

const LayoutInfo* find_layout(std::string_view name) {
  for (const LayoutInfo& info : layouts())
    if (info.name == name) return &info;
  return nullptr;
}

void check_fraction(const char* what, double value) {
  if (!(value >= 0.0 && value <= 1.0))
    throw BadParameter(std::string("layout ") + what + " must be in [0, 1], got " +
                       std::to_string(value));
}

// What a contpte block shares: the kernel folds 16 entries only when they map one large folio
// with one protection (__contpte_try_fold()), and never folds special entries.
struct BlockAttrs {
  bool writable;
  bool file;
};

template <class F>
typename F::pte_t make_entry(std::uint64_t pfn, SplitMix64& rng, const LayoutSpec& spec, bool* file,
                             bool* special, const BlockAttrs* block) {
  const bool writable = block ? block->writable : rng.chance(spec.writable_fraction);
  typename F::pte_t pte = F::mk_pte(pfn, writable);
  if (rng.chance(spec.young_fraction)) pte = F::mkyoung(pte);
  if (rng.chance(spec.dirty_fraction)) pte = F::mkdirty(pte);
  *file = block ? block->file : rng.chance(spec.file_fraction);
  *special = block ? false : rng.chance(spec.special_fraction);
  if (*special) pte = F::mkspecial(pte);
  return pte;
}

template <class F>
void fill(LayoutImage& img, const LayoutSpec& spec, SplitMix64& rng) {
  const bool contpte = spec.name == "contpte";
  BlockAttrs block{false, false};
  for (std::uint64_t i = 0; i < spec.ptes; ++i) {
    bool present = true;
    if (spec.name == "sparse") present = (i % 8) == 0;
    if (spec.name == "random") present = rng.chance(spec.fill);
    if (!present) continue;
    if (contpte && i % 16 == 0)
      block = BlockAttrs{rng.chance(spec.writable_fraction), rng.chance(spec.file_fraction)};
    bool file = false, special = false;
    std::uint64_t pfn = kBasePfn + i;
    typename F::pte_t pte =
        make_entry<F>(pfn, rng, spec, &file, &special, contpte ? &block : nullptr);
    if (special) {
      // A special entry has no struct page: point it past the memmap.
      pte = (pte & ~F::kPfnMask) | ((kBasePfn + spec.ptes + i) << F::kPfnShift);
    } else if (contpte) {
      // One 16-page folio per block: its state lives in the head (folio_ref_count() and the
      // folio's mapcount are 16, one per mapping entry); the LRU holds the folio once.
      const std::uint32_t offset = static_cast<std::uint32_t>(i % Arm64::kContPtes);
      if (offset == 0) {
        img.pages[i] = PageState{file ? 0u : page_flag::kAnon, 16, 16, 0, Arm64::kContPtes, 0};
        img.lru_order.push_back(static_cast<std::uint32_t>(i));
      } else {
        img.pages[i] = PageState{0, 0, 0, 0, 0, offset};
      }
    } else {
      img.pages[i] = PageState{file ? 0u : page_flag::kAnon, 1, 1, 0};
      img.lru_order.push_back(static_cast<std::uint32_t>(i));
    }
    if constexpr (F::kHasContBit) {
      if (contpte) pte = F::mkcont(pte);
    }
    img.entries[i] = pte;
    if constexpr (F::kHasShadow) {
      std::uint64_t shadow = 0;
      if (rng.chance(spec.shadow_young_fraction)) shadow |= F::kAccessed;
      if (rng.chance(spec.shadow_dirty_fraction)) shadow |= F::kDirty;
      img.shadow[i] = shadow;
    }
  }
  // LRU order: a Fisher-Yates shuffle of the mapped pages, so folio_referenced() visits them in
  // an order unrelated to their addresses, as pages come off an LRU list.
  for (std::size_t i = img.lru_order.size(); i > 1; --i)
    std::swap(img.lru_order[i - 1], img.lru_order[rng.below(i)]);
}

}  // namespace

const std::vector<LayoutInfo>& layouts() {
  static const std::vector<LayoutInfo> kLayouts = {
      {"dense", "every entry present", false},
      {"sparse", "one entry in 8 present", false},
      {"random", "each entry present with probability fill (default 0.5)", false},
      {"contpte", "aligned 16-entry blocks with the contiguous bit (arm64)", true},
  };
  return kLayouts;
}

LayoutImage make_layout(std::string_view format, const LayoutSpec& spec) {
  const bool is_x86 = format == X86_64::kName;
  const bool is_arm64 = format == Arm64::kName;
  if (!is_x86 && !is_arm64)
    throw BadParameter("unknown PTE format '" + std::string(format) + "' (known: x86_64, arm64)");
  const LayoutInfo* info = find_layout(spec.name);
  if (info == nullptr)
    throw BadParameter("unknown layout '" + spec.name +
                       "' (known: dense, sparse, random, contpte)");
  if (info->arm64_only && !is_arm64)
    throw BadParameter("layout '" + spec.name + "' needs the contiguous bit, which the " +
                       std::string(format) + " format does not have");
  if (spec.ptes == 0) throw BadParameter("a layout needs at least one entry, got 0");
  if (spec.ptes > kMaxPtes)
    throw BadParameter("layout of " + std::to_string(spec.ptes) + " entries exceeds the model's " +
                       "limit of " + std::to_string(kMaxPtes));
  if (info->arm64_only && spec.ptes % Arm64::kContPtes != 0)
    throw BadParameter("contpte layout needs a multiple of 16 entries, got " +
                       std::to_string(spec.ptes));
  check_fraction("fill", spec.fill);
  check_fraction("young_fraction", spec.young_fraction);
  check_fraction("dirty_fraction", spec.dirty_fraction);
  check_fraction("writable_fraction", spec.writable_fraction);
  check_fraction("file_fraction", spec.file_fraction);
  check_fraction("special_fraction", spec.special_fraction);
  check_fraction("shadow_young_fraction", spec.shadow_young_fraction);
  check_fraction("shadow_dirty_fraction", spec.shadow_dirty_fraction);

  LayoutImage img;
  img.format = std::string(format);
  img.layout = spec.name;
  img.seed = spec.seed;
  img.start_addr = kStartAddr;
  img.ptes = spec.ptes;
  img.base_pfn = kBasePfn;
  img.entries.assign(spec.ptes, 0);
  img.pages.assign(spec.ptes, PageState{});
  img.lru_order.reserve(spec.ptes);
  SplitMix64 rng(spec.seed);
  if (is_x86) {
    img.shadow.assign(spec.ptes, 0);
    fill<X86_64>(img, spec, rng);
  } else {
    fill<Arm64>(img, spec, rng);
  }
  return img;
}

}  // namespace ptebench
