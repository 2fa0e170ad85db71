#include "vtime/machine/memory_snapshot.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace vtime {
namespace {

bool saved_kind(RegionKind kind) { return kind == RegionKind::kRam || kind == RegionKind::kRom; }

bool all_zero(const uint8_t* p, size_t n) {
  static const uint8_t kZero[kSnapshotPage] = {};
  return std::memcmp(p, kZero, n) == 0;
}

}  // namespace

uint64_t memory_section_limit(const AddressMap& map) {
  uint64_t total = 64;
  for (const Region& r : map.regions()) {
    if (saved_kind(r.kind)) total += r.size + (r.size / kSnapshotPage + 1) * 8 + 64;
  }
  return total;
}

void save_memory(const AddressMap& map, StateWriter& out) {
  std::vector<const Region*> regions;
  for (const Region& r : map.regions()) {
    if (saved_kind(r.kind)) regions.push_back(&r);
  }
  out.u64(regions.size());
  for (const Region* r : regions) {
    out.u64(r->base);
    out.u64(r->size);
    std::vector<uint64_t> pages;
    for (uint64_t off = 0; off < r->size; off += kSnapshotPage) {
      if (!all_zero(r->host + off, static_cast<size_t>(std::min(kSnapshotPage, r->size - off)))) pages.push_back(off);
    }
    out.u64(pages.size());
    for (uint64_t off : pages) {
      out.u64(off);
      out.raw({r->host + off, static_cast<size_t>(std::min(kSnapshotPage, r->size - off))});
    }
  }
}

void load_memory(AddressMap& map, StateReader& in) {
  struct Page {
    uint8_t* host;
    std::span<const uint8_t> bytes;
  };
  std::vector<const Region*> regions;
  for (const Region& r : map.regions()) {
    if (saved_kind(r.kind)) regions.push_back(&r);
  }
  in.expect_equal(in.count(1024, 16), regions.size(), "the number of memory regions");
  std::vector<Page> pages;
  for (const Region* r : regions) {
    in.expect_equal(in.u64(), r->base, "the base of memory region " + r->name);
    in.expect_equal(in.u64(), r->size, "the size of memory region " + r->name);
    const uint64_t n = in.count(r->size / kSnapshotPage + 1, 8);
    uint64_t last = 0;
    for (uint64_t i = 0; i < n && in.ok(); ++i) {
      const uint64_t off = in.u64();
      if (off % kSnapshotPage != 0 || off >= r->size || (i > 0 && off <= last)) {
        in.fail("a page of " + r->name + " lies outside it or out of order");
        break;
      }
      last = off;
      const std::span<const uint8_t> bytes = in.raw(static_cast<size_t>(std::min(kSnapshotPage, r->size - off)));
      pages.push_back({r->host + off, bytes});
    }
  }
  if (!in.ok()) return;
  for (const Region* r : regions) {
    if (r->kind == RegionKind::kRam) {
      map.zero_ram(r->base, r->size);
    } else {
      std::memset(r->host, 0, static_cast<size_t>(r->size));
    }
  }
  for (const Page& p : pages) std::memcpy(p.host, p.bytes.data(), p.bytes.size());
}

}  // namespace vtime
