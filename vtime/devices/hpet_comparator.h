// One HPET comparator's state, shared by hpet.cc (behaviour) and
// hpet_registers.cc (register I/O). Private to the Hpet implementation.
#pragma once

#include "vtime/devices/hpet.h"

namespace vtime {

struct Hpet::Comparator {
  Comparator(Hpet& hpet, unsigned n);

  uint64_t mask() const { return uint64_t{1} << index; }
  bool level() const { return (config & hpet_reg::kTnIntTypeCnf) != 0; }
  bool is_periodic() const { return (config & hpet_reg::kTnTypeCnf) != 0; }
  bool mode32() const { return (config & hpet_reg::kTn32ModeCnf) != 0; }

  unsigned index;
  uint64_t config = 0;
  uint64_t cmp = ~uint64_t{0};  // the comparator register (one-shot target, or set by VAL_SET)
  uint64_t period = 0;          // hidden periodic increment, in ticks
  uint64_t fsb = 0;             // stored only: no FSB delivery
  bool wrap_pending = false;    // one-shot 32-bit: armed at the counter wrap first
  uint64_t target = 0;          // one-shot: the 64-bit tick it waits for
  GuestTimer oneshot;
  TickSource periodic;          // periodic mode runs on the lost-tick engine
};

}  // namespace vtime
