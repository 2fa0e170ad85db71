// SpinLock: the lock guarding one timer list. Arming is the hot path and almost
// never contended (the owner thread arms; other threads arm rarely), so the
// uncontended cost matters: one atomic exchange to lock and a plain release
// store to unlock, against std::mutex's two read-modify-writes. Under contention
// it spins briefly, then yields, so a descheduled holder on a small host does not
// burn a whole time slice. Meets BasicLockable (works with std::lock_guard).
#pragma once

#include <atomic>
#include <thread>

namespace vtime {

class SpinLock {
 public:
  void lock() noexcept {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      // Wait on a plain load so waiters do not bounce the cache line.
      for (int spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if (spins < kSpinsBeforeYield) {
          relax();
        } else {
          std::this_thread::yield();
        }
      }
    }
  }
  bool try_lock() noexcept { return !locked_.exchange(true, std::memory_order_acquire); }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  static constexpr int kSpinsBeforeYield = 64;
  static void relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  std::atomic<bool> locked_{false};
};

}  // namespace vtime
