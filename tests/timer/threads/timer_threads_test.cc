// Arming and cancelling from two threads while the owner thread runs timers.
// The interleaving is up to the scheduler, so the checks are invariants that
// hold under every interleaving: no timer fires early or on a foreign thread,
// every arm is accounted for, subscribers run on the arming thread. Built as
// its own test set (timer_threads) so CI also runs it under ThreadSanitizer.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <deque>
#include <random>
#include <thread>
#include <vector>

#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {
namespace {

constexpr int kWorkers = 2;
constexpr size_t kTimersPerWorker = 24;
constexpr size_t kShared = 8;  // armed and cancelled by both workers
constexpr int kOpsPerWorker = 20'000;

struct Shared {
  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup group{clocks};
  std::thread::id owner = std::this_thread::get_id();
  std::atomic<int> fires{0};
  std::atomic<int> early{0};            // fired before its deadline: must stay 0
  std::atomic<int> foreign_thread{0};   // fired off the owner thread: must stay 0
  std::atomic<int> notified_on_workers{0};
  std::atomic<int> notified_on_owner{0};
  std::deque<GuestTimer> timers;

  void add_timer() {
    timers.emplace_back(group, ClockId::kVirtual, [this](GuestTime due) {
      if (std::this_thread::get_id() != owner) ++foreign_thread;
      if (clocks.virtual_now() < due) ++early;
      ++fires;
    });
  }
};

TEST(TimerThreads, TwoThreadsArmAndCancelWhileTheOwnerRunsTimers) {
  Shared s;
  for (size_t i = 0; i < kWorkers * kTimersPerWorker + kShared; ++i) s.add_timer();
  const auto subscription = s.group.subscribe([&](ClockId) {
    if (std::this_thread::get_id() == s.owner) {
      ++s.notified_on_owner;
    } else {
      ++s.notified_on_workers;
    }
    s.host.wake();  // what a real loop's hook does
  });

  std::atomic<int> workers_done{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      std::mt19937_64 rng(static_cast<uint64_t>(w) + 1);
      for (int op = 0; op < kOpsPerWorker; ++op) {
        const bool shared = rng() % 4 == 0;
        const size_t index = shared ? kWorkers * kTimersPerWorker + rng() % kShared
                                    : static_cast<size_t>(w) * kTimersPerWorker +
                                          rng() % kTimersPerWorker;
        GuestTimer& t = s.timers[index];
        const Duration later(static_cast<int64_t>(rng() % 5'000));
        switch (rng() % 4) {
          case 0: t.arm_in(later); break;
          case 1: t.arm_earlier_only(s.clocks.virtual_now() + later); break;
          case 2: t.cancel(); break;
          default:
            // Reads never tear: an expire time is never() exactly when idle.
            if (t.pending()) {
              (void)t.expire_time();
            }
            (void)s.group.next_deadline(ClockId::kVirtual);
            break;
        }
      }
      ++workers_done;
    });
  }

  // The owner's loop: wait for the next deadline (woken early by arms), run.
  while (workers_done.load() < kWorkers) {
    const Duration wait = std::min(s.group.deadline_in(ClockId::kVirtual), Duration(2'000));
    s.host.wait_until(s.host.now() + wait);
    s.group.run_due(ClockId::kVirtual);
  }
  for (std::thread& t : workers) t.join();

  // Drain: everything still pending fires once its deadline is reached.
  s.host.advance(1ms);
  s.group.run_due(ClockId::kVirtual);
  for (const GuestTimer& t : s.timers) EXPECT_FALSE(t.pending());
  EXPECT_EQ(s.group.next_deadline(ClockId::kVirtual), kNoDeadline);
  EXPECT_EQ(s.early.load(), 0);
  EXPECT_EQ(s.foreign_thread.load(), 0);
  EXPECT_GT(s.fires.load(), 0);
  EXPECT_GT(s.notified_on_workers.load(), 0);
}

TEST(TimerThreads, ArmFromAnotherThreadWakesTheOwnersWait) {
  Shared s;
  s.add_timer();
  const auto subscription = s.group.subscribe([&](ClockId) { s.host.wake(); });
  std::thread other([&] { s.timers[0].arm(s.clocks.virtual_now() + 5us); });
  other.join();
  // The wake-up is not lost even though it came before the wait.
  EXPECT_EQ(s.host.wait_until(s.host.now() + 1s), WakeReason::kWoken);
  EXPECT_EQ(s.group.deadline_in(ClockId::kVirtual), 5us);
}

}  // namespace
}  // namespace vtime
