// LapicTimer: the local APIC timer of one hart (Intel SDM vol. 3A §11.5.4,
// "APIC Timer"): the LVT timer register (vector, mask, one-shot / periodic /
// TSC-deadline), the divide configuration register, the initial and current
// count, and IA32_TSC_DEADLINE - which on x86 is an MSR and here is a 64-bit
// register in the same MMIO window (vtime-specific block at 0x400, see
// docs/devices/lapic-timer.md). The current count is derived from VIRTUAL,
// never ticked; periodic mode steps from the intended deadline (no drift).
// The interrupt is a level on an IrqLine, held until the guest writes EOI.
// Leaves out: the rest of the local APIC (IDs, ICR, other LVT entries, the
// ISR/IRR priority logic): the vector is stored and reported, not delivered.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "vtime/state/state_stream.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"
#include "vtime/time/frequency.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

// xAPIC offsets (SDM Table 11-1), then the vtime extension block.
namespace lapic_reg {
inline constexpr uint64_t kEoi = 0x0B0;          // 32-bit, write-only: lowers the interrupt
inline constexpr uint64_t kLvtTimer = 0x320;     // 32-bit
inline constexpr uint64_t kTmict = 0x380;        // initial count, 32-bit
inline constexpr uint64_t kTmcct = 0x390;        // current count, 32-bit, read-only
inline constexpr uint64_t kTdcr = 0x3E0;         // divide configuration, 32-bit
// vtime extension (reserved space of the xAPIC page), 64-bit accesses only:
inline constexpr uint64_t kTscDeadline = 0x400;  // IA32_TSC_DEADLINE (MSR 0x6E0 on x86)
inline constexpr uint64_t kTsc = 0x408;          // the guest TSC now, read-only
inline constexpr uint64_t kBusFrequency = 0x410; // timer input clock in Hz, read-only
inline constexpr uint64_t kTscFrequency = 0x418; // guest TSC rate in Hz, read-only
inline constexpr uint64_t kSize = 0x1000;        // the xAPIC page

// LVT timer fields.
inline constexpr uint32_t kVectorMask = 0xFF;
inline constexpr uint32_t kDeliveryStatus = 1u << 12;  // read-only; always 0 (idle) here
inline constexpr uint32_t kMasked = 1u << 16;
inline constexpr unsigned kModeShift = 17;
inline constexpr uint32_t kModeMask = 3u << kModeShift;
inline constexpr uint32_t kLvtWritable = kVectorMask | kMasked | kModeMask;
inline constexpr uint32_t kLvtReset = kMasked;
inline constexpr uint32_t kTdcrWritable = 0xB;  // bits 0, 1 and 3
}  // namespace lapic_reg
static_assert(lapic_reg::kTscFrequency + 8 <= lapic_reg::kSize);

enum class LapicTimerMode : uint8_t { kOneShot = 0, kPeriodic = 1, kTscDeadline = 2 };

// The SDM's divide encoding: bits 3,1,0 = 000 -> 2, 001 -> 4, ..., 110 -> 128,
// 111 -> 1.
constexpr uint32_t lapic_divisor(uint32_t tdcr) {
  const uint32_t code = ((tdcr >> 1) & 4) | (tdcr & 3);
  return code == 7 ? 1 : 2u << code;
}
static_assert(lapic_divisor(0x0) == 2 && lapic_divisor(0x3) == 16 && lapic_divisor(0x8) == 32 &&
              lapic_divisor(0xA) == 128 && lapic_divisor(0xB) == 1);

class LapicTimer final : public MmioDevice {
 public:
  struct Options {
    // The timer's input clock (the x86 "bus"/core crystal clock), before the
    // divider. A guest reads it at kBusFrequency to calibrate; the board also
    // puts it in the device tree.
    Frequency bus = Frequency::mhz(100);
  };

  // Timers go on `timers`' VIRTUAL list; the TSC is `timers.clocks().tsc()`.
  LapicTimer(GuestLog& log, TimerGroup& timers, Options options);
  ~LapicTimer() override;
  LapicTimer(const LapicTimer&) = delete;
  LapicTimer& operator=(const LapicTimer&) = delete;

  // Connecting drives the current level.
  void connect(IrqLine& irq);

  // MmioDevice: 4-byte accesses to the xAPIC registers, 8-byte accesses to the
  // extension block; anything else is a guest error (reads 0, write ignored).
  std::string_view name() const override { return "lapic-timer"; }
  uint64_t size() const override { return lapic_reg::kSize; }
  AccessSizes sizes() const override { return {.min = 4, .max = 8}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

  // --- Registers by name (the MMIO switch calls these) --------------------
  // Changing the mode into or out of TSC-deadline disarms the timer (TMICT and
  // IA32_TSC_DEADLINE read 0 after it); one-shot <-> periodic keeps counting.
  // Masking suppresses future interrupts only; a raised one stays until EOI.
  void write_lvt_timer(uint32_t value);
  // One-shot/periodic: (re)starts counting from `count` now; 0 stops. Ignored
  // in TSC-deadline mode (SDM).
  void write_tmict(uint32_t count);
  // Counting continues at the new rate from the current count (the partial
  // tick in progress is dropped).
  void write_tdcr(uint32_t value);
  // TSC-deadline mode: arms for the first instant the TSC reads >= `deadline`
  // (at once if already past); 0 disarms. Ignored in the other modes. Reads
  // back 0 once it has fired (SDM).
  void write_tsc_deadline(uint64_t deadline);
  void eoi();

  uint32_t lvt_timer() const { return lvt_; }
  uint32_t tmict() const { return tmict_; }
  // Initial count minus the whole timer ticks elapsed since counting started
  // (rounded down), so it reaches 0 exactly at the deadline; periodic mode
  // reloads at that instant. 0 when stopped, finished or in TSC-deadline mode.
  uint32_t tmcct() const;
  uint32_t tdcr() const { return tdcr_; }
  uint64_t tsc_deadline() const { return tsc_deadline_; }
  LapicTimerMode mode() const;
  bool masked() const { return (lvt_ & lapic_reg::kMasked) != 0; }
  uint8_t vector() const { return static_cast<uint8_t>(lvt_ & lapic_reg::kVectorMask); }
  Frequency bus_frequency() const { return bus_; }
  // The instant the armed timer fires, never() when none (tests, diagnostics).
  GuestTime deadline() const { return timer_.expire_time(); }
  // Interrupts raised since construction (diagnostics, the cost experiment).
  uint64_t interrupts() const { return interrupts_; }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  GuestTime now() const;
  // Time of `ticks` divided-clock ticks, rounded up (a deadline never early).
  Duration time_for_ticks(uint64_t ticks) const;
  uint64_t ticks_in(Duration span) const;  // rounded down
  void start_count(uint32_t count);        // count > 0, counting mode
  void disarm();
  void fire();
  void on_timer(GuestTime due);

  GuestLog& log_;
  TimerGroup& timers_;
  const Frequency bus_;
  IrqLine* irq_ = nullptr;
  bool level_ = false;
  uint32_t lvt_ = lapic_reg::kLvtReset;
  uint32_t tmict_ = 0;
  uint32_t tdcr_ = 0;
  uint64_t tsc_deadline_ = 0;
  // Counting: the armed expiry is `expiry_ticks_` divided-clock ticks after
  // `base_` (the count was expiry_ticks_ there; periodic mode adds tmict_ per
  // period, so deadlines never accumulate rounding).
  bool counting_ = false;
  GuestTime base_;
  uint64_t expiry_ticks_ = 0;
  uint64_t interrupts_ = 0;
  GuestTimer timer_;
};

}  // namespace vtime
