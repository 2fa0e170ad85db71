// Hpet register I/O: decoding offsets and access sizes into whole-register
// reads and writes, and each register's write rules (IA-PC HPET 1.0a §2.3,
// QEMU's model for the corners). A 4-byte access addresses one
// half of a 64-bit register (offset bit 2 = high half) and writes only that half.
#include "vtime/devices/hpet.h"

#include "vtime/devices/hpet_comparator.h"

#include "vtime/devices/reg_access.h"

namespace vtime {

using namespace hpet_reg;

namespace {
constexpr uint64_t kLow32 = 0xffff'ffffull;
uint64_t merge(uint64_t old, uint64_t value, uint64_t mask) { return (old & ~mask) | (value & mask); }
}  // namespace

uint64_t Hpet::read(uint64_t offset, unsigned size) {
  const uint64_t reg = read_register(offset & ~uint64_t{7});
  if (size == 8) return reg;
  return reg_access::read_half(reg, offset);
}

void Hpet::write(uint64_t offset, unsigned size, uint64_t value) {
  if (size == 8) {
    write_register(offset, value, ~uint64_t{0});
    return;
  }
  const reg_access::HalfWrite half = reg_access::half_write(offset, static_cast<uint32_t>(value));
  write_register(offset & ~uint64_t{7}, half.value, half.mask);
}

uint64_t Hpet::read_register(uint64_t reg) {
  switch (reg) {
    case kGcapId:
      return kRevId | (uint64_t{timers() - 1} << kNumTimCapShift) | kCountSizeCap | kLegRtCap |
             kVendorId | (kClkPeriodFs << kClkPeriodShift);
    case kGenConf: return config_;
    case kGintrSta: return isr_;
    case kMainCnt: return ticks_now();
    default: break;
  }
  if (reg >= kTimer0 && reg < kTimer0 + timers() * kTimerStride) {
    const Comparator& t = *comparators_[(reg - kTimer0) / kTimerStride];
    switch ((reg - kTimer0) % kTimerStride) {
      case kTnConfCap: return t.config;
      case kTnComparator: return comparator_value(t);
      case kTnFsbRoute: return t.fsb;
      default: break;
    }
  }
  log_.guest_error("hpet: read from reserved offset {:#x}", reg);
  return 0;
}

void Hpet::write_register(uint64_t reg, uint64_t value, uint64_t mask) {
  switch (reg) {
    case kGcapId: log_.guest_error("hpet: write to read-only GCAP_ID"); return;
    case kGenConf: write_gen_conf(merge(config_, value, mask)); return;
    case kGintrSta: write_isr(value & mask); return;
    case kMainCnt: write_main_counter(merge(ticks_now(), value, mask)); return;
    default: break;
  }
  if (reg >= kTimer0 && reg < kTimer0 + timers() * kTimerStride) {
    Comparator& t = *comparators_[(reg - kTimer0) / kTimerStride];
    switch ((reg - kTimer0) % kTimerStride) {
      case kTnConfCap: write_timer_config(t, value, mask); return;
      case kTnComparator: write_comparator(t, value, mask); return;
      case kTnFsbRoute: t.fsb = merge(t.fsb, value, mask); return;
      default: break;
    }
  }
  log_.guest_error("hpet: write to reserved offset {:#x}", reg);
}

void Hpet::write_gen_conf(uint64_t value) {
  const uint64_t old = config_;
  const uint64_t next = value & kGenConfWritable;
  const bool turning_on = (old & kEnableCnf) == 0 && (next & kEnableCnf) != 0;
  const bool turning_off = (old & kEnableCnf) != 0 && (next & kEnableCnf) == 0;
  const bool reroute = (old & kLegRtCnf) != (next & kLegRtCnf);
  if (turning_off) disable_counter();
  if (reroute) {
    // Timers 0 and 1 move between their own routes and the legacy ones: the
    // old wires drop, and a pending level interrupt reappears on the new one.
    for (unsigned n = 0; n < 2; ++n) {
      if (IrqLine* line = route_of(*comparators_[n])) line->lower();
    }
  }
  config_ = next;
  if (turning_on) {
    enable_counter();
  } else if (reroute && enabled()) {
    for (unsigned n = 0; n < 2; ++n) {
      Comparator& t = *comparators_[n];
      if (t.level() && (isr_ & t.mask()) != 0 && (t.config & kTnIntEnbCnf) != 0) set_irq(t);
    }
  }
}

void Hpet::write_isr(uint64_t value) {
  for (auto& t : comparators_) {
    // Write 1 to clear; only level-triggered timers latch status.
    if ((value & t->mask()) != 0 && t->level()) clear_irq(*t);
  }
}

void Hpet::write_main_counter(uint64_t value) {
  // Software must halt the counter before writing it (spec §2.3.6.1); a write
  // to a running counter is dropped.
  if (enabled()) {
    log_.guest_error("hpet: main counter written while enabled; ignored");
    return;
  }
  counter_ = value;
}

void Hpet::write_timer_config(Comparator& t, uint64_t value, uint64_t mask) {
  publish_comparator(t);
  const uint64_t old = t.config;
  const uint64_t next = merge(old, value, mask & kTnConfWritable);
  if ((old & kTnIntTypeCnf) != 0 && (next & kTnIntTypeCnf) == 0) clear_irq(t);  // level -> edge
  const auto route = static_cast<unsigned>((next & kTnIntRouteMask) >> kTnIntRouteShift);
  if ((route_cap_ & (1u << route)) == 0 && (next & kTnIntEnbCnf) != 0) {
    log_.guest_error("hpet: timer {} routed to IRQ {}, which it cannot drive", t.index, route);
  }
  t.config = next;
  const bool unmasked = (old & kTnIntEnbCnf) == 0 && (next & kTnIntEnbCnf) != 0;
  if (unmasked && t.level() && (isr_ & t.mask()) != 0 && enabled()) set_irq(t);
  if (t.mode32()) {
    t.cmp &= kLow32;
    t.period &= kLow32;
  }
  if (enabled()) program(t);
}

void Hpet::write_comparator(Comparator& t, uint64_t value, uint64_t mask) {
  if (t.mode32()) {
    mask &= kLow32;  // the high half of a 32-bit comparator ignores writes
    if (mask == 0) return;
  }
  publish_comparator(t);
  // One-shot, or VAL_SET: the comparator itself. Periodic: the hidden period
  // (both, with VAL_SET). VAL_SET clears after any comparator write.
  if (!t.is_periodic() || (t.config & kTnValSetCnf) != 0) t.cmp = merge(t.cmp, value, mask);
  if (t.is_periodic()) t.period = merge(t.period, value, mask);
  t.config &= ~kTnValSetCnf;
  if (enabled()) program(t);
}

// A running periodic comparator shows the next slot its engine will reach.
// Before a reprogram that value becomes the register, as QEMU's expiry
// publishes it: a new period then starts from the slot already scheduled.
void Hpet::publish_comparator(Comparator& t) {
  if (t.is_periodic() && t.periodic.running() && !t.periodic.next_slot().is_never()) {
    t.cmp = tick_at_time(t.periodic.next_slot());
  }
}

uint64_t Hpet::comparator_value(const Comparator& t) const {
  if (!t.is_periodic() || !t.periodic.running() || t.periodic.next_slot().is_never()) return t.cmp;
  const uint64_t next = tick_at_time(t.periodic.next_slot());
  return t.mode32() ? (next & kLow32) : next;
}

}  // namespace vtime
