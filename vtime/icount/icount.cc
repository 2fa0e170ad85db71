#include "vtime/icount/icount.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>

namespace vtime {
namespace {

uint64_t add_saturating(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

constexpr AttributeMask kWarpMask = AttributeMask::all_except(TimerAttribute::kExternal);

}  // namespace

Icount::Icount(VmClocks& clocks, TimerGroup& timers, Options options)
    : clocks_(clocks),
      timers_(timers),
      options_(std::move(options)),
      nominal_(InsnPeriod::from_shift(options_.icount.shift)),
      clock_(clocks.virtual_now(), nominal_),
      quantum_insns_(nominal_.insns_for(options_.icount.quantum, Round::kUp)),
      waiter_(clocks.host(), options_.idle_wait),
      aligner_(clocks.host(), [&clocks] { return clocks.virtual_rt_now(); },
               Aligner::Options{.align = options_.icount.align,
                                .threshold = options_.icount.align_threshold,
                                .warn = options_.icount.align
                                            ? Aligner::WarningSink([this](std::string_view m) { warn(m); })
                                            : nullptr}) {
  assert(validate(options_.icount).ok() && options_.icount.mode != IcountMode::kOff);
  clocks_.set_virtual_source(&clock_);
  earlier_deadlines_ = timers_.subscribe([this](ClockId id) { on_notify(id); });
  if (options_.icount.mode == IcountMode::kAdaptive) {
    controller_ = make_rate_controller(options_.icount.controller, options_.icount.shift);
    nominal_ = controller_->initial();
    clock_.set_period(nominal_);
    // Each timer re-arms from "now" first, then adjusts (QEMU's order).
    rt_adjust_timer_.emplace(timers_, ClockId::kVirtualRt, [this](GuestTime) {
      rt_adjust_timer_->arm_in(controller_->rt_interval());
      adjust_rate();
    });
    rt_adjust_timer_->arm_in(controller_->rt_interval());
    if (controller_->virtual_interval() != Duration::max()) {
      virtual_adjust_timer_.emplace(timers_, ClockId::kVirtual, [this](GuestTime) {
        virtual_adjust_timer_->arm_in(controller_->virtual_interval());
        adjust_rate();
      });
      virtual_adjust_timer_->arm_in(controller_->virtual_interval());
    }
  }
}

Icount::~Icount() {
  earlier_deadlines_.reset();
  virtual_adjust_timer_.reset();
  rt_adjust_timer_.reset();
  clocks_.set_virtual_source(nullptr);
}

HartBudget& Icount::add_hart() { return harts_.emplace_back(clock_); }

void Icount::set_runnable_harts(uint32_t runnable) {
  runnable_ = std::max<uint32_t>(1, runnable);
  clock_.set_period(nominal_.shared_by(runnable_));
}

uint64_t Icount::insns_to_deadlines(uint64_t* retired) {
  const GuestTime due = clocks_.enabled(ClockId::kVirtual) ? timers_.next_virtual_deadline()
                                                           : GuestTime::never();
  const InstructionClock::Until until = clock_.insns_until_snapshot(due);
  if (retired != nullptr) *retired = until.retired;
  uint64_t limit = until.insns;
  // Host-clock timers must get their turn too; convert at the current charge
  // (only when the loop regains control depends on this, not guest time).
  const Duration host_span =
      timers_.deadline_in_any({ClockId::kRealtime, ClockId::kHost, ClockId::kVirtualRt});
  if (host_span != kNoDeadline) {
    limit = std::min(limit, clock_.period().insns_for(host_span, Round::kUp));
  }
  return limit;
}

void Icount::begin_turn() { turn_left_ = harts_.size() > 1 ? quantum_insns_ : UINT64_MAX; }

uint64_t Icount::grant(HartBudget& hart) {
  // Publish the running hart before reading deadlines: an arm that races with
  // this either is seen below or shrinks the grant through on_notify().
  hart.grant(UINT64_MAX);
  running_.store(&hart, std::memory_order_seq_cst);
  if (turn_over()) begin_turn();  // a caller that does not count turns: one per run
  uint64_t limit = std::min(turn_left_, insns_to_deadlines());
  // align: come back often enough to measure the lead (a quarter threshold).
  if (options_.icount.align) {
    limit = std::min(limit, std::max<uint64_t>(1, clock_.period().insns_for(
                                                      options_.icount.align_threshold / 4, Round::kUp)));
  }
  hart.shrink_to(limit);
  return hart.limit();
}

uint64_t Icount::finish(HartBudget& hart, HartStop why) {
  running_.store(nullptr, std::memory_order_seq_cst);
  const uint64_t executed = hart.end_run();
  if (turn_left_ != UINT64_MAX) turn_left_ -= std::min(executed, turn_left_);
  if (why != HartStop::kWaitForInterrupt) return executed;
  if (runnable_ > 1 && turn_left_ > 0) {
    // The waiting hart's unused slot still passes, so the others keep the
    // nominal rate; never past the next deadline.
    const GuestTime slot_end = clock_.time_after(turn_left_);
    const GuestTime due = clocks_.enabled(ClockId::kVirtual) ? timers_.next_virtual_deadline()
                                                             : GuestTime::never();
    clock_.skip_to(earliest(slot_end, due));
  }
  turn_left_ = 0;
  return executed;
}

void Icount::kick() {
  if (HartBudget* hart = running_.load(std::memory_order_seq_cst)) hart->request_exit();
  if (idle_waiting_.load(std::memory_order_seq_cst)) clocks_.host().wake();
}

void Icount::on_notify(ClockId) {
  if (HartBudget* hart = running_.load(std::memory_order_seq_cst)) {
    // Instructions this run published and those still to the deadline come
    // from one clock snapshot, so the shrink is exact even while the hart syncs
    // on another thread.
    uint64_t retired = 0;
    const uint64_t to_go = insns_to_deadlines(&retired);
    const uint64_t base = hart->grant_base();
    hart->shrink_to(add_saturating(retired >= base ? retired - base : 0, to_go));
  }
  if (idle_waiting_.load(std::memory_order_seq_cst)) clocks_.host().wake();
}

IdleOutcome Icount::idle() {
  HostClock& host = clocks_.host();
  idle_waiting_.store(true, std::memory_order_seq_cst);  // before reading deadlines
  const GuestTime now = clock_.now();
  const GuestTime due = clocks_.enabled(ClockId::kVirtual)
                            ? timers_.next_virtual_deadline(kWarpMask)
                            : GuestTime::never();
  if (due <= now) {
    idle_waiting_.store(false);
    return IdleOutcome::kTimerDue;
  }
  const Duration host_span =
      timers_.deadline_in_any({ClockId::kRealtime, ClockId::kHost, ClockId::kVirtualRt});
  const HostTime h0 = host.now();
  const HostTime host_due = host_span == kNoDeadline ? HostTime::never() : h0 + host_span;

  if (!options_.icount.sleep) {
    idle_waiting_.store(false);
    if (!due.is_never()) {
      clock_.skip_to(due);  // deterministic: no host time involved
      return IdleOutcome::kWarped;
    }
    if (!warned_no_timer_) {
      warned_no_timer_ = true;
      warn("icount sleep=off: every hart waits for an interrupt and no VIRTUAL timer is armed; "
           "guest time stands still until an external event");
    }
    idle_waiting_.store(true);
    host.wait_until(host_due);
    idle_waiting_.store(false);
    return IdleOutcome::kWoken;
  }

  if (idle_replay_.replay) {
    idle_waiting_.store(false, std::memory_order_seq_cst);
    const std::optional<Duration> advance = idle_replay_.replay();
    if (advance) clock_.skip(std::min(*advance, due.is_never() ? *advance : due - now));
    return clock_.now() >= due ? IdleOutcome::kWarped : IdleOutcome::kWoken;
  }
  // Owed lateness shortens this wait; the VIRTUAL_RT that passes plus what
  // was owed is the advance, up to the deadline; the rest stays owed.
  const Duration span = due.is_never() ? Duration::max() : due - now;
  const Duration wait = due.is_never() ? Duration::max() : std::max(Duration(0), span - idle_owed_);
  const GuestTime rt0 = clocks_.virtual_rt_now();
  const HostTime wake_at = earliest(due.is_never() ? HostTime::never() : h0 + wait, host_due);
  if (wait > Duration(0)) waiter_.wait_until(wake_at);
  idle_waiting_.store(false, std::memory_order_seq_cst);
  if (!wake_at.is_never()) idle_late_ += std::max(Duration(0), host.now() - wake_at);
  const GuestTime rt1 = clocks_.virtual_rt_now();
  const Duration passed = rt1 - rt0;
  idle_rt_ += passed;
  const Duration credit = passed + idle_owed_;
  Duration advance = std::min(credit, span);  // never past the deadline
  // Adaptive mode: never let an idle guest run ahead of real time (QEMU's clamp).
  if (controller_) advance = std::min(advance, std::max(Duration(0), rt1 - now));
  idle_owed_ = options_.repay_idle_lateness ? credit - advance : Duration(0);
  // Adaptive mode: VIRTUAL at or ahead of VIRTUAL_RT owes nothing.
  if (controller_) idle_owed_ = std::min(idle_owed_, std::max(Duration(0), rt1 - (now + advance)));
  if (idle_replay_.record) idle_replay_.record(advance);  // at the instant the idle began
  clock_.skip(advance);
  return clock_.now() >= due ? IdleOutcome::kWarped : IdleOutcome::kWoken;
}

Duration Icount::pace() { return idle_replay_.replay ? Duration(0) : aligner_.pace(clock_.now()); }

void Icount::adjust_rate() {
  if (!clocks_.running()) return;
  const RateSample sample{.virtual_now = clock_.now(),
                          .virtual_rt_now = clocks_.virtual_rt_now(),
                          .retired = clock_.retired(),
                          // Host time the guest did not execute: idle warps and align sleeps.
                          .idle = idle_rt_ + aligner_.total_slept()};
  nominal_ = controller_->adjust(sample, nominal_);
  quantum_insns_ = nominal_.insns_for(options_.icount.quantum, Round::kUp);
  clock_.set_period(nominal_.shared_by(runnable_));
}

void Icount::warn(std::string_view message) {
  if (options_.warn) options_.warn(message);
}

std::string Icount::info_text() {
  const int shift = nominal_.exact_shift();
  std::string out = fmt::format("icount              {}\n", format_icount_options(options_.icount));
  out += fmt::format("Instruction period  {:.4f} ns{} ({:.1f} MIPS per hart), {} runnable hart(s)\n",
                     nominal_.ns(), shift >= 0 ? fmt::format(" (shift {})", shift) : "",
                     1e3 / nominal_.ns(), runnable_);
  out += fmt::format("Retired             {} instructions, idle {:.3f} ms\n", clock_.retired(),
                     static_cast<double>(idle_rt_.count()) / 1e6);
  return out + format_align_summary(aligner_.summary());
}

}  // namespace vtime
