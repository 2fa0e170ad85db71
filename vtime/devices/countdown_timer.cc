#include "vtime/devices/countdown_timer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <string>

#include "vtime/time/round.h"

namespace vtime {

namespace {

using Flag = bool CountdownPolicy::*;
constexpr std::array<std::pair<Flag, std::string_view>, 6> kFlagNames = {{
    {&CountdownPolicy::wrap_after_one_period, "wrap_after_one_period"},
    {&CountdownPolicy::continuous_trigger, "continuous_trigger"},
    {&CountdownPolicy::no_immediate_trigger, "no_immediate_trigger"},
    {&CountdownPolicy::no_immediate_reload, "no_immediate_reload"},
    {&CountdownPolicy::no_counter_round_down, "no_counter_round_down"},
    {&CountdownPolicy::trigger_only_on_decrement, "trigger_only_on_decrement"},
}};

// floor(rem / (period + frac/2^32)), exactly (128-bit).
uint64_t counts_remaining_exact(uint64_t rem, uint64_t period, uint32_t frac) {
  const Uint128 divisor = (static_cast<Uint128>(period) << 32) | frac;
  const Uint128 q = (static_cast<Uint128>(rem) << 32) / divisor;
  return q > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(q);
}

// The same quotient the way QEMU computes it in 64 bits: normalise numerator
// and divisor by one shift, keep the fraction bits that fit, and round the
// divisor up when some are lost - never high, but low by up to rem * 2^-s
// relative when the remaining time is long and the period has a fraction.
uint64_t counts_remaining_qemu(uint64_t rem, uint64_t period, uint32_t frac) {
  const int shift = std::min(std::countl_zero(rem), std::countl_zero(period));
  rem <<= shift;
  uint64_t divisor = shift >= 64 ? 0 : period << shift;
  if (shift >= 32) {
    divisor |= uint64_t{frac} << (shift - 32);
  } else {
    if (shift > 0) divisor |= frac >> (32 - shift);
    if (static_cast<uint32_t>(uint64_t{frac} << shift) != 0) divisor += 1;
  }
  return divisor == 0 ? 0 : rem / divisor;
}

// The length of `counts` counts of period + frac / 2^32 ns, rounded down.
Uint128 span_of(uint64_t counts, Duration period, uint32_t frac) {
  return static_cast<Uint128>(counts) * static_cast<uint64_t>(period.count()) +
         ((static_cast<Uint128>(frac) * counts) >> 32);
}

}  // namespace

Result<CountdownPolicy> parse_countdown_policy(std::string_view names) {
  CountdownPolicy policy;
  if (names == "legacy") return policy;
  while (!names.empty()) {
    const size_t comma = names.find(',');
    const std::string_view name = names.substr(0, comma);
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
    bool known = false;
    for (const auto& [flag, flag_name] : kFlagNames) {
      if (flag_name == name) {
        policy.*flag = true;
        known = true;
      }
    }
    if (!known) return Error{"unknown countdown policy '" + std::string(name) + "'"};
  }
  if (!policy.valid()) {
    return Error{"no_immediate_trigger and trigger_only_on_decrement cannot be combined"};
  }
  return policy;
}

std::string countdown_policy_names(const CountdownPolicy& policy) {
  std::string out;
  for (const auto& [flag, name] : kFlagNames) {
    if (!(policy.*flag)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out.empty() ? "legacy" : out;
}

CountdownTimer::CountdownTimer(TimerGroup& group, Trigger trigger, Options options)
    : group_(group),
      trigger_(std::move(trigger)),
      options_(options),
      timer_(group, ClockId::kVirtual, [this](GuestTime) { on_expiry(); }) {
  assert(trigger_ && "a countdown timer needs a trigger callback");
  assert(options_.policy.valid());
}

GuestTime CountdownTimer::now() const { return group_.clocks().virtual_now(); }

void CountdownTimer::begin() {
  assert(!in_transaction_ && "countdown transactions do not nest");
  in_transaction_ = true;
  need_reload_ = false;
}

void CountdownTimer::commit() {
  assert(in_transaction_);
  // A trigger run by reload() may change the timer again: loop, do not recurse.
  while (need_reload_ && mode_ != CountdownMode::kStopped) {
    need_reload_ = false;
    next_event_ = now();
    reload(Adjust::kCommit);
  }
  in_transaction_ = false;
}

void CountdownTimer::set_period(Duration whole, uint32_t frac) {
  assert(in_transaction_ && whole.count() >= 0);
  delta_ = count();
  period_ = whole;
  frac_ = frac;
  if (mode_ != CountdownMode::kStopped) need_reload_ = true;
}

void CountdownTimer::set_frequency(Frequency freq) {
  assert(!freq.is_zero());
  const Uint128 fixed = (static_cast<Uint128>(1'000'000'000) << 32) / freq.hz();
  set_period(Duration(static_cast<int64_t>(fixed >> 32)), static_cast<uint32_t>(fixed));
}

void CountdownTimer::set_limit(uint64_t limit, LimitReload reload_count) {
  assert(in_transaction_);
  limit_ = limit;
  if (reload_count == LimitReload::kReloadCount) {
    delta_ = limit;
    if (mode_ != CountdownMode::kStopped) need_reload_ = true;
  }
}

void CountdownTimer::set_count(uint64_t count_value) {
  assert(in_transaction_);
  delta_ = count_value;
  if (mode_ != CountdownMode::kStopped) need_reload_ = true;
}

void CountdownTimer::run(CountdownMode mode) {
  assert(in_transaction_ && mode != CountdownMode::kStopped);
  const bool was_stopped = mode_ == CountdownMode::kStopped;
  if (was_stopped && period_.count() == 0 && frac_ == 0) {
    if (options_.log != nullptr) options_.log->guest_error("countdown: started with period zero");
    return;
  }
  mode_ = mode;
  if (was_stopped) need_reload_ = true;
}

void CountdownTimer::stop() {
  assert(in_transaction_);
  if (mode_ == CountdownMode::kStopped) return;
  delta_ = count();
  timer_.cancel();
  mode_ = CountdownMode::kStopped;
  need_reload_ = false;
}

void CountdownTimer::effective_period(uint64_t counts, Duration& period, uint32_t& frac) const {
  period = period_;
  frac = frac_;
  const int64_t min = options_.min_periodic_countdown.count();
  if (!periodic() || min <= 0 || counts == 0) return;
  if (span_of(counts, period_, frac_) >= static_cast<uint64_t>(min)) return;
  // Stretched to min / counts in the same 32.32 form: keeping the fraction
  // means a clamp over more counts than nanoseconds never yields period zero.
  const Uint128 fixed = (static_cast<Uint128>(min) << 32) / counts;
  period = Duration(static_cast<int64_t>(fixed >> 32));
  frac = static_cast<uint32_t>(fixed);
}

void CountdownTimer::reload(Adjust adj) {
  const CountdownPolicy& p = options_.policy;
  const bool suppress = adj == Adjust::kCommit && p.trigger_only_on_decrement;
  if (delta_ == 0 && !p.no_immediate_trigger && !suppress) {
    trigger_();
    // A trigger that stopped the timer wins: a stopped timer never fires.
    if (mode_ == CountdownMode::kStopped) return;
  }
  uint64_t d = delta_;
  if (d == 0 && !p.no_immediate_reload) d = delta_ = limit_;
  if (period_.count() == 0 && frac_ == 0) {
    if (options_.log != nullptr) options_.log->guest_error("countdown: period zero, stopping");
    timer_.cancel();
    mode_ = CountdownMode::kStopped;
    return;
  }
  if (p.wrap_after_one_period && adj == Adjust::kExpiry) d += 1;
  if (d == 0 && p.continuous_trigger && periodic() && limit_ == 0) d = 1;
  if (d == 0 && p.no_immediate_trigger && adj != Adjust::kExpiryFixed) d = 1;
  if (d == 0 && p.no_immediate_reload && periodic() && limit_ != 0) d = 1;
  if (d == 0) {
    // Nothing left to count: stop (a trigger may already have done so).
    timer_.cancel();
    mode_ = CountdownMode::kStopped;
    return;
  }
  Duration period;
  uint32_t frac = 0;
  effective_period(d, period, frac);
  // At least 1 ns: with a period under the clock's resolution a deadline
  // rounded down to the last one would re-arm at the same instant forever.
  const Uint128 span = std::max<Uint128>(span_of(d, period, frac), 1);
  last_event_ = next_event_;
  const auto room = static_cast<uint64_t>(Duration::max().count() - last_event_.since_epoch().count());
  next_event_ = span >= room ? GuestTime::never()
                             : last_event_ + Duration(static_cast<int64_t>(span));
  timer_.arm(next_event_);
}

void CountdownTimer::on_expiry() {
  begin();
  bool fire = false;
  if (mode_ == CountdownMode::kOneShot) {
    delta_ = 0;
    mode_ = CountdownMode::kStopped;
    fire = true;
  } else if (mode_ == CountdownMode::kPeriodic) {
    // An expiry from a deferred reload (count 0) or with limit 0 is not a
    // decrement to zero: it reloads without the wrap adjustment.
    const Adjust adj = (delta_ == 0 || limit_ == 0) ? Adjust::kExpiryFixed : Adjust::kExpiry;
    fire = options_.policy.no_immediate_trigger || adj == Adjust::kExpiry;
    delta_ = limit_;
    reload(adj);
  }
  if (fire) trigger_();
  commit();
}

uint64_t CountdownTimer::count() {
  if (mode_ == CountdownMode::kStopped || delta_ == 0) return delta_;
  const CountdownPolicy& p = options_.policy;
  const GuestTime t = now();
  uint64_t counter = 0;
  if (t < next_event_) {
    Duration period;
    uint32_t frac = 0;
    effective_period(delta_, period, frac);
    if (period.count() == 0 && frac == 0) return delta_;
    const auto rem = static_cast<uint64_t>((next_event_ - t).count());
    const auto whole = static_cast<uint64_t>(period.count());
    counter = options_.division == CountDivision::kQemu64 ? counts_remaining_qemu(rem, whole, frac)
                                                          : counts_remaining_exact(rem, whole, frac);
    if (p.wrap_after_one_period && periodic() && delta_ == limit_) {
      // The extra period at zero after a wrap reads as zero.
      if (t == last_event_ && counter == limit_ + 1) return 0;
      if (t != last_event_ && counter == limit_) return 0;
    }
  }
  if (p.no_counter_round_down && t != last_event_) counter += 1;
  return counter;
}

}  // namespace vtime
