// Frequency: a rate in whole hertz, and the tick<->time conversions of a device
// counter clocked at it. Every conversion names its rounding and uses a 128-bit
// intermediate, so 64-bit tick counts at GHz rates never overflow; results that
// do not fit saturate (UINT64_MAX ticks, Duration::max()).
#pragma once

#include <cassert>
#include <compare>
#include <cstdint>

#include "vtime/time/duration.h"
#include "vtime/time/round.h"

namespace vtime {

class Frequency {
 public:
  static constexpr Frequency hz(uint64_t hz) { return Frequency(hz); }
  static constexpr Frequency khz(uint64_t khz) { return Frequency(khz * 1'000); }
  static constexpr Frequency mhz(uint64_t mhz) { return Frequency(mhz * 1'000'000); }
  static constexpr Frequency ghz(uint64_t ghz) { return Frequency(ghz * 1'000'000'000); }

  constexpr uint64_t hz() const { return hz_; }
  constexpr bool is_zero() const { return hz_ == 0; }

  // Whole ticks in `span`. A negative span counts as zero ticks.
  constexpr uint64_t ticks_in(Duration span, Round round) const {
    assert(hz_ != 0);
    if (span.count() <= 0) return 0;
    return mul_div(static_cast<uint64_t>(span.count()), hz_, kNsPerSecond, round);
  }

  // Time that `ticks` ticks take; saturates at Duration::max().
  constexpr Duration time_for(uint64_t ticks, Round round) const {
    assert(hz_ != 0);
    const uint64_t ns = mul_div(ticks, kNsPerSecond, hz_, round);
    if (ns > static_cast<uint64_t>(Duration::max().count())) return Duration::max();
    return Duration(static_cast<int64_t>(ns));
  }

  // One period, rounded as asked (100 ns exactly at 10 MHz).
  constexpr Duration period(Round round) const { return time_for(1, round); }

  friend constexpr auto operator<=>(Frequency, Frequency) = default;

 private:
  static constexpr uint64_t kNsPerSecond = 1'000'000'000;
  constexpr explicit Frequency(uint64_t hz) : hz_(hz) {}
  uint64_t hz_;
};

}  // namespace vtime
