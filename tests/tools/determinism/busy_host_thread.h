// A host thread that spins on a core for as long as it lives: load that
// competes with a child process for the CPU, so host time and preemption points
// differ from an idle host's. The constructor returns once the thread spins.
#pragma once

#include <atomic>
#include <cstdint>
#include <stop_token>
#include <thread>

namespace vtime {

class BusyHostThread {
 public:
  BusyHostThread() : thread_([this](std::stop_token stop) { spin(stop); }) {
    while (spins_.load(std::memory_order_acquire) == 0) {
    }
  }

 private:
  void spin(const std::stop_token& stop) {
    uint64_t x = 1;
    while (!stop.stop_requested()) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;  // work the optimiser keeps
      spins_.store(x | 1, std::memory_order_release);
    }
  }

  std::atomic<uint64_t> spins_{0};
  std::jthread thread_;  // last: joined before spins_ goes
};

}  // namespace vtime
