// Board::run: the run loop of docs/architecture.md, one thread, deterministic
// under icount sleep=off. Per pass:
//  1. the due VIRTUAL timers run; then the hart whose turn it is (TurnScheduler:
//     harts take turns in index order, a turn ends only at its quantum or a
//     wait for interrupt) runs for what the icount engine grants (up to the
//     next deadline, exactly) - or, without icount, for a short slice that a
//     newly armed timer cuts short;
//  2. if every hart waits: console output is flushed, then warp (icount) or
//     wait on the host until the next
//     deadline or console input (woken early and spinning the rest, so a
//     guest timer fires microseconds after its deadline, not a host wake-up
//     latency after it);
//  3. the due timers of every clock run; align pacing sleeps off a lead; after
//     a pass that ran a hart, the CPU throttle's owed sleep is paid.
#include <fmt/format.h>

#include <thread>
#include <utility>

#include "vtime/machine/board.h"
#include "vtime/machine/board_parts.h"

namespace vtime {
namespace {

// Without icount, VIRTUAL is host time and a hart runs this many instructions
// between looks at the timers (tens of microseconds at interpreter speed).
constexpr uint64_t kSliceInsns = 8192;

RunOutcome outcome_of(const FinisherRequest& request) {
  switch (request.kind) {
    case FinisherRequest::Kind::kPass:
      return {RunOutcome::Kind::kPoweroff, 0, "poweroff"};
    case FinisherRequest::Kind::kFail:
      return {RunOutcome::Kind::kFailure, request.exit_status(),
              fmt::format("exit code {}", request.code)};
    case FinisherRequest::Kind::kReset:
      return {RunOutcome::Kind::kReboot, 0, "reboot"};
  }
  return {};
}

// One run of hart `h` within its turn: what the icount engine grants (up to
// the next deadline, within the turn's quantum) or, without icount, a slice.
// A hart caught in a trap loop ends the whole run through `stuck`.
void run_turn(Board::Parts& p, size_t h, std::optional<RunOutcome>& stuck) {
  riscv::Hart& hart = *p.harts[h];
  riscv::RunResult result;
  p.running = &hart;
  if (p.icount) {
    HartBudget& budget = *p.budgets[h];
    const uint64_t grant = p.icount->grant(budget);
    result = grant > 0 ? hart.run(grant) : riscv::RunResult{};
  } else {
    result = hart.run(kSliceInsns);
  }
  p.running = nullptr;
  const HartStop why = result.reason == riscv::StopReason::kWaitForInterrupt
                           ? HartStop::kWaitForInterrupt
                           : HartStop::kBudget;
  if (p.icount) p.icount->finish(*p.budgets[h], why);
  p.turns->ran(why);
  if (result.reason == riscv::StopReason::kTrapLoop) {
    stuck = RunOutcome{RunOutcome::Kind::kStuck, 1,
                       fmt::format("hart {} is stuck in a trap loop at pc {:#x}", h, hart.pc())};
  }
}

// Without icount, every hart idles: wait on the host for the next deadline
// of any clock. A guest's timer is met precisely (early wake-up and spin); a
// console poll in guest time (an external timer) only needs to come round,
// so a wait that ends there is a plain host wait and spins for nothing -
// unless a guest deadline follows within kPlainWaitGap: a plain wait's late
// wake-up would make that timer late too, so the poll waits for it instead.
constexpr Duration kPlainWaitGap = 1ms;

void wait_for_next_deadline(Board::Parts& p) {
  const auto clocks = {ClockId::kVirtual, ClockId::kRealtime, ClockId::kHost, ClockId::kVirtualRt};
  const Duration any = p.timers.deadline_in_any(clocks);
  const Duration guest = p.timers.deadline_in_any(clocks, AttributeMask::all_except(TimerAttribute::kExternal));
  const HostTime now = p.host.now();
  if (any < guest && guest - any > kPlainWaitGap) {
    p.host.wait_until(now + any);
  } else {
    p.idle_waiter.wait_until(guest == kNoDeadline ? HostTime::never() : now + guest);
  }
}

// save_snapshot_at()'s timer has fired: save now, between runs, at the
// boundary of the instruction that reached the requested time.
void serve_snapshot_request(Board& board, Board::Parts& p) {
  if (!p.snapshot_due) return;
  p.snapshot_due = false;
  if (Status s = board.save_snapshot_to(p.snapshot_path); !s.ok()) p.snapshot_failure = s.error();
}

// Paused by the monitor: guest time stands still and no hart runs; only the
// host-clock timers (console, the monitor's poll) are served until unpaused.
void wait_while_paused(Board::Parts& p) {
  if (p.console_out.pending()) p.console_out.flush();
  const Duration span = p.timers.deadline_in_any({ClockId::kRealtime, ClockId::kHost});
  p.host.wait_until(span == kNoDeadline ? HostTime::never() : p.host.now() + span);
  for (ClockId id : {ClockId::kRealtime, ClockId::kHost}) p.timers.run_due(id);
}

// Every hart waits for an interrupt: icount warps or sleeps to the next
// deadline, the board without icount waits on the host for it.
void idle_all_harts(Board::Parts& p) {
  // A guest that waits has said what it had to say: show it now.
  if (p.console_out.pending()) p.console_out.flush();
  const HostTime idle_start = p.host.now();
  if (p.icount) {
    const GuestTime before = p.clocks.virtual_now();
    p.icount->idle();
    p.time_warped += p.clocks.virtual_now() - before;
  } else {
    wait_for_next_deadline(p);
  }
  p.host_idle += p.host.now() - idle_start;
}

}  // namespace

RunOutcome Board::run(std::optional<Duration> guest_time_limit) {
  Parts& p = *p_;
  p.loop_thread = std::this_thread::get_id();
  const HostTime host_start = p.host.now();
  if (!p.paused) p.clocks.resume();

  bool limit_reached = false;
  std::optional<GuestTimer> limit_timer;
  if (guest_time_limit) {
    limit_timer.emplace(p.timers, ClockId::kVirtual, [&](GuestTime) {
      ++p.own_timers_fired;
      limit_reached = true;
      if (p.running != nullptr) p.running->request_exit();
    });
    limit_timer->arm(p.clocks.virtual_now() + *guest_time_limit);
  }

  // A replay ends where its recording ended (checked there: the same count).
  std::optional<GuestTimer> replay_end;
  if (const std::optional<ReplayEvent> end = p.replay.end()) {
    replay_end.emplace(p.timers, ClockId::kVirtual, [&p](GuestTime) {
      ++p.own_timers_fired;
      p.replay.reached_end();
      p.replay_ended = true;
      if (p.running != nullptr) p.running->request_exit();
    });
    replay_end->arm(end->at);
  }

  std::optional<RunOutcome> stuck;
  p.quit = false;
  auto done = [&] {
    return p.finish.has_value() || limit_reached || stuck.has_value() || p.quit || p.snapshot_failure ||
           p.replay_ended || p.replay.failure();
  };

  while (!done() || (p.finish && p.finish->kind == FinisherRequest::Kind::kReset)) {
    if (p.finish && p.finish->kind == FinisherRequest::Kind::kReset) {
      p.finish.reset();
      if (const Status s = reboot(); !s.ok()) {
        p.host_time += p.host.now() - host_start;
        return {RunOutcome::Kind::kReboot, 1, fmt::format("reboot failed: {}", s.error())};
      }
      continue;
    }
    if (p.paused) {
      wait_while_paused(p);
      continue;
    }
    p.timers_fired += p.timers.run_due(ClockId::kVirtual);
    serve_snapshot_request(*this, p);
    if (done()) continue;
    const std::optional<size_t> turn = p.turns->current();
    if (turn) {
      run_turn(p, *turn, stuck);
    } else {
      idle_all_harts(p);
    }

    p.timers_fired += p.timers.run_due(ClockId::kVirtual);
    serve_snapshot_request(*this, p);
    for (ClockId id : {ClockId::kRealtime, ClockId::kHost, ClockId::kVirtualRt}) p.timers.run_due(id);
    if (p.icount) p.time_slept_align += p.icount->pace();
    // The throttle slows harts that run: a pass in which every hart waited used
    // no host CPU, so it pays nothing (the sleep stays owed, once, until a hart
    // runs) and an idle board answers its host events without a throttle delay.
    if (turn) p.throttle.pay();
  }

  p.console_out.flush();
  p.host_time += p.host.now() - host_start;
  if (p.quit) return {RunOutcome::Kind::kQuit, 0, "quit from the console"};
  if (p.snapshot_failure) {
    std::string why = *std::exchange(p.snapshot_failure, std::nullopt);
    return {RunOutcome::Kind::kFailure, 1, "savevm failed: " + why};
  }
  if (const std::optional<std::string>& why = p.replay.failure()) return {RunOutcome::Kind::kFailure, 1, *why};
  if (p.finish && p.replay.end() && !p.replay_ended) {
    return {RunOutcome::Kind::kFailure, 1,
            fmt::format("the replay diverged: the guest ended ({}) at instruction {}, before the recording's end "
                        "at instruction {}",
                        outcome_of(*p.finish).reason, p.position().retired, p.replay.end()->position)};
  }
  if (p.finish) return outcome_of(*p.finish);
  if (p.replay_ended && !limit_reached) {
    return {RunOutcome::Kind::kTimeLimit, 0,
            fmt::format("replay complete: the recording's end at instruction {}", p.replay.end()->position)};
  }
  if (stuck) return *stuck;
  return {RunOutcome::Kind::kTimeLimit, 0, "guest time limit reached"};
}

}  // namespace vtime
