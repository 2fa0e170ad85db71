// SyntheticCpu: a stand-in hart for the icount tests. It "executes" a program
// of fixed-size blocks through the HartBudget contract (never past the budget,
// split blocks at the limit), touches a device at one instruction of each
// block (charge + sync first, so the device sees the exact time), charges a
// simulated host cost per instruction on a ManualHostClock, and waits for an
// interrupt after a given number of instructions. Plus the reference run loop.
#pragma once

#include <algorithm>
#include <functional>
#include <vector>

#include "vtime/icount/icount.h"
#include "vtime/icount/turn_scheduler.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::testing {

class SyntheticCpu {
 public:
  struct Program {
    uint64_t block = 8;
    uint64_t device_at = 0;              // 1-based instruction of each block; 0 = none
    std::function<void()> device = nullptr;  // the access, made after sync()
    Duration host_per_insn{0};           // simulated host cost of one instruction
    uint64_t run_insns = UINT64_MAX;     // instructions until it waits for an interrupt
  };

  SyntheticCpu(HartBudget& budget, ManualHostClock& host, Program program)
      : budget_(budget), host_(host), program_(std::move(program)), to_wait_(program_.run_insns) {}

  HartBudget& budget() { return budget_; }
  bool waiting() const { return to_wait_ == 0; }
  uint64_t executed() const { return executed_; }
  // An interrupt: run `more` instructions before waiting again.
  void wake(uint64_t more) { to_wait_ = more; }

  HartStop run() {
    for (;;) {
      if (to_wait_ == 0) return HartStop::kWaitForInterrupt;
      const uint64_t left = budget_.left();
      if (left == 0) return HartStop::kBudget;
      uint64_t n = std::min({program_.block - pos_, left, to_wait_});
      const bool access = program_.device_at > pos_ && program_.device_at <= pos_ + n;
      if (access) n = program_.device_at - pos_;  // up to and including the accessing insn
      retire(n);
      if (access) {
        budget_.sync();
        if (program_.device) program_.device();
      }
    }
  }

 private:
  void retire(uint64_t n) {
    budget_.charge(n);
    if (program_.host_per_insn > Duration(0)) host_.advance(program_.host_per_insn * static_cast<int64_t>(n));
    executed_ += n;
    to_wait_ -= n;
    pos_ = (pos_ + n) % program_.block;
  }

  HartBudget& budget_;
  ManualHostClock& host_;
  Program program_;
  uint64_t to_wait_;
  uint64_t pos_ = 0;
  uint64_t executed_ = 0;
};

// The reference run loop (docs/icount.md) for one round: one run of each
// runnable cpu in turn (TurnScheduler), ending early where a deadline cut a
// turn, or an idle warp when none is runnable; timers and pacing after every run.
// `between_slices` runs after the timers, before each run (CpuThrottle::pay()).
inline void run_round(Icount& icount, TimerGroup& timers, std::vector<SyntheticCpu*> cpus,
                      const std::function<void()>& between_slices = nullptr) {
  TurnScheduler turns(cpus.size(), &icount, [&](size_t h) { return !cpus[h]->waiting(); });
  timers.run_all_due();
  if (between_slices) between_slices();
  std::optional<size_t> h = turns.current();
  if (!h) icount.idle();
  while (h) {
    timers.run_due(ClockId::kVirtual);
    icount.grant(cpus[*h]->budget());
    const HartStop why = cpus[*h]->run();
    icount.finish(cpus[*h]->budget(), why);
    turns.ran(why);
    if (turns.turn_open()) break;  // cut by a deadline: the caller's next round goes on
    timers.run_all_due();
    icount.pace();
    if (between_slices) between_slices();
    h = turns.current();
    if (turns.rounds() > 1) break;  // that turn belongs to the caller's next round
  }
  timers.run_all_due();
  icount.pace();
}

}  // namespace vtime::testing
