// HartBudget: what one hart may execute before it must return to the run loop,
// and the hart's side of the instruction clock. The hot path is one relaxed
// load, a compare and an add per block (no 16-bit decrementer, no refill, no
// cap on the grant). The limit can only shrink during a run, from any thread:
// a timer armed earlier than the run's end lowers it to that timer's
// instruction, or to "stop now" if the hart is already past it. The hart contract, per block of n instructions:
//   if (fits(n)) { run the block; charge(n); }
//   else if (left() == 0) return;  else { run left() instructions; charge(them); }
//   before a device access or a time read by the k-th instruction of a block:
//     charge(k - already charged); sync();   then, after the access, re-check left().
// Fastest form (bench/icount_bench.cc): keep the count in a local, compare
// `local + n > limit()` per block, and charge() the local's growth before any
// sync(), device access or return.
// Threads: grant()/end_run() and the hart's calls must be ordered (the same
// thread, or a handoff that synchronises); only shrink_to(), request_exit(),
// published() and limit() are for other threads. Early exit from another
// thread is exact if the hart has not yet passed the new deadline's
// instruction (the shrink is computed from what the hart published).
#pragma once

#include <atomic>
#include <cstdint>

#include "vtime/icount/instruction_clock.h"

namespace vtime {

class HartBudget {
 public:
  explicit HartBudget(InstructionClock& clock) : clock_(clock) {}
  HartBudget(const HartBudget&) = delete;
  HartBudget& operator=(const HartBudget&) = delete;

  // --- Hart side (the thread running the hart) ------------------------------
  // Instructions this run may still execute; 0 means return to the run loop.
  uint64_t left() const {
    const uint64_t limit = limit_.load(std::memory_order_relaxed);
    return limit > used_ ? limit - used_ : 0;
  }
  // True when `n` more instructions fit in the budget: the per-block check
  // (one add, one relaxed load, one compare; cheaper than left() < n).
  bool fits(uint64_t n) const { return used_ + n <= limit_.load(std::memory_order_relaxed); }
  // Records `n` executed instructions (not yet visible as VIRTUAL).
  void charge(uint64_t n) { used_ += n; }
  // Publishes what was charged so VIRTUAL reads are instruction-exact: a device
  // accessed after sync() sees the time of the accessing instruction (counted
  // as retired).
  void sync();

  // --- Run-loop side ----------------------------------------------------------
  // Starts a run that may execute up to `limit` instructions.
  void grant(uint64_t limit);
  // Lowers the run's limit to `limit` (counted from the grant) if that is
  // smaller; never raises it. Any thread.
  void shrink_to(uint64_t limit);
  // Makes the hart return at its next check. Any thread.
  void request_exit() { shrink_to(0); }
  // Instructions from the grant that are already published. Any thread; pair it
  // with InstructionClock::insns_until() read after it (see Icount).
  uint64_t published() const { return published_.load(std::memory_order_acquire); }
  // The clock's retired() count when this run was granted: with one hart
  // running at a time, retired() - grant_base() is what this run published.
  uint64_t grant_base() const { return grant_base_.load(std::memory_order_acquire); }
  // Ends the run: publishes the rest, returns how many instructions it executed.
  uint64_t end_run();

  uint64_t used() const { return used_; }
  uint64_t limit() const { return limit_.load(std::memory_order_relaxed); }

 private:
  InstructionClock& clock_;
  uint64_t used_ = 0;
  std::atomic<uint64_t> published_{0};
  std::atomic<uint64_t> grant_base_{0};
  std::atomic<uint64_t> limit_{0};
};

// BudgetCursor: HartBudget's hot path for one run, kept in the hart's locals.
// The count and a cached limit stay in registers, so the per-block check is a
// register add and compare (HartBudget::fits() also loads the shared limit,
// about one cycle more per block). The shared limit is re-read every
// kPollInsns instructions and by reload(): another thread's kick or earlier
// timer is seen within kPollInsns instructions (exact when it arrives at
// least that far ahead of the deadline instruction); a device's earlier timer
// is seen at once if the hart calls reload() after the access. Per block of n:
//   if (!cursor.fits(n)) { uint64_t l = cursor.left(); if (l == 0) return;
//                          if (l < n) { run l; cursor.charge(l); continue; } }
//   run the block; cursor.charge(n);
// Device access by the k-th instruction: charge(k); sync(); access; reload().
// The destructor (or flush()) hands the count back to the HartBudget.
class BudgetCursor {
 public:
  static constexpr uint64_t kPollInsns = 1024;

  explicit BudgetCursor(HartBudget& budget) : budget_(budget), used_(budget.used()) { reload(); }
  ~BudgetCursor() { flush(); }
  BudgetCursor(const BudgetCursor&) = delete;
  BudgetCursor& operator=(const BudgetCursor&) = delete;

  bool fits(uint64_t n) const { return used_ + n <= window_; }
  void charge(uint64_t n) { used_ += n; }
  // Re-reads the shared limit; instructions that may run now (0: return).
  uint64_t left() {
    reload();
    const uint64_t limit = budget_.limit();
    return limit > used_ ? limit - used_ : 0;
  }
  // Publishes the count (instruction-exact VIRTUAL for a device access).
  void sync() {
    flush();
    budget_.sync();
  }
  // After a device access: the device may have armed an earlier timer.
  void reload() {
    const uint64_t limit = budget_.limit();
    window_ = limit > used_ && limit - used_ > kPollInsns ? used_ + kPollInsns : limit;
  }
  // After HartBudget::grant() (a new run): starts counting from its zero.
  void restart() {
    used_ = budget_.used();
    reload();
  }
  void flush() { budget_.charge(used_ - budget_.used()); }

 private:
  HartBudget& budget_;
  uint64_t used_;
  uint64_t window_ = 0;
};

}  // namespace vtime
