// Hpet: the IA-PC HPET 1.0a timer block (behaviour per QEMU's model).
// A 100 MHz main counter derived from VIRTUAL (never ticked), 3..32
// comparators with one-shot and periodic modes, 32-bit mode, the VAL_SET
// accumulator write, legacy replacement routing, level and edge interrupts on
// IrqLines, 4- and 8-byte accesses (bit 2 of the offset selects the high half).
// Periodic comparators run on the lost-tick engine (tick_source.h): by default
// with QEMU's behaviour (missed periods merge into one interrupt); with
// driftfix=slew the lost ticks are re-injected (a proposed but never merged QEMU option).
// Leaves out: FSB/MSI delivery (no FSB capability), the PIT/RTC pass-through
// inputs of legacy mode, migration state.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "vtime/state/state_stream.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/hpet_regs.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"
#include "vtime/devices/tick_source.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

// QEMU's never-merged `-hpet driftfix=none|slew`.
enum class HpetDriftfix : uint8_t { kNone, kSlew };
Result<HpetDriftfix> parse_hpet_driftfix(std::string_view name);

class Hpet final : public MmioDevice {
 public:
  // Interrupt routes 0..31 (IOAPIC inputs on a PC); nullptr = not connected.
  using Routes = std::array<IrqLine*, hpet_reg::kRoutes>;
  struct Options {
    unsigned timers = 3;  // 3..32 (asserted; validate user input at the boundary)
    HpetDriftfix driftfix = HpetDriftfix::kNone;
    SlewParams slew = {};
    // QEMU keeps periodic expiries at least 1 µs apart.
    Duration min_periodic_interval = 1us;
  };

  Hpet(GuestLog& log, TimerGroup& timers, Routes routes, Options options);
  ~Hpet() override;

  std::string_view name() const override { return "hpet"; }
  uint64_t size() const override;
  AccessSizes sizes() const override { return {.min = 4, .max = 8}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

  // Power-on state: counter 0, disabled, every comparator all ones.
  void reset();

  unsigned timers() const { return static_cast<unsigned>(comparators_.size()); }
  uint64_t main_counter();
  // Timer N's lost-tick engine (its counters show what periodic mode lost).
  const TickSource& periodic_engine(unsigned n) const;

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  struct Comparator;

  // Register I/O (hpet_registers.cc): whole 64-bit registers, `mask` naming the
  // bits a 4-byte access wrote.
  uint64_t read_register(uint64_t reg);
  void write_register(uint64_t reg, uint64_t value, uint64_t mask);
  void write_gen_conf(uint64_t value);
  void write_isr(uint64_t value);
  void write_main_counter(uint64_t value);
  void write_timer_config(Comparator& t, uint64_t value, uint64_t mask);
  void write_comparator(Comparator& t, uint64_t value, uint64_t mask);
  uint64_t comparator_value(const Comparator& t) const;
  void publish_comparator(Comparator& t);

  // Behaviour (hpet.cc).
  bool enabled() const;
  uint64_t ticks_now();
  GuestTime time_at_tick(uint64_t tick) const;
  uint64_t tick_at_time(GuestTime t) const;
  void program(Comparator& t);
  void on_oneshot(Comparator& t);
  Delivery set_irq(Comparator& t);
  void clear_irq(Comparator& t);
  IrqLine* route_of(const Comparator& t) const;
  void enable_counter();
  void disable_counter();

  TimerGroup& group_;
  GuestLog& log_;
  Routes routes_;
  Options options_;
  uint64_t config_ = 0;
  uint64_t isr_ = 0;
  uint64_t counter_ = 0;      // the counter while disabled; the base while enabled
  GuestTime enabled_at_;      // VIRTUAL time at which the counter read counter_
  uint32_t route_cap_ = 0;    // connected routes
  std::vector<std::unique_ptr<Comparator>> comparators_;
};

}  // namespace vtime
