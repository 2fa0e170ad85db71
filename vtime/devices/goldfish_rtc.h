// GoldfishRtc: the goldfish real-time clock (Android emulator's "goldfish"
// platform, binding google,goldfish-rtc), as on QEMU's `virt` board. A 64-bit
// nanosecond counter derived from one VM clock plus an offset (never ticked),
// one alarm on that same clock, and a level interrupt while an alarm has fired
// and interrupts are enabled. Every register is 32 bits; reading TIME_LOW
// latches the counter's high half for the following TIME_HIGH read.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vtime/state/state_stream.h"
#include "vtime/clock/clock_id.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

// Register offsets (QEMU's goldfish_rtc model and Linux's rtc-goldfish driver).
namespace goldfish_rtc_reg {
inline constexpr uint64_t kTimeLow = 0x00;        // read: latches TIME_HIGH; write: sets bits 31..0
inline constexpr uint64_t kTimeHigh = 0x04;       // read: the latched half; write: sets bits 63..32
inline constexpr uint64_t kAlarmLow = 0x08;       // write: sets bits 31..0 and arms the alarm
inline constexpr uint64_t kAlarmHigh = 0x0c;      // write: sets bits 63..32 (arms nothing)
inline constexpr uint64_t kIrqEnabled = 0x10;     // bit 0
inline constexpr uint64_t kClearAlarm = 0x14;     // write: disarms the alarm
inline constexpr uint64_t kAlarmStatus = 0x18;    // read: 1 while the alarm is armed
inline constexpr uint64_t kClearInterrupt = 0x1c; // write: acknowledges a fired alarm
inline constexpr uint64_t kSize = 0x1000;         // window on `virt`; 0x20.. reserved
}  // namespace goldfish_rtc_reg
static_assert(goldfish_rtc_reg::kClearInterrupt + 4 <= goldfish_rtc_reg::kSize);

class GoldfishRtc final : public MmioDevice {
 public:
  struct Options {
    // VIRTUAL, VIRTUAL_RT or HOST (asserted): what the counter follows.
    ClockId clock = ClockId::kVirtual;
    // The counter's value, in ns since the Unix epoch, when `clock` reads what
    // it read at construction (so: at guest time zero on a board).
    uint64_t start_ns = 0;
  };

  GoldfishRtc(GuestLog& log, TimerGroup& timers, Options options);
  // The interrupt output (PLIC source 11 on `virt`); driven at once.
  void connect(IrqLine& irq);

  std::string_view name() const override { return "goldfish-rtc"; }
  uint64_t size() const override { return goldfish_rtc_reg::kSize; }
  AccessSizes sizes() const override { return {.min = 4, .max = 4}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

  // The counter now: ns since the Unix epoch (wraps modulo 2^64).
  uint64_t time_ns();
  // Makes the counter read `ns` now; an armed alarm keeps its counter value
  // and is re-armed against the moved counter (fires at once if now passed).
  void set_time_ns(uint64_t ns);
  // Power-on state of everything but the counter (a reboot keeps the time):
  // alarm disarmed and zero, interrupt not pending, interrupts disabled.
  void reset();

  // Snapshot (docs/snapshot.md): the counter's offset from its clock, the
  // alarm and its deadline, the latch and the interrupt state, verbatim.
  // load() changes nothing unless all of it read cleanly.
  void save(StateWriter& out) const;
  void load(StateReader& in);

  ClockId clock() const { return clock_; }
  bool alarm_armed() const { return alarm_armed_; }
  bool irq_pending() const { return irq_pending_; }

 private:
  Duration clock_now() const;
  void arm_alarm();
  void disarm_alarm();
  void on_alarm();
  void update_irq();

  GuestLog& log_;
  TimerGroup& timers_;
  const ClockId clock_;
  uint64_t offset_ = 0;  // counter = clock reading (ns since its epoch) + offset_
  uint64_t alarm_ = 0;   // ALARM_HIGH:ALARM_LOW, in counter ns
  uint32_t time_high_ = 0;  // latched by a TIME_LOW read
  bool alarm_armed_ = false;
  bool irq_pending_ = false;
  bool irq_enabled_ = false;
  IrqLine* irq_ = nullptr;
  // The alarm's timer, of the clock's domain: exactly one is present.
  std::optional<GuestTimer> guest_alarm_;
  std::optional<WallTimer> wall_alarm_;
};

}  // namespace vtime
