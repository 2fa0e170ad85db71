#include "vtime/icount/hart_budget.h"

namespace vtime {

void HartBudget::sync() {
  const uint64_t published = published_.load(std::memory_order_relaxed);
  if (used_ == published) return;
  clock_.retire(used_ - published);
  // Released after the clock: a reader that sees this count also sees the
  // clock that includes it (Icount's exact shrink relies on it).
  published_.store(used_, std::memory_order_release);
}

void HartBudget::grant(uint64_t limit) {
  used_ = 0;
  published_.store(0, std::memory_order_release);
  grant_base_.store(clock_.retired(), std::memory_order_release);
  limit_.store(limit, std::memory_order_release);
}

void HartBudget::shrink_to(uint64_t limit) {
  uint64_t current = limit_.load(std::memory_order_relaxed);
  while (limit < current &&
         !limit_.compare_exchange_weak(current, limit, std::memory_order_acq_rel,
                                       std::memory_order_relaxed)) {
  }
}

uint64_t HartBudget::end_run() {
  sync();
  const uint64_t executed = used_;
  limit_.store(0, std::memory_order_release);
  return executed;
}

}  // namespace vtime
