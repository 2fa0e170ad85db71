// Icount: the instruction-counting engine of one machine. It installs
// an InstructionClock as VIRTUAL's source in VmClocks, gives each hart a
// HartBudget, computes budgets from the timer deadlines, shrinks a running
// budget when an earlier timer is armed, warps VIRTUAL while every hart is
// idle, runs the shift=auto controller on its timers, and paces (align).
// CPU-independent: any interpreter drives it through HartBudget.
//
// Run loop contract (one thread runs harts, in turn; see docs/icount.md):
//   icount.set_runnable_harts(n)                    // n harts not waiting (>= 1)
//   for each runnable hart h:
//     timers.run_due(ClockId::kVirtual);
//     icount.grant(h);  hart.run(h);  icount.finish(h, why);
//   if no hart is runnable: icount.idle();          // warp (sleep=off / sleep=on)
//   timers.run_all_due();  icount.pace();           // align at the slice boundary
// Fairness: with n runnable harts every instruction is charged period/n, and a
// round gives each hart the same quantum, so every hart advances at the nominal
// rate (QEMU charges the full period per instruction of any vCPU, so each of n
// vCPUs runs at 1/n of it). A hart that stops early to wait gives its unused
// share to the clock (VIRTUAL skips it), so the others keep the nominal rate.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "vtime/state/state_stream.h"
#include "vtime/icount/aligner.h"
#include "vtime/icount/hart_budget.h"
#include "vtime/icount/icount_options.h"
#include "vtime/icount/instruction_clock.h"
#include "vtime/icount/rate_controller.h"
#include "vtime/timer/timer.h"
#include "vtime/time/deadline_waiter.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

// Why a hart returned to the run loop.
enum class HartStop : uint8_t {
  kBudget,            // its budget ran out (deadline, quantum or exit request)
  kWaitForInterrupt,  // it waits for an interrupt (WFI): the rest of its share is skipped
};

// What idle() did.
enum class IdleOutcome : uint8_t {
  kTimerDue,  // a VIRTUAL timer is already due: run timers, no warp
  kWarped,    // VIRTUAL reached the next VIRTUAL deadline
  kWoken,     // an external event or a host-clock deadline ended the wait first
};

class Icount {
 public:
  using WarningSink = std::function<void(std::string_view)>;
  struct Options {
    IcountOptions icount;                 // mode must be kFixed or kAdaptive (validated)
    WarningSink warn = nullptr;           // "no timer armed", "guest is late" (may be empty)
    DeadlineWaiter::Options idle_wait{};  // how sleep=on idle waits meet their deadline
    // sleep=on: host wake-up lateness left after an idle wait is owed to the
    // guest and repaid by later idles (off: dropped, the plain baseline).
    bool repay_idle_lateness = true;
  };

  // Installs the instruction clock as VIRTUAL's source, starting at the current
  // VIRTUAL. Both references must outlive the Icount.
  Icount(VmClocks& clocks, TimerGroup& timers, Options options);
  ~Icount();  // VIRTUAL goes back to host running time, continuous
  Icount(const Icount&) = delete;
  Icount& operator=(const Icount&) = delete;

  // --- Harts -------------------------------------------------------------------
  // A budget for one more hart; the reference stays valid for Icount's life.
  HartBudget& add_hart();
  size_t hart_count() const { return harts_.size(); }
  HartBudget& hart(size_t index) { return harts_[index]; }
  // How many harts take turns now (not waiting for an interrupt); >= 1.
  // Changes the per-instruction charge; VIRTUAL stays continuous.
  void set_runnable_harts(uint32_t runnable);

  // --- One turn, in one or more runs ----------------------------------------------
  // A turn is what one hart may execute before the next hart's turn: one
  // quantum when the machine has several harts, unbounded with one. Runs cut
  // short by a deadline or a kick continue the same turn, so where the host
  // cuts a run never changes how many instructions a turn holds.
  void begin_turn();
  // True when the turn's quantum is used up or its hart waits for an interrupt.
  bool turn_over() const { return turn_left_ == 0; }
  // Grants `hart` a run: the instructions until the earliest VIRTUAL deadline
  // (rounded up: the deadline instruction is the last one), capped by host-clock
  // deadlines, by what is left of the turn, and with align=on by a quarter of
  // the align threshold (so the lead is measured often enough). No other cap.
  // 0 when a VIRTUAL timer is already due. Opens a turn if none is open.
  // Returns the grant.
  uint64_t grant(HartBudget& hart);
  // Ends the run: publishes and takes what it executed off the turn. On
  // kWaitForInterrupt the turn is over and, with several runnable harts, the
  // rest of its quantum passes on the clock, never past the next deadline.
  // Returns the instructions it executed.
  uint64_t finish(HartBudget& hart, HartStop why);
  // Ends the current run at the next block boundary (any thread: a host event).
  void kick();

  // --- Idle and pacing ---------------------------------------------------------
  // Every hart waits for an interrupt. sleep=off: VIRTUAL jumps to the next
  // non-external VIRTUAL deadline at once (warns once if there is none, then
  // waits on the host for an event or a host-clock deadline). sleep=on: waits
  // on the host (a DeadlineWaiter: early wake-up, then a short spin) until that
  // deadline, a host-clock deadline, or an external event (HostClock::wake()),
  // and VIRTUAL advances by the VIRTUAL_RT that passed, never beyond the
  // deadline. Host time the wait overran the deadline by is owed to the guest:
  // the next idle waits that much less and advances that much more, so over
  // many idles VIRTUAL keeps the host's pace instead of losing every
  // wake-up's lateness.
  IdleOutcome idle();
  // Record and replay of what host time gives an idle under sleep=on (the
  // board's record/replay): `record` hears each idle's advance; with `replay`
  // set, idle() takes its advance from it instead of waiting on the host
  // (nullopt: none, the replay has diverged) and pace() never sleeps.
  struct IdleReplay {
    std::function<void(Duration advance)> record;
    std::function<std::optional<Duration>()> replay;
  };
  void set_idle_replay(IdleReplay hooks) { idle_replay_ = std::move(hooks); }
  // At a slice boundary: align=on sleeps off a lead above the threshold;
  // always records host-guest statistics. Returns host time slept.
  Duration pace();

  // --- Introspection ------------------------------------------------------------
  InstructionClock& clock() { return clock_; }
  // Nominal period (what one hart's instruction is worth); the charge per
  // instruction is this divided by the runnable harts.
  InsnPeriod period() const { return nominal_; }
  uint32_t runnable_harts() const { return runnable_; }
  Duration idle_time() const { return idle_rt_; }  // VIRTUAL_RT spent in idle()
  // Host wake-up lateness not yet repaid (sleep=on; >= 0).
  Duration idle_owed() const { return idle_owed_; }
  // Host time the idle waits overran their wake-up time by, in all; what of it
  // was repaid (the rest is owed, or dropped when repayment is off).
  Duration idle_lateness() const { return idle_late_; }
  Duration idle_repaid() const {
    return options_.repay_idle_lateness ? idle_late_ - idle_owed_ : Duration(0);
  }
  // The idle waits' early wake-up margin and statistics.
  const DeadlineWaiter& idle_waiter() const { return waiter_; }
  const IcountOptions& options() const { return options_.icount; }
  AlignSummary align_summary() const { return aligner_.summary(); }
  void reset_align_stats() { aligner_.reset_stats(); }
  // Settings and figures, then QEMU's `info jit` icount lines.
  std::string info_text();

  // Snapshot of the engine (docs/snapshot.md): the instruction clock, the
  // charge and the open turn, the idle accounting, the adaptive controller and
  // its timers, align's statistics. Between runs (no hart granted). load()
  // changes nothing unless all of it read cleanly; the options must match.
  // (save() reads the clock through its seqlock, hence not const.)
  void save(StateWriter& out);
  void load(StateReader& in);

 private:
  void on_notify(ClockId id);
  // Instructions, from the clock's published state, until the earliest deadline
  // the run must stop at (VIRTUAL exact; host clocks at the nominal rate).
  // `retired`, if given, receives the clock's retired() from the same snapshot.
  uint64_t insns_to_deadlines(uint64_t* retired = nullptr);
  void adjust_rate();
  void warn(std::string_view message);

  VmClocks& clocks_;
  TimerGroup& timers_;
  Options options_;
  InsnPeriod nominal_;
  InstructionClock clock_;
  std::deque<HartBudget> harts_;
  uint32_t runnable_ = 1;
  uint64_t quantum_insns_;
  uint64_t turn_left_ = 0;  // instructions left in the current turn (UINT64_MAX: unbounded)
  std::atomic<HartBudget*> running_{nullptr};
  std::atomic<bool> idle_waiting_{false};
  bool warned_no_timer_ = false;
  Duration idle_rt_{0};
  Duration idle_owed_{0};
  Duration idle_late_{0};
  DeadlineWaiter waiter_;
  std::unique_ptr<RateController> controller_;
  std::optional<GuestTimer> rt_adjust_timer_;
  std::optional<GuestTimer> virtual_adjust_timer_;
  Aligner aligner_;
  IdleReplay idle_replay_;
  // Last: it ends first, before the state on_notify() reads.
  TimerGroup::Subscription earlier_deadlines_;
};

}  // namespace vtime
