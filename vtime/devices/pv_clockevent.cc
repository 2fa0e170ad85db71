#include "vtime/devices/pv_clockevent.h"

#include "vtime/devices/reg_access.h"

namespace vtime {

using namespace pv_clockevent_reg;

PvClockEvent::PvClockEvent(GuestLog& log, TimerGroup& timers, Options options)
    : log_(log),
      timers_(timers),
      timeline_(options.timeline),
      timer_(timers, ClockId::kVirtual, [this](GuestTime) { fire(); }) {}

void PvClockEvent::connect(IrqLine& irq) {
  irq_ = &irq;
  irq.set_level(level_);
}

uint64_t PvClockEvent::now_ns() const { return timeline_.ns_at(timers_.clocks().virtual_now()); }

uint64_t PvClockEvent::read(uint64_t offset, unsigned size) {
  const uint64_t reg = offset & ~uint64_t{7};
  if ((reg == kDeadline || reg == kNow) && (size == 8 || size == 4)) {
    const uint64_t value = reg == kDeadline ? deadline_ : now_ns();
    return size == 8 ? value : reg_access::read_half(value, offset);
  }
  if (size == 4) {
    switch (offset) {
      case kStatus: return (level_ ? kPending : 0) | (timer_.pending() ? kArmed : 0);
      case kId: return kMagic;
      case kVersion: return kDeviceVersion;
      default: break;
    }
  }
  log_.guest_error("pv-clockevent: {}-byte read of offset {:#x}", size, offset);
  return 0;
}

void PvClockEvent::write(uint64_t offset, unsigned size, uint64_t value) {
  if (offset == kDeadline && size == 8) {
    write_deadline(value);
    return;
  }
  if (size == 4) {
    const auto v32 = static_cast<uint32_t>(value);
    switch (offset) {
      case kDeadline: latched_low_ = v32; return;  // committed by the high half
      case kDeadlineHigh: write_deadline((uint64_t{v32} << 32) | latched_low_); return;
      case kStatus:
        if ((v32 & kPending) != 0) acknowledge();
        return;
      default: break;
    }
  }
  log_.guest_error("pv-clockevent: {}-byte write of {:#x} to offset {:#x}", size, value, offset);
}

void PvClockEvent::write_deadline(uint64_t deadline) {
  deadline_ = deadline;
  if (deadline == kDisarm) {
    timer_.cancel();
    return;
  }
  const GuestTime at = timeline_.instant_of(deadline);
  if (at <= timers_.clocks().virtual_now()) {
    timer_.cancel();
    fire();
    return;
  }
  timer_.arm(at);  // never() for a deadline beyond VIRTUAL's range: stays unarmed
}

void PvClockEvent::acknowledge() {
  if (!level_) return;
  level_ = false;
  if (irq_ != nullptr) irq_->set_level(false);
}

void PvClockEvent::fire() {
  deadline_ = kDisarm;
  ++interrupts_;
  level_ = true;
  if (irq_ != nullptr) irq_->raise();
}


void PvClockEvent::save(StateWriter& out) const {
  out.boolean(level_);
  out.u64(deadline_);
  out.u32(latched_low_);
  out.u64(interrupts_);
  out.guest_time(timer_.expire_time());
}

void PvClockEvent::load(StateReader& in) {
  const bool level = in.boolean();
  const uint64_t deadline = in.u64();
  const uint32_t latched = in.u32();
  const uint64_t interrupts = in.u64();
  const GuestTime due = in.guest_time();
  if (!in.ok()) return;
  level_ = level;
  deadline_ = deadline;
  latched_low_ = latched;
  interrupts_ = interrupts;
  timer_.arm(due);
}

}  // namespace vtime
