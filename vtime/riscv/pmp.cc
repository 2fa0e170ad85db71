// PMP entries: address decoding (TOR, NA4, NAPOT) into byte ranges and the
// priority rule of privileged spec §3.7.1, both evaluated on every CSR write
// into spans with one answer each; a check then finds its span (usually the
// one found last) and decides entry by entry only for an access that crosses
// an entry's edge.
#include "vtime/riscv/pmp.h"

#include <algorithm>
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
  update_spans();
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

void Pmp::update_spans() {
  std::array<uint64_t, 2 * kEntries + 1> cuts{};
  unsigned n = 0;
  cuts[n++] = 0;
  for (uint32_t set = active_; set != 0; set &= set - 1) {
    const Range& r = range_[std::countr_zero(set)];
    if (r.empty()) continue;
    cuts[n++] = r.first;
    if (r.last != ~uint64_t{0}) cuts[n++] = r.last + 1;
  }
  std::sort(cuts.begin(), cuts.begin() + n);
  span_count_ = static_cast<unsigned>(std::unique(cuts.begin(), cuts.begin() + n) - cuts.begin());
  last_span_ = 0;
  for (unsigned i = 0; i < span_count_; ++i) {
    Span& s = spans_[i];
    s = {.first = cuts[i], .allowed = 0};
    for (Priv p : {Priv::kUser, Priv::kSupervisor, Priv::kMachine}) {
      for (PageAccess a : {PageAccess::kRead, PageAccess::kWrite, PageAccess::kFetch}) {
        if (decide(s.first, s.first, a, p)) s.allowed = static_cast<uint16_t>(s.allowed | bit(a, p));
      }
    }
  }
}

const Pmp::Span& Pmp::span_at(uint64_t addr, uint64_t& last) const {
  last = span_last(last_span_);
  if (addr >= spans_[last_span_].first && addr <= last) return spans_[last_span_];
  const Span* end = spans_.data() + span_count_;
  const Span* next = std::upper_bound(spans_.data(), end, addr,
                                      [](uint64_t a, const Span& s) { return a < s.first; });
  last_span_ = static_cast<unsigned>(next - spans_.data()) - 1;  // spans_[0].first is 0
  last = span_last(last_span_);
  return spans_[last_span_];
}

bool Pmp::allows_in_span(uint64_t first, uint64_t last, PageAccess access, Priv p) const {
  uint64_t span_last = 0;
  const Span& s = span_at(first, span_last);
  if (last <= span_last) return (s.allowed & bit(access, p)) != 0;
  return decide(first, last, access, p);  // crosses an entry's edge
}

bool Pmp::allows_page_slow(uint64_t page_paddr, PageAccess access, Priv p) const {
  uint64_t span_last = 0;
  const Span& s = span_at(page_paddr, span_last);
  return page_paddr + kPageSize - 1 <= span_last && (s.allowed & bit(access, p)) != 0;
}

uint64_t Pmp::next_boundary(uint64_t paddr) const {
  uint64_t span_last = 0;
  span_at(paddr, span_last);
  return span_last == ~uint64_t{0} ? span_last : span_last + 1;
}

}  // namespace vtime::riscv
