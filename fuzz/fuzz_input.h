// Helpers that turn fuzz bytes into the values the targets feed: spans biased
// towards the small ones that exercise corners, frequencies that are never
// zero, and a latching interrupt line.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>

#include "vtime/devices/irq_line.h"
#include "vtime/time/duration.h"
#include "vtime/time/frequency.h"

namespace vtime::fuzz {

// 0 .. 2^bits - 1 ns, where bits is itself drawn up to `max_bits`: most spans are short.
inline Duration short_span(FuzzedDataProvider& in, unsigned max_bits) {
  const unsigned bits = in.ConsumeIntegralInRange<unsigned>(0, max_bits);
  const uint64_t mask = bits == 0 ? 0 : (~uint64_t{0} >> (64 - bits));
  return Duration(static_cast<int64_t>(in.ConsumeIntegral<uint64_t>() & mask & INT64_MAX));
}

// 1 Hz .. 2^max_bits Hz, biased the same way.
inline Frequency some_frequency(FuzzedDataProvider& in, unsigned max_bits) {
  const unsigned bits = in.ConsumeIntegralInRange<unsigned>(1, max_bits);
  const uint64_t mask = ~uint64_t{0} >> (64 - bits);
  const uint64_t hz = in.ConsumeIntegral<uint64_t>() & mask;
  return Frequency::hz(hz == 0 ? 1 : hz);
}

// An interrupt input that holds its level; an interrupt awaits acknowledgement
// while the line is high.
class LatchLine final : public IrqLine {
 public:
  void set_level(bool high) override { level_ = high; }
  bool level() const override { return level_; }
  bool awaiting_ack() const override { return level_; }

 private:
  bool level_ = false;
};

}  // namespace vtime::fuzz
