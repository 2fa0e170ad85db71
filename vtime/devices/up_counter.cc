#include "vtime/devices/up_counter.h"

#include <cassert>

#include "vtime/time/round.h"

namespace vtime {

namespace {
constexpr uint64_t kNsPerSecond = 1'000'000'000;
}  // namespace

UpCounter::UpCounter(TimerGroup& group, IrqLine& compare_irq, IrqLine& overflow_irq,
                     Options options)
    : group_(group),
      compare_irq_(compare_irq),
      overflow_irq_(overflow_irq),
      options_(options),
      compare_timer_(group, ClockId::kVirtual, [this](GuestTime due) { on_compare(due); }),
      overflow_timer_(group, ClockId::kVirtual, [this](GuestTime due) { on_overflow(due); }) {
  assert(!options_.input.is_zero() && options_.prescaler >= 1);
  assert(options_.width >= 1 && options_.width <= 64);
}

uint64_t UpCounter::mask() const {
  return options_.width == 64 ? ~uint64_t{0} : (uint64_t{1} << options_.width) - 1;
}

// Whole counts since base_time_: input ticks / prescaler, rounded down.
uint64_t UpCounter::counts_since_base(GuestTime now) const {
  const Duration since = now - base_time_;
  if (since.count() <= 0) return 0;
  return mul_div(static_cast<uint64_t>(since.count()), options_.input.hz(),
                 kNsPerSecond * options_.prescaler, Round::kDown);
}

// When the count `counts` after the base is reached: rounded up, so an event
// never fires before value() shows it.
GuestTime UpCounter::time_of_count(uint64_t counts) const {
  const uint64_t ns = mul_div(counts, kNsPerSecond * options_.prescaler, options_.input.hz(), Round::kUp);
  if (ns >= static_cast<uint64_t>(Duration::max().count())) return GuestTime::never();
  return base_time_ + Duration(static_cast<int64_t>(ns));
}

uint64_t UpCounter::value() {
  if (!running_) return base_value_;
  return (base_value_ + counts_since_base(group_.clocks().virtual_now())) & mask();
}

void UpCounter::rebase() {
  base_value_ = value();
  base_time_ = group_.clocks().virtual_now();
}

void UpCounter::start() {
  if (running_) return;
  base_time_ = group_.clocks().virtual_now();
  running_ = true;
  schedule();
}

void UpCounter::stop() {
  if (!running_) return;
  rebase();
  running_ = false;
  compare_timer_.cancel();
  overflow_timer_.cancel();
}

void UpCounter::set_value(uint64_t value) {
  base_value_ = value & mask();
  base_time_ = group_.clocks().virtual_now();
  if (running_) schedule();
}

void UpCounter::set_prescaler(uint32_t prescaler) {
  assert(prescaler >= 1);
  rebase();
  options_.prescaler = prescaler;
  if (running_) schedule();
}

void UpCounter::set_compare(uint64_t compare) {
  compare_ = compare & mask();
  if (running_) schedule();
}

// Both events are counted from the base, so repeated wraps never drift.
void UpCounter::schedule() {
  const uint64_t now_counts = counts_since_base(group_.clocks().virtual_now());
  const uint64_t v = (base_value_ + now_counts) & mask();
  const uint64_t to_wrap = (mask() - v) + 1;  // 2^width - v; 0 only for width 64 at 0
  const uint64_t to_match = (compare_ - v) & mask();
  const Uint128 full = static_cast<Uint128>(mask()) + 1;
  const auto saturate = [](Uint128 x) { return x > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(x); };
  overflow_at_ = saturate(now_counts + (to_wrap == 0 ? full : to_wrap));
  compare_at_ = saturate(now_counts + (to_match == 0 ? full : static_cast<Uint128>(to_match)));
  overflow_timer_.arm(time_of_count(overflow_at_));
  compare_timer_.arm(time_of_count(compare_at_));
}

// The next event `2^width` counts after the one at `at` that fired at `due`:
// wraps shorter than VIRTUAL's 1 ns resolution would land on `due` again, so
// those ending within it are one event.
uint64_t UpCounter::next_recurrence(uint64_t at, GuestTime due) const {
  const Uint128 full = static_cast<Uint128>(mask()) + 1;
  const uint64_t reached = counts_since_base(due);
  Uint128 next = static_cast<Uint128>(at) + full;
  if (next <= reached) next += (reached - next) / full * full + full;
  return next > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(next);
}

void UpCounter::on_compare(GuestTime due) {
  pending_.compare = true;
  update_lines();
  compare_at_ = next_recurrence(compare_at_, due);
  compare_timer_.arm(time_of_count(compare_at_));
}

void UpCounter::on_overflow(GuestTime due) {
  pending_.overflow = true;
  update_lines();
  overflow_at_ = next_recurrence(overflow_at_, due);
  overflow_timer_.arm(time_of_count(overflow_at_));
}

void UpCounter::set_enables(Events enables) {
  enables_ = enables;
  update_lines();
}

void UpCounter::clear(Events which) {
  if (which.compare) pending_.compare = false;
  if (which.overflow) pending_.overflow = false;
  update_lines();
}

void UpCounter::update_lines() {
  compare_irq_.set_level(pending_.compare && enables_.compare);
  overflow_irq_.set_level(pending_.overflow && enables_.overflow);
}

}  // namespace vtime
