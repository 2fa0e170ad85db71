// Options a timer is created with: its attributes. Deadlines are typed instants,
// so a timer has no unit "scale" of its own. kExternal marks a VIRTUAL timer that drives
// something outside the guest core (QEMU_TIMER_ATTR_EXTERNAL): the icount warp
// ignores it when choosing how far to skip while all harts are idle.
#pragma once

#include <cstdint>

#include "vtime/time/duration.h"

namespace vtime {

enum class TimerAttribute : uint32_t { kExternal = 1u << 0 };

// A set of timer attributes; deadlines can be asked for "timers whose attributes
// all lie within this mask" (QEMU's attr_mask).
class AttributeMask {
 public:
  constexpr AttributeMask() = default;
  constexpr AttributeMask(TimerAttribute a) : bits_(static_cast<uint32_t>(a)) {}  // NOLINT
  static constexpr AttributeMask none() { return AttributeMask(); }
  static constexpr AttributeMask all() { return from_bits(0xffff'ffffu); }
  static constexpr AttributeMask all_except(TimerAttribute a) {
    return from_bits(~static_cast<uint32_t>(a));
  }
  static constexpr AttributeMask from_bits(uint32_t bits) {
    AttributeMask m;
    m.bits_ = bits;
    return m;
  }
  constexpr uint32_t bits() const { return bits_; }
  constexpr bool has(TimerAttribute a) const { return (bits_ & static_cast<uint32_t>(a)) != 0; }
  // True when every attribute in `attrs` is allowed by this mask.
  constexpr bool allows(AttributeMask attrs) const { return (attrs.bits_ & ~bits_) == 0; }
  friend constexpr AttributeMask operator|(AttributeMask a, AttributeMask b) {
    return from_bits(a.bits_ | b.bits_);
  }
  friend constexpr bool operator==(AttributeMask, AttributeMask) = default;

 private:
  uint32_t bits_ = 0;
};

struct TimerOptions {
  AttributeMask attributes = AttributeMask::none();
};

}  // namespace vtime
