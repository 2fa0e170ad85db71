// A host thread that spins on one core for as long as it lives, and keeps the
// thread that created it on that same core: a child process spawned meanwhile
// inherits the pinning and has to share the core with the spinner, so it is
// preempted at points no idle run sees. The creator's CPU set comes back when
// the object goes. The constructor returns once the thread spins.
#pragma once

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <thread>

namespace vtime {

class BusyHostThread {
 public:
  BusyHostThread() {
    cpu_set_t core;
    CPU_ZERO(&core);
    const int cpu = sched_getcpu();
    CPU_SET(cpu >= 0 ? cpu : 0, &core);
    if (pthread_getaffinity_np(pthread_self(), sizeof saved_, &saved_) == 0) {
      pinned_ = pthread_setaffinity_np(pthread_self(), sizeof core, &core) == 0;
    }
    thread_.emplace([this, core](std::stop_token stop) {
      pthread_setaffinity_np(pthread_self(), sizeof core, &core);
      spin(stop);
    });
    while (spins_.load(std::memory_order_acquire) == 0) {
    }
  }

  ~BusyHostThread() {
    thread_.reset();  // stops and joins
    if (pinned_) pthread_setaffinity_np(pthread_self(), sizeof saved_, &saved_);
  }

  BusyHostThread(const BusyHostThread&) = delete;
  BusyHostThread& operator=(const BusyHostThread&) = delete;

 private:
  void spin(const std::stop_token& stop) {
    uint64_t x = 1;
    while (!stop.stop_requested()) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;  // work the optimiser keeps
      spins_.store(x | 1, std::memory_order_release);
    }
  }

  cpu_set_t saved_{};
  bool pinned_ = false;
  std::atomic<uint64_t> spins_{0};
  std::optional<std::jthread> thread_;
};

}  // namespace vtime
