// RecordingIrqLine: an IrqLine receiver for tests and simulations. It records
// every level change (with the VIRTUAL time when given the clocks), counts
// rising edges, and plays the interrupt controller's part in the delivered /
// coalesced feedback: a rising edge leaves the interrupt awaiting
// acknowledgement until the test (standing in for the guest) calls acknowledge().
// Leaves out: priorities, masking, routing - it is one wire and one guest.
#pragma once

#include <cstdint>
#include <vector>

#include "vtime/clock/vm_clocks.h"
#include "vtime/devices/irq_line.h"
#include "vtime/time/instant.h"

namespace vtime {

class RecordingIrqLine final : public IrqLine {
 public:
  enum class Ack {
    kByTest,       // stays awaiting acknowledgement until acknowledge()
    kImmediately,  // every edge is taken at once (a guest that is never late)
  };
  struct Options {
    VmClocks* clocks = nullptr;  // when set, events carry VIRTUAL time
    Ack ack = Ack::kByTest;
  };
  struct Event {
    GuestTime at;  // VIRTUAL time of the change; the epoch without clocks
    bool level;
  };

  RecordingIrqLine() : RecordingIrqLine(Options{}) {}
  explicit RecordingIrqLine(Options options) : options_(options) {}

  void set_level(bool high) override;
  bool level() const override { return level_; }
  bool awaiting_ack() const override { return awaiting_ack_; }

  // The guest takes and completes the interrupt; the next rising edge is a
  // new delivery. A level still high is not re-latched: the receiver only
  // reacts to edges (the device lowers and raises again to interrupt anew).
  // No effect when nothing is awaiting acknowledgement.
  void acknowledge();

  const std::vector<Event>& events() const { return events_; }
  // Rising edges seen, and how they split into ones that arrived while nothing
  // was pending (accepted) and ones that merged into a pending interrupt.
  uint64_t rising_edges() const { return accepted_ + coalesced_; }
  uint64_t accepted() const { return accepted_; }
  uint64_t coalesced() const { return coalesced_; }
  uint64_t acknowledged() const { return acknowledged_; }
  // Forgets recorded events (counters stay): long simulations need no history.
  void clear_events() { events_.clear(); }
  void set_recording(bool on) { recording_ = on; }

 private:
  GuestTime now() const;

  Options options_;
  bool level_ = false;
  bool awaiting_ack_ = false;
  bool recording_ = true;
  uint64_t accepted_ = 0;
  uint64_t coalesced_ = 0;
  uint64_t acknowledged_ = 0;
  std::vector<Event> events_;
};

}  // namespace vtime
