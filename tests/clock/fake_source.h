// Shared by the clock tests: a VIRTUAL source that reads whatever the test
// sets (a stand-in for the instruction counter), and a shorthand for guest
// instants.
#pragma once

#include "vtime/clock/virtual_source.h"

namespace vtime {

inline GuestTime guest(Duration d) { return GuestTime::from_epoch(d); }

class FakeSource final : public VirtualTimeSource {
 public:
  GuestTime virtual_now() override { return now; }
  GuestTime now;
};

}  // namespace vtime
