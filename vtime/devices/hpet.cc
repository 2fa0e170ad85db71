// Hpet behaviour: the main counter, programming comparators, expiries and
// interrupt delivery. Register decoding is in hpet_registers.cc.
#include "vtime/devices/hpet.h"

#include "vtime/devices/hpet_comparator.h"

#include <cassert>
#include <string>

namespace vtime {

using namespace hpet_reg;

namespace {
constexpr Duration kTick = 10ns;  // kClkPeriodFs
constexpr uint64_t kLow32 = 0xffff'ffffull;

// True when `a` is at or before `b` on the wrapping 64-bit counter.
bool is_at_or_before(uint64_t a, uint64_t b) { return static_cast<int64_t>(b - a) >= 0; }

Duration ticks_to_duration(uint64_t ticks) {
  if (ticks > static_cast<uint64_t>(Duration::max().count() / kTick.count())) return Duration::max();
  return kTick * static_cast<int64_t>(ticks);
}
}  // namespace

Hpet::Comparator::Comparator(Hpet& hpet, unsigned n)
    : index(n),
      oneshot(hpet.group_, ClockId::kVirtual, [&hpet, this](GuestTime) { hpet.on_oneshot(*this); }),
      periodic(hpet.group_, [&hpet, this] { return hpet.set_irq(*this); },
               TickSource::Options{
                   .policy = hpet.options_.driftfix == HpetDriftfix::kSlew ? LostTickPolicy::kSlew
                                                                           : LostTickPolicy::kMerge,
                   .slew = hpet.options_.slew,
                   .min_spacing = hpet.options_.min_periodic_interval}) {}

Result<HpetDriftfix> parse_hpet_driftfix(std::string_view name) {
  if (name == "none") return HpetDriftfix::kNone;
  if (name == "slew") return HpetDriftfix::kSlew;
  return Error{"unknown hpet driftfix '" + std::string(name) + "' (expected none or slew)"};
}

Hpet::Hpet(GuestLog& log, TimerGroup& timers, Routes routes, Options options)
    : group_(timers), log_(log), routes_(routes), options_(options) {
  assert(options.timers >= kMinTimers && options.timers <= kMaxTimers);
  for (unsigned r = 0; r < kRoutes; ++r) {
    if (routes_[r] != nullptr) route_cap_ |= 1u << r;
  }
  for (unsigned n = 0; n < options.timers; ++n) {
    comparators_.push_back(std::make_unique<Comparator>(*this, n));
  }
  reset();
}

Hpet::~Hpet() = default;

uint64_t Hpet::size() const { return window_for(timers()); }

const TickSource& Hpet::periodic_engine(unsigned n) const {
  assert(n < timers());
  return comparators_[n]->periodic;
}

void Hpet::reset() {
  for (auto& t : comparators_) {
    t->oneshot.cancel();
    t->periodic.stop();
    t->config = kTnPerIntCap | kTnSizeCap | (uint64_t{route_cap_} << kTnIntRouteCapShift);
    t->cmp = ~uint64_t{0};
    t->period = 0;
    t->fsb = 0;
    t->wrap_pending = false;
  }
  for (IrqLine* line : routes_) {
    if (line != nullptr) line->lower();
  }
  config_ = 0;
  isr_ = 0;
  counter_ = 0;
}

bool Hpet::enabled() const { return (config_ & kEnableCnf) != 0; }

// The counter is counter_ at enabled_at_ plus whole 10 ns ticks since, modulo 2^64.
uint64_t Hpet::ticks_now() {
  if (!enabled()) return counter_;
  return tick_at_time(group_.clocks().virtual_now());
}

uint64_t Hpet::main_counter() { return ticks_now(); }

uint64_t Hpet::tick_at_time(GuestTime t) const {
  const Duration since = t - enabled_at_;
  return counter_ + static_cast<uint64_t>(since / kTick);  // rounds down
}

// When the counter reads `tick`: ticks up to 2^63 behind the counter's base
// are in the past, the rest ahead; saturates instead of overflowing.
GuestTime Hpet::time_at_tick(uint64_t tick) const {
  const auto diff = static_cast<int64_t>(tick - counter_);
  int64_t ns = 0;
  if (__builtin_mul_overflow(diff, kTick.count(), &ns)) {
    return diff > 0 ? GuestTime::never() : GuestTime::epoch();
  }
  return enabled_at_ + Duration(ns);
}

IrqLine* Hpet::route_of(const Comparator& t) const {
  unsigned route = static_cast<unsigned>((t.config & kTnIntRouteMask) >> kTnIntRouteShift);
  if ((config_ & kLegRtCnf) != 0 && t.index < 2) {
    route = t.index == 0 ? kLegacyRouteTimer0 : kLegacyRouteTimer1;
  }
  return routes_[route];
}

// An expiry: level interrupts latch a status bit (even when masked) and hold
// the line; edge interrupts pulse it. A masked interrupt is not a lost tick.
Delivery Hpet::set_irq(Comparator& t) {
  if (t.level()) isr_ |= t.mask();
  IrqLine* line = route_of(t);
  if (line == nullptr || !enabled() || (t.config & kTnIntEnbCnf) == 0) return Delivery::kDelivered;
  return t.level() ? line->raise() : line->pulse();
}

void Hpet::clear_irq(Comparator& t) {
  isr_ &= ~t.mask();
  IrqLine* line = route_of(t);
  if (line != nullptr && t.level()) line->lower();
}

// Arms timer `t` from its registers (QEMU's hpet_set_timer).
void Hpet::program(Comparator& t) {
  t.oneshot.cancel();
  t.wrap_pending = false;
  if (!enabled()) {
    t.periodic.stop();
    return;
  }
  const uint64_t now_tick = ticks_now();
  uint64_t target = t.cmp;
  if (t.mode32()) {
    // Extend the 32-bit comparator to the counter's width: the next match.
    target = (now_tick & ~kLow32) | (t.cmp & kLow32);
    if (target < now_tick) target += uint64_t{1} << 32;
  }
  const uint64_t period = t.mode32() ? (t.period & kLow32) : t.period;
  if (t.is_periodic() && period != 0) {
    // A target already reached fires once at once (QEMU) and the grid stays
    // aligned to it; the periods before it are not lost ticks.
    if (is_at_or_before(target, now_tick)) target += (now_tick - target) / period * period;
    t.periodic.start(time_at_tick(target), ticks_to_duration(period));
    return;
  }
  t.periodic.stop();
  t.target = target;
  const uint64_t wrap = (now_tick | kLow32) + 1;  // the next 32-bit wrap of the counter
  if (t.mode32() && !t.is_periodic() && target > wrap) {
    t.wrap_pending = true;  // interrupt at the wrap first (QEMU), then the real target
    t.oneshot.arm(time_at_tick(wrap));
    return;
  }
  t.oneshot.arm(time_at_tick(target));  // a target already reached fires at once
}

void Hpet::on_oneshot(Comparator& t) {
  if (t.wrap_pending) {
    t.wrap_pending = false;
    t.oneshot.arm(time_at_tick(t.target));
  }
  set_irq(t);
}

void Hpet::enable_counter() {
  enabled_at_ = group_.clocks().virtual_now();
  for (auto& t : comparators_) {
    if (t->level() && (isr_ & t->mask()) != 0 && (t->config & kTnIntEnbCnf) != 0) set_irq(*t);
    program(*t);
  }
}

void Hpet::disable_counter() {
  for (auto& t : comparators_) publish_comparator(*t);  // before the base moves
  counter_ = tick_at_time(group_.clocks().virtual_now());
  for (auto& t : comparators_) {
    t->oneshot.cancel();
    t->periodic.stop();
    // Level status bits stay set, but interrupt generation is off.
    IrqLine* line = route_of(*t);
    if (line != nullptr && t->level()) line->lower();
  }
}


void Hpet::save(StateWriter& out) const {
  out.u64(comparators_.size());
  out.u64(config_);
  out.u64(isr_);
  out.u64(counter_);
  out.guest_time(enabled_at_);
  for (const auto& t : comparators_) {
    out.u64(t->config);
    out.u64(t->cmp);
    out.u64(t->period);
    out.u64(t->fsb);
    out.boolean(t->wrap_pending);
    out.u64(t->target);
    out.guest_time(t->oneshot.expire_time());
    t->periodic.save(out);
  }
}

void Hpet::load(StateReader& in) {
  in.expect_equal(in.u64(), comparators_.size(), "the number of HPET comparators");
  const uint64_t config = in.u64(), isr = in.u64(), counter = in.u64();
  const GuestTime enabled_at = in.guest_time();
  struct Saved {
    uint64_t config, cmp, period, fsb;
    bool wrap_pending;
    uint64_t target;
    GuestTime oneshot_due;
  };
  std::vector<Saved> saved(comparators_.size());
  // The tick sources load into their own state only once everything before
  // them read cleanly; a problem after that leaves the board to be discarded
  // (the board loads a snapshot into a scratch copy first).
  for (size_t i = 0; i < saved.size() && in.ok(); ++i) {
    Saved& s = saved[i];
    s.config = in.u64();
    s.cmp = in.u64();
    s.period = in.u64();
    s.fsb = in.u64();
    s.wrap_pending = in.boolean();
    s.target = in.u64();
    s.oneshot_due = in.guest_time();
    if (in.ok()) comparators_[i]->periodic.load(in);
  }
  if (!in.ok()) return;
  config_ = config;
  isr_ = isr;
  counter_ = counter;
  enabled_at_ = enabled_at;
  for (size_t i = 0; i < saved.size(); ++i) {
    Comparator& t = *comparators_[i];
    t.config = saved[i].config;
    t.cmp = saved[i].cmp;
    t.period = saved[i].period;
    t.fsb = saved[i].fsb;
    t.wrap_pending = saved[i].wrap_pending;
    t.target = saved[i].target;
    t.oneshot.arm(saved[i].oneshot_due);
  }
}

}  // namespace vtime
