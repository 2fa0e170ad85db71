// InsnPeriod: the VIRTUAL time one retired instruction is worth, as a fixed-point
// count of nanoseconds with 32 fractional bits (QEMU only has 2^shift ns). A
// fixed shift is exact (2^shift << 32); the adaptive PI controller and the
// per-hart share use fractions. Conversions name their rounding and use a
// 128-bit intermediate: time spent rounds down, instructions needed to reach a
// deadline round up, so a deadline is never reached early.
#pragma once

#include <cassert>
#include <compare>
#include <cstdint>

#include "vtime/time/duration.h"
#include "vtime/time/round.h"

namespace vtime {

class InsnPeriod {
 public:
  static constexpr int kFractionBits = 32;
  static constexpr int kMaxShift = 10;  // QEMU's MAX_ICOUNT_SHIFT

  // 2^shift ns per instruction, shift in 0..kMaxShift.
  static constexpr InsnPeriod from_shift(int shift) {
    assert(shift >= 0 && shift <= kMaxShift);
    return InsnPeriod(uint64_t{1} << (shift + kFractionBits));
  }
  // Raw Q32.32 nanoseconds; must be non-zero.
  static constexpr InsnPeriod from_fixed(uint64_t fixed) { return InsnPeriod(fixed); }
  // Nearest fixed-point value to `ns` (> 0) nanoseconds, at least one unit.
  static constexpr InsnPeriod from_ns(double ns) {
    const double scaled = ns * static_cast<double>(uint64_t{1} << kFractionBits) + 0.5;
    return InsnPeriod(scaled < 1.0 ? 1 : static_cast<uint64_t>(scaled));
  }

  constexpr uint64_t fixed() const { return fixed_; }
  constexpr double ns() const {
    return static_cast<double>(fixed_) / static_cast<double>(uint64_t{1} << kFractionBits);
  }
  // The shift this period equals exactly, or -1 if it is not a power of two ns.
  constexpr int exact_shift() const {
    for (int s = 0; s <= kMaxShift; ++s) {
      if (from_shift(s).fixed_ == fixed_) return s;
    }
    return -1;
  }

  // VIRTUAL time taken by `insns` instructions; saturates at Duration::max().
  constexpr Duration time_for(uint64_t insns, Round round) const {
    const Uint128 product = static_cast<Uint128>(insns) * fixed_;
    Uint128 ns = product >> kFractionBits;
    if (round == Round::kUp && (product & kFractionMask) != 0) ++ns;
    if (ns > static_cast<Uint128>(Duration::max().count())) return Duration::max();
    return Duration(static_cast<int64_t>(ns));
  }

  // Instructions needed to cover `span`; a span <= 0 needs none. With
  // Round::kUp the last instruction is the one that reaches the end of the span.
  constexpr uint64_t insns_for(Duration span, Round round) const {
    if (span.count() <= 0) return 0;
    const Uint128 scaled = static_cast<Uint128>(span.count()) << kFractionBits;
    Uint128 n = scaled / fixed_;
    if (round == Round::kUp && scaled % fixed_ != 0) ++n;
    return n > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(n);
  }

  // The period each of `harts` round-robin harts' instructions is charged so
  // that every one of them runs at this (nominal) rate; rounded down, so
  // never zero.
  constexpr InsnPeriod shared_by(uint32_t harts) const {
    assert(harts > 0);
    const uint64_t f = fixed_ / harts;
    return InsnPeriod(f == 0 ? 1 : f);
  }

  friend constexpr auto operator<=>(InsnPeriod, InsnPeriod) = default;

 private:
  static constexpr Uint128 kFractionMask = (Uint128{1} << kFractionBits) - 1;
  constexpr explicit InsnPeriod(uint64_t fixed) : fixed_(fixed) { assert(fixed != 0); }
  uint64_t fixed_;
};

}  // namespace vtime
