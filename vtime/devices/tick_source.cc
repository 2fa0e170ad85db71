#include "vtime/devices/tick_source.h"

#include <algorithm>
#include <cassert>

namespace vtime {

TickSource::TickSource(TimerGroup& group, Deliver deliver, Options options)
    : group_(group),
      deliver_(std::move(deliver)),
      options_(options),
      timer_(group, ClockId::kVirtual, [this](GuestTime due) { on_fire(due); }) {
  assert(deliver_);
}

TickSource::TickSource(TimerGroup& group, IrqLine& line, Options options)
    : TickSource(group, [&line] { return line.pulse(); }, options) {}

void TickSource::start(GuestTime first_slot, Duration period) {
  assert(period.count() > 0);
  period_ = period;
  const GuestTime now = group_.clocks().virtual_now();
  if (first_slot < now) {
    // Slots before the source started are not lost ticks: keep only the latest.
    first_slot += period * ((now - first_slot) / period);
  }
  next_slot_ = first_slot;
  running_ = true;
  timer_.arm(first_slot);
}

void TickSource::start_in(Duration period) {
  start(group_.clocks().virtual_now() + period, period);
}

void TickSource::stop() {
  timer_.cancel();
  running_ = false;
  counters_.given_up += counters_.backlog;
  counters_.backlog = 0;
  slew_extra_ = 0;
  rate_percent_ = 100;
}

void TickSource::set_period(Duration period) {
  assert(period.count() > 0);
  period_ = period;
}

bool TickSource::injects() const {
  return options_.policy == LostTickPolicy::kSlew || options_.policy == LostTickPolicy::kCatchUp;
}

void TickSource::owe_or_drop(uint64_t ticks) {
  counters_.lost += ticks;
  switch (options_.policy) {
    case LostTickPolicy::kDiscard:
    case LostTickPolicy::kMerge: counters_.dropped += ticks; break;
    case LostTickPolicy::kDelay:
    case LostTickPolicy::kSlew:
    case LostTickPolicy::kCatchUp: counters_.backlog += ticks; break;
  }
}

bool TickSource::account_slots(GuestTime now, uint64_t& newly_lost) {
  if (now < next_slot_) return false;
  // Slots are counted from the intended grid, however late this callback is.
  const uint64_t n = static_cast<uint64_t>((now - next_slot_) / period_) + 1;
  next_slot_ += period_ * static_cast<int64_t>(n);
  counters_.slots += n;
  const uint64_t missed = n - 1;  // slots that passed before the latest one
  if (options_.policy == LostTickPolicy::kDiscard && missed > 0) {
    // Not on time: the latest slot goes with the others; the next arrives on the grid.
    owe_or_drop(n);
    newly_lost += n;
    return false;
  }
  owe_or_drop(missed);
  newly_lost += missed;
  return true;
}

void TickSource::on_fire(GuestTime due) {
  const GuestTime now = group_.clocks().virtual_now();
  uint64_t newly_lost = 0;
  const bool current = account_slots(now, newly_lost);
  if (current) {
    if (deliver_() == Delivery::kDelivered) {
      ++counters_.delivered;
    } else {
      ++counters_.coalesced;
      owe_or_drop(1);
      ++newly_lost;
    }
  } else if (injects() && counters_.backlog > 0 && rate_percent_ > 100) {
    if (deliver_() == Delivery::kDelivered) {
      ++counters_.delivered;
      ++counters_.reinjected;
      --counters_.backlog;
    } else {
      ++counters_.coalesced;  // still owed; try again at the next injection
    }
  }
  apply_caps_and_rate(newly_lost);
  arm_next(due, now);
}

void TickSource::apply_caps_and_rate(uint64_t newly_lost) {
  const uint64_t period_ns = static_cast<uint64_t>(period_.count());
  if (options_.policy == LostTickPolicy::kSlew) {
    const uint64_t cap = static_cast<uint64_t>(options_.slew.max_backlog.count()) / period_ns;
    if (counters_.backlog > cap) {
      counters_.given_up += counters_.backlog - cap;
      counters_.backlog = cap;
    }
    slew_extra_ = slew_extra_after(slew_extra_, newly_lost, counters_.backlog, options_.slew);
    rate_percent_ = 100 * (1 + static_cast<uint64_t>(slew_extra_));
  } else if (options_.policy == LostTickPolicy::kCatchUp) {
    const uint64_t give_up_ticks =
        static_cast<uint64_t>(options_.catch_up.give_up_beyond.count()) / period_ns;
    if (counters_.backlog > give_up_ticks) {
      counters_.given_up += counters_.backlog;
      counters_.backlog = 0;
    }
    const Duration lag = period_ * static_cast<int64_t>(counters_.backlog);
    rate_percent_ = 100 + catch_up_extra_percent(lag, rate_percent_ > 100, options_.catch_up);
  } else {
    rate_percent_ = 100;
  }
}

void TickSource::arm_next(GuestTime due, GuestTime now) {
  GuestTime next = next_slot_;
  if (injects()) {
    // Spacing is measured from when this tick really went out, so a late
    // callback never bunches re-injected ticks above the capped rate.
    const GuestTime from = std::max(due, now);
    if (counters_.backlog > 0 && rate_percent_ > 100) {
      next = from + spacing_at_rate(period_, rate_percent_);
    } else {
      const uint64_t cap_percent =
          options_.policy == LostTickPolicy::kSlew
              ? 100 * (1 + static_cast<uint64_t>(options_.slew.max_extra_per_period))
              : 100 + (options_.catch_up.steps.empty() ? 0 : options_.catch_up.steps.back().extra_percent);
      next = std::max(next, from + spacing_at_rate(period_, cap_percent));
    }
  }
  next = std::max(next, now + options_.min_spacing);
  timer_.arm(next);
}


void TickSource::save(StateWriter& out) const {
  out.u8(static_cast<uint8_t>(options_.policy));
  out.boolean(running_);
  out.duration(period_);
  out.guest_time(next_slot_);
  out.u64(rate_percent_);
  out.u32(slew_extra_);
  for (uint64_t c : {counters_.slots, counters_.delivered, counters_.lost, counters_.reinjected,
                     counters_.backlog, counters_.dropped, counters_.given_up, counters_.coalesced}) {
    out.u64(c);
  }
  out.guest_time(timer_.expire_time());
}

void TickSource::load(StateReader& in) {
  const uint8_t policy = in.u8();
  if (policy > static_cast<uint8_t>(LostTickPolicy::kLast)) in.fail("a lost-tick policy number is unknown");
  const bool running = in.boolean();
  const Duration period = in.duration();
  if (running && period <= Duration(0)) in.fail("a running tick source has no period");
  const GuestTime next_slot = in.guest_time();
  const uint64_t rate = in.u64();
  const uint32_t slew_extra = in.u32();
  Counters c;
  for (uint64_t* field : {&c.slots, &c.delivered, &c.lost, &c.reinjected, &c.backlog, &c.dropped,
                          &c.given_up, &c.coalesced}) {
    *field = in.u64();
  }
  const GuestTime due = in.guest_time();
  // Only a running source with a period has its timer armed (stop() disarms it).
  if (in.ok() && (period < Duration(0) || (!due.is_never() && (!running || period <= Duration(0))))) {
    in.fail("a tick source's timer is armed without a running grid");
  }
  if (!in.ok()) return;
  options_.policy = static_cast<LostTickPolicy>(policy);
  running_ = running;
  period_ = period;
  next_slot_ = next_slot;
  rate_percent_ = rate;
  slew_extra_ = slew_extra;
  counters_ = c;
  timer_.arm(due);
}

}  // namespace vtime
