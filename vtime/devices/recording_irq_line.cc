#include "vtime/devices/recording_irq_line.h"

namespace vtime {

GuestTime RecordingIrqLine::now() const {
  return options_.clocks != nullptr ? options_.clocks->virtual_now() : GuestTime::epoch();
}

void RecordingIrqLine::set_level(bool high) {
  if (high == level_) return;  // not a change: nothing to record
  level_ = high;
  if (recording_) events_.push_back({now(), high});
  if (!high) return;
  if (awaiting_ack_) {
    ++coalesced_;
  } else {
    ++accepted_;
    awaiting_ack_ = true;
  }
  if (options_.ack == Ack::kImmediately) acknowledge();
}

void RecordingIrqLine::acknowledge() {
  if (!awaiting_ack_) return;
  ++acknowledged_;
  awaiting_ack_ = false;
}

}  // namespace vtime
