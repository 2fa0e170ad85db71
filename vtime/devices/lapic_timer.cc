#include "vtime/devices/lapic_timer.h"

#include <cassert>

#include "vtime/time/round.h"

namespace vtime {

using namespace lapic_reg;

namespace {
constexpr uint64_t kNsPerSecond = 1'000'000'000;
constexpr bool is_extension(uint64_t offset) { return offset >= kTscDeadline; }
}  // namespace

LapicTimer::LapicTimer(GuestLog& log, TimerGroup& timers, Options options)
    : log_(log),
      timers_(timers),
      bus_(options.bus),
      timer_(timers, ClockId::kVirtual, [this](GuestTime due) { on_timer(due); }) {
  assert(!bus_.is_zero());
}

LapicTimer::~LapicTimer() = default;

void LapicTimer::connect(IrqLine& irq) {
  irq_ = &irq;
  irq.set_level(level_);
}

GuestTime LapicTimer::now() const { return timers_.clocks().virtual_now(); }

Duration LapicTimer::time_for_ticks(uint64_t ticks) const {
  const uint64_t ns = mul_div(ticks, lapic_divisor(tdcr_) * kNsPerSecond, bus_.hz(), Round::kUp);
  if (ns > static_cast<uint64_t>(Duration::max().count())) return Duration::max();
  return Duration(static_cast<int64_t>(ns));
}

uint64_t LapicTimer::ticks_in(Duration span) const {
  if (span.count() <= 0) return 0;
  return mul_div(static_cast<uint64_t>(span.count()), bus_.hz(),
                 lapic_divisor(tdcr_) * kNsPerSecond, Round::kDown);
}

LapicTimerMode LapicTimer::mode() const {
  const uint32_t bits = (lvt_ & kModeMask) >> kModeShift;
  // 11b is reserved; treated as one-shot, like KVM.
  return bits == 1 ? LapicTimerMode::kPeriodic
                   : bits == 2 ? LapicTimerMode::kTscDeadline : LapicTimerMode::kOneShot;
}

uint64_t LapicTimer::read(uint64_t offset, unsigned size) {
  if (size != (is_extension(offset) ? 8u : 4u)) {
    log_.guest_error("lapic-timer: {}-byte read of offset {:#x}", size, offset);
    return 0;
  }
  switch (offset) {
    case kEoi: return 0;
    case kLvtTimer: return lvt_;
    case kTmict: return tmict_;
    case kTmcct: return tmcct();
    case kTdcr: return tdcr_;
    case kTscDeadline: return tsc_deadline_;
    case kTsc: return timers_.clocks().tsc();
    case kBusFrequency: return bus_.hz();
    case kTscFrequency: return timers_.clocks().tsc_frequency().hz();
    default:
      log_.guest_error("lapic-timer: read from reserved offset {:#x}", offset);
      return 0;
  }
}

void LapicTimer::write(uint64_t offset, unsigned size, uint64_t value) {
  if (size != (is_extension(offset) ? 8u : 4u)) {
    log_.guest_error("lapic-timer: {}-byte write of {:#x} to offset {:#x}", size, value, offset);
    return;
  }
  const auto v32 = static_cast<uint32_t>(value);
  switch (offset) {
    case kEoi: eoi(); return;
    case kLvtTimer: write_lvt_timer(v32); return;
    case kTmict: write_tmict(v32); return;
    case kTdcr: write_tdcr(v32); return;
    case kTscDeadline: write_tsc_deadline(value); return;
    case kTmcct:
    case kTsc:
    case kBusFrequency:
    case kTscFrequency:
      log_.guest_error("lapic-timer: write {:#x} to read-only offset {:#x}", value, offset);
      return;
    default:
      log_.guest_error("lapic-timer: write {:#x} to reserved offset {:#x}", value, offset);
      return;
  }
}

void LapicTimer::write_lvt_timer(uint32_t value) {
  const bool was_deadline = mode() == LapicTimerMode::kTscDeadline;
  lvt_ = value & kLvtWritable;
  const bool is_deadline = mode() == LapicTimerMode::kTscDeadline;
  if (was_deadline != is_deadline) disarm();  // SDM: a transition disarms the timer
}

void LapicTimer::write_tmict(uint32_t count) {
  if (mode() == LapicTimerMode::kTscDeadline) return;  // SDM: ignored in this mode
  tmict_ = count;
  if (count == 0) {
    counting_ = false;
    timer_.cancel();
    return;
  }
  base_ = now();
  start_count(count);
}

void LapicTimer::write_tdcr(uint32_t value) {
  if (!counting_) {
    tdcr_ = value & kTdcrWritable;
    return;
  }
  const uint32_t current = tmcct();
  tdcr_ = value & kTdcrWritable;
  base_ = now();
  if (current == 0) {
    // Finished one-shot: nothing to continue.
    counting_ = false;
    return;
  }
  start_count(current);
}

void LapicTimer::start_count(uint32_t count) {
  counting_ = true;
  expiry_ticks_ = count;
  timer_.arm(base_ + time_for_ticks(expiry_ticks_));
}

void LapicTimer::write_tsc_deadline(uint64_t deadline) {
  if (mode() != LapicTimerMode::kTscDeadline) return;  // SDM: ignored in the count modes
  tsc_deadline_ = deadline;
  if (deadline == 0) {
    timer_.cancel();
    return;
  }
  if (deadline <= timers_.clocks().tsc()) {
    timer_.cancel();
    tsc_deadline_ = 0;
    fire();
    return;
  }
  // The TSC is VIRTUAL's ticks rounded down: the first instant it reads `deadline`.
  timer_.arm(GuestTime::from_epoch(timers_.clocks().tsc_frequency().time_for(deadline, Round::kUp)));
}

void LapicTimer::eoi() {
  if (!level_) return;
  level_ = false;
  if (irq_ != nullptr) irq_->set_level(false);
}

uint32_t LapicTimer::tmcct() const {
  if (!counting_ || mode() == LapicTimerMode::kTscDeadline) return 0;
  const uint64_t elapsed = ticks_in(now() - base_);
  // Within the armed period the distance to its expiry is at most one reload.
  if (elapsed < expiry_ticks_) return static_cast<uint32_t>(expiry_ticks_ - elapsed);
  if (mode() != LapicTimerMode::kPeriodic) return 0;
  // Expiry reached but its callback has not run yet: count on from the reload.
  return static_cast<uint32_t>(tmict_ - (elapsed - expiry_ticks_) % tmict_);
}

void LapicTimer::disarm() {
  timer_.cancel();
  counting_ = false;
  tmict_ = 0;
  tsc_deadline_ = 0;
}

void LapicTimer::fire() {
  if (masked()) return;
  ++interrupts_;
  level_ = true;
  if (irq_ != nullptr) irq_->raise();
}

void LapicTimer::on_timer(GuestTime due) {
  if (mode() == LapicTimerMode::kTscDeadline) {
    tsc_deadline_ = 0;
  } else if (mode() == LapicTimerMode::kPeriodic) {
    expiry_ticks_ += tmict_;  // from the intended deadline, not from now
    // A period under 1 ns (a bus above 1 GHz) would round to the deadline that
    // just fired: the periods that end within it are one interrupt.
    const uint64_t reached = ticks_in(due - base_);
    if (expiry_ticks_ <= reached) expiry_ticks_ += (reached - expiry_ticks_) / tmict_ * tmict_ + tmict_;
    timer_.arm(base_ + time_for_ticks(expiry_ticks_));
  } else {
    counting_ = false;
  }
  fire();
}


void LapicTimer::save(StateWriter& out) const {
  out.boolean(level_);
  out.u32(lvt_);
  out.u32(tmict_);
  out.u32(tdcr_);
  out.u64(tsc_deadline_);
  out.boolean(counting_);
  out.guest_time(base_);
  out.u64(expiry_ticks_);
  out.u64(interrupts_);
  out.guest_time(timer_.expire_time());
}

void LapicTimer::load(StateReader& in) {
  const bool level = in.boolean();
  const uint32_t lvt = in.u32(), tmict = in.u32(), tdcr = in.u32();
  const uint64_t tsc_deadline = in.u64();
  const bool counting = in.boolean();
  const GuestTime base = in.guest_time();
  const uint64_t expiry = in.u64(), interrupts = in.u64();
  const GuestTime due = in.guest_time();
  if (in.ok() && (tdcr & ~lapic_reg::kTdcrWritable) != 0) in.fail("TDCR holds bits no guest could have written");
  if (!in.ok()) return;
  level_ = level;
  lvt_ = lvt;
  tmict_ = tmict;
  tdcr_ = tdcr;
  tsc_deadline_ = tsc_deadline;
  counting_ = counting;
  base_ = base;
  expiry_ticks_ = expiry;
  interrupts_ = interrupts;
  timer_.arm(due);
}

}  // namespace vtime
