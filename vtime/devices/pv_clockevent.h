// PvClockEvent: the paravirtual clock-event device Thomas Gleixner proposed in
// a paravirtual timer interface KVM never built. The guest writes an absolute deadline in its
// own monotonic ns (the pvclock timeline, PvTimeline) in one 64-bit register
// write; the device maps it to VIRTUAL itself (the "host-guest delta") and
// raises its interrupt at that instant: no ns->ticks conversion in the guest,
// no ticks->ns conversion in the host. Arming in the past fires at once.
// Register map: docs/devices/pv-clockevent.md. The interrupt is a level held
// until the guest acknowledges it in STATUS.
// Leaves out: per-hart banks (one device per hart, as one LAPIC per CPU).
#pragma once

#include <cstdint>
#include <string_view>

#include "vtime/state/state_stream.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"
#include "vtime/devices/pvclock.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

namespace pv_clockevent_reg {
// DEADLINE: 64-bit, read/write. An 8-byte write arms (or disarms, kDisarm).
// As 32-bit halves: a write to +0 only latches the low half; the write to +4
// commits {high, latched low} - write low first, then high.
inline constexpr uint64_t kDeadline = 0x00;
inline constexpr uint64_t kDeadlineHigh = 0x04;
inline constexpr uint64_t kStatus = 0x08;    // 32-bit: kPending (write 1 to clear), kArmed (ro)
inline constexpr uint64_t kNow = 0x10;       // 64-bit, read-only: the timeline's ns now
inline constexpr uint64_t kId = 0x18;        // 32-bit, read-only: kMagic
inline constexpr uint64_t kVersion = 0x1C;   // 32-bit, read-only
inline constexpr uint64_t kSize = 0x20;

inline constexpr uint64_t kDisarm = UINT64_MAX;  // also what DEADLINE reads when not armed
inline constexpr uint32_t kPending = 1u << 0;
inline constexpr uint32_t kArmed = 1u << 1;
inline constexpr uint32_t kMagic = 0x7076'6365;  // "pvce"
inline constexpr uint32_t kDeviceVersion = 1;
}  // namespace pv_clockevent_reg
static_assert(pv_clockevent_reg::kVersion + 4 == pv_clockevent_reg::kSize);

class PvClockEvent final : public MmioDevice {
 public:
  struct Options {
    PvTimeline timeline = {};  // the same one the board gives PvClock
  };

  PvClockEvent(GuestLog& log, TimerGroup& timers, Options options);
  PvClockEvent(const PvClockEvent&) = delete;
  PvClockEvent& operator=(const PvClockEvent&) = delete;

  void connect(IrqLine& irq);  // drives the current level

  // MmioDevice: 4- and 8-byte accesses; DEADLINE and NOW take both (halves at
  // +0/+4), STATUS, ID and VERSION take 4 bytes.
  std::string_view name() const override { return "pv-clockevent"; }
  uint64_t size() const override { return pv_clockevent_reg::kSize; }
  AccessSizes sizes() const override { return {.min = 4, .max = 8}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

  // Arms for timeline ns `deadline` (replacing any armed one); at once when
  // it is not after now; kDisarm disarms. A deadline beyond VIRTUAL's range
  // never fires but reads back.
  void write_deadline(uint64_t deadline);
  // The armed deadline, kDisarm when none (after it fired, or disarmed).
  uint64_t deadline() const { return deadline_; }
  void acknowledge();  // lowers the line
  bool pending() const { return level_; }
  uint64_t now_ns() const;
  GuestTime armed_at() const { return timer_.expire_time(); }  // never() if not armed
  uint64_t interrupts() const { return interrupts_; }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  void fire();

  GuestLog& log_;
  TimerGroup& timers_;
  const PvTimeline timeline_;
  IrqLine* irq_ = nullptr;
  bool level_ = false;
  uint64_t deadline_ = pv_clockevent_reg::kDisarm;
  uint32_t latched_low_ = 0;
  uint64_t interrupts_ = 0;
  GuestTimer timer_;
};

}  // namespace vtime
