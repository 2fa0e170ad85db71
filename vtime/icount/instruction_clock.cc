#include "vtime/icount/instruction_clock.h"

namespace vtime {

InstructionClock::InstructionClock(GuestTime start, InsnPeriod period)
    : state_(State{.bias_ns = start.since_epoch().count(), .period_fixed = period.fixed()}) {}

InstructionClock::State InstructionClock::read_state() { return state_.read(); }

void InstructionClock::write_state(const State& s) { state_.write(s); }

GuestTime InstructionClock::value_of(const State& s) {
  const Duration elapsed = InsnPeriod::from_fixed(s.period_fixed).time_for(s.since_rebias, Round::kDown);
  return GuestTime::from_epoch(Duration(s.bias_ns)) + elapsed;
}

GuestTime InstructionClock::virtual_now() { return value_of(read_state()); }

uint64_t InstructionClock::retired() { return read_state().retired; }

InsnPeriod InstructionClock::period() { return InsnPeriod::from_fixed(read_state().period_fixed); }

void InstructionClock::retire(uint64_t insns) {
  if (insns == 0) return;
  State s = read_state();
  s.since_rebias += insns;
  s.retired += insns;
  write_state(s);
}

void InstructionClock::set_period(InsnPeriod period) {
  State s = read_state();
  if (s.period_fixed == period.fixed()) return;
  s.bias_ns = value_of(s).since_epoch().count();
  s.since_rebias = 0;
  s.period_fixed = period.fixed();
  write_state(s);
}

void InstructionClock::skip(Duration span) {
  if (span <= Duration(0)) return;
  State s = read_state();
  s.bias_ns = saturating_add(Duration(s.bias_ns), span).count();
  write_state(s);
}

void InstructionClock::skip_to(GuestTime t) {
  const GuestTime now = virtual_now();
  if (t > now && !t.is_never()) skip(t - now);
}

uint64_t InstructionClock::insns_until(GuestTime due, uint64_t charged) {
  return until_in(read_state(), due, charged);
}

InstructionClock::Until InstructionClock::insns_until_snapshot(GuestTime due) {
  const State s = read_state();
  return Until{.insns = until_in(s, due, 0), .retired = s.retired};
}

uint64_t InstructionClock::until_in(const State& s, GuestTime due, uint64_t charged) {
  if (due.is_never()) return UINT64_MAX;
  const InsnPeriod p = InsnPeriod::from_fixed(s.period_fixed);
  // Exact: the smallest total n since the rebias with bias + floor(n * p) >= due.
  const Duration from_bias = due.since_epoch() - Duration(s.bias_ns);
  const uint64_t total = p.insns_for(from_bias, Round::kUp);
  const uint64_t done = s.since_rebias + charged;
  return total > done ? total - done : 0;
}

GuestTime InstructionClock::time_after(uint64_t more) {
  State s = read_state();
  s.since_rebias += more;
  return value_of(s);
}

}  // namespace vtime
