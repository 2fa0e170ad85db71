// PMP entries: address decoding (TOR, NA4, NAPOT) into byte ranges, recomputed
// on every write so that checks are a scan of at most 16 ranges, and the
// priority rule of privileged spec §3.7.1.
#include "vtime/riscv/pmp.h"

#include <bit>

namespace vtime::riscv {

namespace {
uint8_t a_field(uint8_t cfg) { return (cfg & pmpcfg::kA) >> pmpcfg::kAShift; }

uint8_t permission(PageAccess access) {
  switch (access) {
    case PageAccess::kRead: return pmpcfg::kR;
    case PageAccess::kWrite: return pmpcfg::kW;
    case PageAccess::kFetch: return pmpcfg::kX;
  }
  return pmpcfg::kR;
}
}  // namespace

uint64_t Pmp::read_cfg(unsigned reg) const {
  if (reg != 0 && reg != 2) return 0;
  uint64_t v = 0;
  for (unsigned i = 0; i < 8; ++i) v |= uint64_t{cfg_[reg * 4 + i]} << (8 * i);
  return v;
}

void Pmp::write_cfg(unsigned reg, uint64_t value) {
  if (reg != 0 && reg != 2) return;
  for (unsigned i = 0; i < 8; ++i) {
    uint8_t& cfg = cfg_[reg * 4 + i];
    if (!(cfg & pmpcfg::kL)) cfg = static_cast<uint8_t>(value >> (8 * i)) & pmpcfg::kWritable;
  }
  update_ranges();
}

uint64_t Pmp::read_addr(unsigned i) const { return i < kEntries ? addr_[i] : 0; }

void Pmp::write_addr(unsigned i, uint64_t value) {
  if (i >= kEntries || (cfg_[i] & pmpcfg::kL)) return;
  if (i + 1 < kEntries && (cfg_[i + 1] & pmpcfg::kL) && a_field(cfg_[i + 1]) == pmpcfg::kTor) return;
  addr_[i] = value & kAddrMask;
  update_ranges();
}

void Pmp::update_ranges() {
  active_ = 0;
  for (unsigned i = 0; i < kEntries; ++i) {
    const uint64_t a = addr_[i];
    Range r;
    switch (a_field(cfg_[i])) {
      case pmpcfg::kOff: break;
      case pmpcfg::kTor: {
        const uint64_t base = i == 0 ? 0 : addr_[i - 1] << 2;
        if (base < a << 2) r = {base, (a << 2) - 1};  // an empty range matches nothing
        break;
      }
      case pmpcfg::kNa4: r = {a << 2, (a << 2) + 3}; break;
      case pmpcfg::kNapot: {
        // Trailing ones t give a range of 2^(t+3) bytes; all 54 ones: 2^57.
        const auto ones = static_cast<unsigned>(std::countr_one(a));
        const uint64_t size_mask = (uint64_t{1} << (ones + 3)) - 1;
        const uint64_t base = (a << 2) & ~size_mask;
        r = {base, base + size_mask};
        break;
      }
    }
    range_[i] = r;
    if (a_field(cfg_[i]) != pmpcfg::kOff) active_ |= 1u << i;
  }
}

bool Pmp::decide(uint64_t first, uint64_t last, PageAccess access, Priv p) const {
  if (active_ == 0) return true;
  for (uint32_t set = active_; set != 0; set &= set - 1) {
    const auto i = static_cast<unsigned>(std::countr_zero(set));
    const Range& r = range_[i];
    if (r.empty() || last < r.first || first > r.last) continue;  // no byte matches
    if (first < r.first || last > r.last) return false;  // some bytes only
    if (p == Priv::kMachine && !(cfg_[i] & pmpcfg::kL)) return true;
    return (cfg_[i] & permission(access)) != 0;
  }
  return p == Priv::kMachine;
}

bool Pmp::allows(uint64_t paddr, unsigned size, PageAccess access, Priv p) const {
  return decide(paddr, paddr + size - 1, access, p);
}

bool Pmp::allows_page(uint64_t page_paddr, PageAccess access, Priv p) const {
  return decide(page_paddr, page_paddr + kPageSize - 1, access, p);
}

uint64_t Pmp::next_boundary(uint64_t paddr) const {
  uint64_t next = ~uint64_t{0};
  for (uint32_t set = active_; set != 0; set &= set - 1) {
    const Range& r = range_[std::countr_zero(set)];
    if (r.empty()) continue;
    if (r.first > paddr && r.first < next) next = r.first;
    if (r.last >= paddr && r.last != ~uint64_t{0} && r.last + 1 < next) next = r.last + 1;
  }
  return next;
}

}  // namespace vtime::riscv
