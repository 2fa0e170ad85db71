// Instant<Domain>: a point on one time line (guest, host monotonic, host wall),
// stored as a Duration since that line's epoch. Only meaningful arithmetic
// compiles: Instant +/- Duration -> Instant, Instant - Instant -> Duration, of the
// same domain. never() is the saturating maximum ("no deadline"); arithmetic
// saturates there instead of overflowing, and never() plus or minus any span
// stays never().
#pragma once

#include <compare>

#include "vtime/time/duration.h"

namespace vtime {

struct GuestDomain {};  // guest time lines: VIRTUAL, VIRTUAL_RT
struct HostDomain {};   // host monotonic time: REALTIME
struct WallDomain {};   // host wall-clock time: HOST (may step either way)

template <class Domain>
class Instant {
 public:
  constexpr Instant() = default;  // the epoch
  static constexpr Instant from_epoch(Duration since) { return Instant(since); }
  static constexpr Instant epoch() { return Instant(); }
  static constexpr Instant never() { return Instant(Duration::max()); }

  constexpr Duration since_epoch() const { return since_; }
  constexpr bool is_never() const { return since_ == Duration::max(); }

  friend constexpr Instant operator+(Instant t, Duration d) {
    if (t.is_never()) return t;
    return Instant(saturating_add(t.since_, d));
  }
  friend constexpr Instant operator+(Duration d, Instant t) { return t + d; }
  friend constexpr Instant operator-(Instant t, Duration d) {
    if (t.is_never()) return t;
    if (d == Duration::min()) return never();
    return Instant(saturating_sub(t.since_, d));
  }
  // Span between two instants; saturates rather than overflowing (never() - t
  // is Duration::max() for any finite t).
  friend constexpr Duration operator-(Instant a, Instant b) {
    return saturating_sub(a.since_, b.since_);
  }
  constexpr Instant& operator+=(Duration d) { return *this = *this + d; }
  constexpr Instant& operator-=(Duration d) { return *this = *this - d; }

  friend constexpr auto operator<=>(Instant, Instant) = default;
  friend constexpr bool operator==(Instant, Instant) = default;

 private:
  constexpr explicit Instant(Duration since) : since_(since) {}
  Duration since_{0};
};

using GuestTime = Instant<GuestDomain>;
using HostTime = Instant<HostDomain>;
using WallTime = Instant<WallDomain>;

template <class Domain>
constexpr Instant<Domain> earliest(Instant<Domain> a, Instant<Domain> b) {
  return a < b ? a : b;
}

}  // namespace vtime
