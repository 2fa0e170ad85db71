// LateWarning: the rate-limited "The guest is now late by X to Y seconds"
// message of QEMU's align mode, as pure logic. Lateness is reported
// in one-second bands: a message when the guest becomes later than the current
// band, or earlier than it by more than 1.5 s, at most once per 2 s of
// reference time. Differences from QEMU: nothing is printed while the guest is
// ahead or within `quiet` of the host (QEMU prints "late by 0.0 to 1.0" at the
// first nanosecond, and negative bands when ahead), and there is no cap of 100
// messages: the band rule plus the 2 s rate already bound the output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vtime/state/state_stream.h"
#include "vtime/time/instant.h"

namespace vtime {

class LateWarning {
 public:
  static constexpr Duration kMinInterval = 2s;
  static constexpr double kBandHysteresisS = 1.5;

  explicit LateWarning(Duration quiet = 0ns) : quiet_(quiet) {}

  // `late` = host - guest (> 0: guest behind), measured at reference time
  // `now`. Returns the message to print, if one is due.
  std::optional<std::string> check(GuestTime now, Duration late);
  uint64_t printed() const { return printed_; }

  // Snapshot (docs/snapshot.md). load() changes nothing unless all of it
  // read cleanly.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  Duration quiet_;
  int64_t band_ = 0;  // upper edge of the last reported band, seconds; 0 = none
  bool have_printed_ = false;
  GuestTime last_print_;
  uint64_t printed_ = 0;
};

}  // namespace vtime
