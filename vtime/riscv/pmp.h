// Physical memory protection (privileged spec §3.7): 16 entries of 8-bit
// pmpcfg and 54-bit pmpaddr (granularity 4 bytes, G = 0), matched OFF, TOR,
// NA4 or NAPOT, with R/W/X and the L bit. The lowest-numbered entry that
// matches any byte of an access decides, and must hold all its bytes; S and U
// accesses no entry matches fail once any entry is active, M accesses pass
// (M is bound only by locked entries, and by the all-bytes rule).
// As QEMU 7.2 does, the reserved R=0 W=1 combination is kept as written (it
// grants writes, not reads). While no entry is active every access passes
// (QEMU 7.2 refuses MRET to S or U then). Leaves out Smepmp (mseccfg).
#pragma once

#include <array>
#include <cstdint>

#include "vtime/riscv/csr.h"
#include "vtime/riscv/hart_env.h"

namespace vtime::riscv {

namespace pmpcfg {
inline constexpr uint8_t kR = 1 << 0;
inline constexpr uint8_t kW = 1 << 1;
inline constexpr uint8_t kX = 1 << 2;
inline constexpr unsigned kAShift = 3;
inline constexpr uint8_t kA = 3 << kAShift;
inline constexpr uint8_t kOff = 0, kTor = 1, kNa4 = 2, kNapot = 3;  // values of A
inline constexpr uint8_t kL = 1 << 7;
inline constexpr uint8_t kWritable = kR | kW | kX | kA | kL;  // bits 5-6 read zero
}  // namespace pmpcfg

class Pmp {
 public:
  static constexpr unsigned kEntries = 16;
  static constexpr uint64_t kAddrMask = (uint64_t{1} << 54) - 1;  // pmpaddr: address bits 55:2

  // pmpcfg0 holds entries 0-7, pmpcfg2 entries 8-15 (RV64: `reg` is 0 or 2;
  // the caller rejects odd numbers, and higher even ones read zero here).
  // A write changes every entry that is not locked.
  uint64_t read_cfg(unsigned reg) const;
  void write_cfg(unsigned reg, uint64_t value);
  // pmpaddr0..15 (higher ones read zero, writes ignored). A write is ignored
  // while entry `i` is locked, or entry i+1 is a locked TOR entry (its base).
  uint64_t read_addr(unsigned i) const;
  void write_addr(unsigned i, uint64_t value);

  // Whether an access of `size` bytes at `paddr` is allowed at privilege `p`.
  bool allows(uint64_t paddr, unsigned size, PageAccess access, Priv p) const {
    if (active_ == 0) return true;
    const Span& s = spans_[last_span_];
    if (paddr >= s.first && paddr + size - 1 <= span_last(last_span_)) {
      return (s.allowed & bit(access, p)) != 0;
    }
    return allows_in_span(paddr, paddr + size - 1, access, p);
  }
  // Whether every access inside the 4 KiB page at `page_paddr` is allowed, so
  // that a translation of it may be cached. False when an entry's edge falls
  // inside the page, even if the access at hand would pass.
  bool allows_page(uint64_t page_paddr, PageAccess access, Priv p) const {
    if (active_ == 0) return true;
    const Span& s = spans_[last_span_];
    if (page_paddr >= s.first && page_paddr + kPageSize - 1 <= span_last(last_span_)) {
      return (s.allowed & bit(access, p)) != 0;
    }
    return allows_page_slow(page_paddr, access, p);
  }
  // Whether any entry is active; while none is, every access is allowed.
  bool active() const { return active_ != 0; }
  // The lowest start or end of an active entry's range above `paddr`
  // (~0 if none): code from `paddr` up to it has one PMP outcome.
  uint64_t next_boundary(uint64_t paddr) const;

 private:
  struct Range {
    uint64_t first = 1, last = 0;  // inclusive; first > last: matches nothing
    bool empty() const { return first > last; }
  };
  // Whether an access to the bytes [first, last] at `p` is allowed: the
  // priority rule, entry by entry.
  bool decide(uint64_t first, uint64_t last, PageAccess access, Priv p) const;
  // The same through the spans (below), falling back to decide() for an
  // access that crosses a span's end.
  bool allows_in_span(uint64_t first, uint64_t last, PageAccess access, Priv p) const;
  void update_ranges();
  void update_spans();

  // The address space cut at every active entry's start and end into spans
  // inside which no entry begins or ends, so one answer holds for every
  // access inside a span: checks are a search of at most 33 spans, decided
  // once per CSR write. `allowed` has bit 3 * level + access (level 0 U,
  // 1 S, 2 M).
  struct Span {
    uint64_t first = 0;  // the span runs up to the next span's first - 1
    uint16_t allowed = 0;
  };
  static uint16_t bit(PageAccess access, Priv p) {
    const unsigned level = p == Priv::kMachine ? 2 : static_cast<unsigned>(p);
    return static_cast<uint16_t>(1u << (3 * level + static_cast<unsigned>(access)));
  }
  bool allows_page_slow(uint64_t page_paddr, PageAccess access, Priv p) const;
  // The span holding `addr`; `last` gets its last byte. Tries the span found
  // last time first: walks and refills mostly stay in one (all of RAM).
  const Span& span_at(uint64_t addr, uint64_t& last) const;
  uint64_t span_last(unsigned i) const {
    return i + 1 < span_count_ ? spans_[i + 1].first - 1 : ~uint64_t{0};
  }
  std::array<Span, 2 * kEntries + 1> spans_{};
  unsigned span_count_ = 1;
  mutable unsigned last_span_ = 0;

  uint8_t cfg_[kEntries] = {};
  uint64_t addr_[kEntries] = {};
  Range range_[kEntries];
  uint32_t active_ = 0;  // bit i: entry i's A is not OFF
};

}  // namespace vtime::riscv
