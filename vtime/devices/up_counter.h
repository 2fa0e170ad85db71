// UpCounter: an "itimer" - an incrementing counter clocked at an input
// frequency divided by a prescaler, with a compare value and compare/overflow
// interrupts. The count is derived from VIRTUAL on every read (never ticked);
// one deadline per event is recomputed when a register that affects it changes.
// Interrupts are level: an event latches a status flag, and the line is high
// while a flag is set and its interrupt enabled; clear() acknowledges.
// Leaves out: capture inputs, PWM outputs, clear-on-compare modes.
#pragma once

#include <cstdint>

#include "vtime/devices/irq_line.h"
#include "vtime/time/frequency.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

class UpCounter {
 public:
  struct Options {
    Frequency input = Frequency::mhz(1);
    uint32_t prescaler = 1;  // divide the input by this (>= 1, asserted)
    unsigned width = 32;     // counter bits, 1..64 (asserted)
  };
  // Which interrupts: used for enables, pending flags and acknowledgement.
  struct Events {
    bool compare = false;
    bool overflow = false;
  };

  UpCounter(TimerGroup& group, IrqLine& compare_irq, IrqLine& overflow_irq, Options options);
  UpCounter(const UpCounter&) = delete;
  UpCounter& operator=(const UpCounter&) = delete;

  // Counting starts or stops now; a stopped counter keeps its value.
  void start();
  void stop();
  bool running() const { return running_; }

  // The counter now, in [0, 2^width), rounded down to whole counts.
  uint64_t value();
  // Loads the counter (truncated to the width); counting continues from it.
  void set_value(uint64_t value);
  // A new division applies from now; the fraction of a count in progress is
  // dropped (the counter restarts its current count).
  void set_prescaler(uint32_t prescaler);
  // The compare interrupt fires each time counting reaches `compare` (not for a
  // value already equal when it is written).
  void set_compare(uint64_t compare);
  uint64_t compare() const { return compare_; }

  void set_enables(Events enables);
  Events pending() const { return pending_; }
  // Acknowledges the named flags (the lines drop if nothing else holds them).
  void clear(Events which);

 private:
  uint64_t mask() const;
  uint64_t counts_since_base(GuestTime now) const;
  GuestTime time_of_count(uint64_t counts_since_base) const;
  void rebase();
  void schedule();
  uint64_t next_recurrence(uint64_t at, GuestTime due) const;
  void on_compare(GuestTime due);
  void on_overflow(GuestTime due);
  void update_lines();

  TimerGroup& group_;
  IrqLine& compare_irq_;
  IrqLine& overflow_irq_;
  Options options_;
  bool running_ = false;
  uint64_t base_value_ = 0;  // the counter at base_time_ (its value while stopped)
  GuestTime base_time_;
  uint64_t compare_ = 0;
  uint64_t compare_at_ = 0;   // counts since base of the scheduled match
  uint64_t overflow_at_ = 0;  // counts since base of the scheduled wrap
  Events enables_;
  Events pending_;
  GuestTimer compare_timer_;
  GuestTimer overflow_timer_;
};

}  // namespace vtime
