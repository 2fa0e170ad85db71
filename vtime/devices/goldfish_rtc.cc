#include "vtime/devices/goldfish_rtc.h"

#include <cassert>

namespace vtime {

namespace {
uint32_t low(uint64_t v) { return static_cast<uint32_t>(v); }
uint32_t high(uint64_t v) { return static_cast<uint32_t>(v >> 32); }
uint64_t with_low(uint64_t v, uint32_t half) { return (v & ~uint64_t{0xffff'ffff}) | half; }
uint64_t with_high(uint64_t v, uint32_t half) { return (v & 0xffff'ffff) | (uint64_t{half} << 32); }
}  // namespace

GoldfishRtc::GoldfishRtc(GuestLog& log, TimerGroup& timers, Options options)
    : log_(log), timers_(timers), clock_(options.clock) {
  switch (domain_of(clock_)) {
    case ClockDomain::kGuest:
      guest_alarm_.emplace(timers, clock_, [this](GuestTime) { on_alarm(); });
      break;
    case ClockDomain::kWall:
      wall_alarm_.emplace(timers, clock_, [this](WallTime) { on_alarm(); });
      break;
    case ClockDomain::kHost: assert(false && "the RTC follows VIRTUAL, VIRTUAL_RT or HOST"); break;
  }
  set_time_ns(options.start_ns);
}

void GoldfishRtc::connect(IrqLine& irq) {
  irq_ = &irq;
  update_irq();
}

Duration GoldfishRtc::clock_now() const { return timers_.clocks().read(clock_); }

uint64_t GoldfishRtc::time_ns() { return static_cast<uint64_t>(clock_now().count()) + offset_; }

void GoldfishRtc::set_time_ns(uint64_t ns) {
  offset_ = ns - static_cast<uint64_t>(clock_now().count());
  if (alarm_armed_) arm_alarm();
}

void GoldfishRtc::reset() {
  disarm_alarm();
  alarm_ = 0;
  time_high_ = 0;
  irq_pending_ = false;
  irq_enabled_ = false;
  update_irq();
}

uint64_t GoldfishRtc::read(uint64_t offset, unsigned /*size*/) {
  using namespace goldfish_rtc_reg;
  switch (offset) {
    case kTimeLow: {
      const uint64_t now = time_ns();
      time_high_ = high(now);
      return low(now);
    }
    case kTimeHigh: return time_high_;
    case kAlarmLow: return low(alarm_);
    case kAlarmHigh: return high(alarm_);
    case kIrqEnabled: return irq_enabled_ ? 1 : 0;
    case kAlarmStatus: return alarm_armed_ ? 1 : 0;
    case kClearAlarm:
    case kClearInterrupt:
      log_.guest_error("goldfish-rtc: read from write-only offset {:#x}", offset);
      return 0;
    default:
      log_.guest_error("goldfish-rtc: read from reserved offset {:#x}", offset);
      return 0;
  }
}

void GoldfishRtc::write(uint64_t offset, unsigned /*size*/, uint64_t value) {
  using namespace goldfish_rtc_reg;
  const auto half = static_cast<uint32_t>(value);
  switch (offset) {
    case kTimeLow: set_time_ns(with_low(time_ns(), half)); break;
    case kTimeHigh: set_time_ns(with_high(time_ns(), half)); break;
    case kAlarmLow:
      alarm_ = with_low(alarm_, half);
      arm_alarm();
      break;
    case kAlarmHigh: alarm_ = with_high(alarm_, half); break;
    case kIrqEnabled:
      irq_enabled_ = (half & 1) != 0;
      update_irq();
      break;
    case kClearAlarm: disarm_alarm(); break;
    case kClearInterrupt:
      irq_pending_ = false;
      update_irq();
      break;
    case kAlarmStatus:
      log_.guest_error("goldfish-rtc: write {:#x} to read-only ALARM_STATUS", value);
      break;
    default:
      log_.guest_error("goldfish-rtc: write {:#x} to reserved offset {:#x}", value, offset);
      break;
  }
}

// An alarm at or before the counter fires at once; otherwise its timer is due
// when the clock has moved by the distance left, to the nanosecond.
void GoldfishRtc::arm_alarm() {
  const uint64_t now = time_ns();
  if (alarm_ <= now) {
    disarm_alarm();
    on_alarm();
    return;
  }
  alarm_armed_ = true;
  const uint64_t left = alarm_ - now;
  const Duration clock = clock_now();
  const bool beyond = left >= static_cast<uint64_t>(Duration::max().count() - clock.count());
  const Duration due = beyond ? Duration::max() : clock + Duration(static_cast<int64_t>(left));
  // A deadline past the clock's range stays armed but never fires (never()).
  if (guest_alarm_) guest_alarm_->arm(GuestTime::from_epoch(due));
  if (wall_alarm_) wall_alarm_->arm(WallTime::from_epoch(due));
}

void GoldfishRtc::disarm_alarm() {
  alarm_armed_ = false;
  if (guest_alarm_) guest_alarm_->cancel();
  if (wall_alarm_) wall_alarm_->cancel();
}

void GoldfishRtc::on_alarm() {
  alarm_armed_ = false;
  irq_pending_ = true;
  update_irq();
}

void GoldfishRtc::update_irq() {
  if (irq_ != nullptr) irq_->set_level(irq_pending_ && irq_enabled_);
}


void GoldfishRtc::save(StateWriter& out) const {
  out.u8(static_cast<uint8_t>(index_of(clock_)));
  out.u64(offset_);
  out.u64(alarm_);
  out.u32(time_high_);
  for (bool b : {alarm_armed_, irq_pending_, irq_enabled_}) out.boolean(b);
  // The alarm's deadline on its own clock's time line, as a span since its epoch.
  out.duration(guest_alarm_ ? guest_alarm_->expire_time().since_epoch() : wall_alarm_->expire_time().since_epoch());
}

void GoldfishRtc::load(StateReader& in) {
  in.expect_equal(in.u8(), index_of(clock_), "the RTC's clock number");
  const uint64_t offset = in.u64(), alarm = in.u64();
  const uint32_t high = in.u32();
  bool flags[3];
  for (bool& b : flags) b = in.boolean();
  const Duration due = in.duration();
  if (!in.ok()) return;
  offset_ = offset;
  alarm_ = alarm;
  time_high_ = high;
  alarm_armed_ = flags[0];
  irq_pending_ = flags[1];
  irq_enabled_ = flags[2];
  if (guest_alarm_) guest_alarm_->arm(GuestTime::from_epoch(due));
  if (wall_alarm_) wall_alarm_->arm(WallTime::from_epoch(due));
}

}  // namespace vtime
