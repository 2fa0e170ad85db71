// Readers on other threads while the owner stops, resumes, advances the host,
// runs it backwards and switches VIRTUAL's source. Also runs under
// ThreadSanitizer (this test set is named clock_threads). No sleeps: threads
// spin for a fixed number of owner steps.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "vtime/clock/seqlock.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

struct Quad {
  uint64_t a = 0, b = 0, c = 0, d = 0;
};

TEST(SeqlockThreads, ReadersNeverSeeATornValue) {
  Seqlock<Quad> lock;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> torn{0};
  std::atomic<uint64_t> reads{0};
  auto reader = [&] {
    uint64_t last = 0;
    while (!done.load(std::memory_order_acquire)) {
      const Quad q = lock.read();
      if (q.b != q.a * 3 || q.c != ~q.a || q.d != q.a + 7 || q.a < last) torn.fetch_add(1);
      last = q.a;
      reads.fetch_add(1, std::memory_order_relaxed);
    }
  };
  lock.write(Quad{0, 0, ~uint64_t{0}, 7});
  std::thread r1(reader), r2(reader);
  for (uint64_t n = 1; n <= 200'000; ++n) {
    if (n % 10'000 == 0) {  // overlap without sleeping: let the readers read again
      const uint64_t before = reads.load();
      while (reads.load() < before + 2) std::this_thread::yield();
    }
    lock.write(Quad{n, n * 3, ~n, n + 7});
  }
  done.store(true, std::memory_order_release);
  r1.join();
  r2.join();
  EXPECT_EQ(torn.load(), 0U);
  EXPECT_GT(reads.load(), 0U);
  EXPECT_EQ(lock.read().a, 200'000U);
}

// A VIRTUAL source other threads may read while the owner moves it.
class AtomicSource final : public VirtualTimeSource {
 public:
  GuestTime virtual_now() override {
    return GuestTime::from_epoch(Duration(ns.load(std::memory_order_acquire)));
  }
  std::atomic<int64_t> ns{0};
};

using namespace std::chrono_literals;

int64_t read_on_other_thread(VmClocks& clocks) {
  int64_t v = 0;
  std::thread([&] { v = clocks.virtual_now().since_epoch().count(); }).join();
  return v;
}

// The owner and other threads clamp with different marks; each must bound the
// other's later reads when the host's monotonic source runs backwards.
TEST(VmClocksThreads, OwnerAndOtherThreadsBoundEachOthersLaterReads) {
  ManualHostClock host;
  VmClocks clocks(host);
  host.advance(10ms);
  EXPECT_EQ(clocks.virtual_now().since_epoch(), Duration(10ms));  // owner
  host.set_monotonic(host.now() - 4ms);
  EXPECT_EQ(read_on_other_thread(clocks), Duration(10ms).count());
  host.advance(6ms);  // 12 ms: another thread reads it first
  EXPECT_EQ(read_on_other_thread(clocks), Duration(12ms).count());
  host.set_monotonic(host.now() - 5ms);
  EXPECT_EQ(clocks.virtual_now().since_epoch(), Duration(12ms));  // owner holds at 12
  clocks.stop();  // freezes at the largest value anyone returned
  host.advance(20ms);
  EXPECT_EQ(read_on_other_thread(clocks), Duration(12ms).count());
}

TEST(VmClocksThreads, AnotherThreadCanAdoptOwnership) {
  ManualHostClock host;
  VmClocks clocks(host);
  EXPECT_TRUE(clocks.on_owner_thread());
  host.advance(5ms);
  std::thread([&] {
    clocks.adopt_owner_thread();
    EXPECT_TRUE(clocks.on_owner_thread());
    EXPECT_EQ(clocks.virtual_now().since_epoch(), Duration(5ms));
    clocks.stop();
  }).join();
  EXPECT_FALSE(clocks.on_owner_thread());
  host.advance(5ms);
  EXPECT_EQ(clocks.virtual_now().since_epoch(), Duration(5ms));  // stopped, read as a foreign thread
}

TEST(VmClocksThreads, ReadersSeeMonotonicBoundedValuesWhileTheOwnerStopsAndResumes) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = Frequency::mhz(10)});
  AtomicSource source;
  std::atomic<bool> done{false};
  std::atomic<int64_t> total_advanced{0};  // upper bound for VIRTUAL_RT
  std::atomic<int64_t> latest_seen{0};     // cross-thread high-water of VIRTUAL
  std::atomic<uint64_t> violations{0};
  std::atomic<uint64_t> reads{0};

  auto reader = [&] {
    int64_t last_v = 0, last_rt = 0;
    uint64_t last_tsc = 0;
    while (!done.load(std::memory_order_acquire)) {
      const int64_t before = latest_seen.load(std::memory_order_acquire);
      const int64_t v = clocks.virtual_now().since_epoch().count();
      const int64_t rt = clocks.virtual_rt_now().since_epoch().count();
      const uint64_t tsc = clocks.tsc();
      const int64_t bound = total_advanced.load(std::memory_order_acquire);
      // Never below a value another thread saw before this read began.
      if (v < before || v < last_v || rt < last_rt || tsc < last_tsc || rt > bound) {
        violations.fetch_add(1);
      }
      last_v = v;
      last_rt = rt;
      last_tsc = tsc;
      int64_t seen = latest_seen.load(std::memory_order_relaxed);
      while (v > seen && !latest_seen.compare_exchange_weak(seen, v, std::memory_order_acq_rel)) {
      }
      reads.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) readers.emplace_back(reader);

  // Make the threads overlap without sleeping: every 500 steps, wait until the
  // readers have read again (a fast owner could otherwise finish first).
  auto wait_for_reads = [&] {
    const uint64_t before = reads.load();
    while (reads.load() < before + 2) std::this_thread::yield();
  };
  std::mt19937_64 rng(7);
  for (int step = 0; step < 20'000; ++step) {
    if (step % 500 == 0) wait_for_reads();
    switch (rng() % 8) {
      case 0: clocks.stop(); break;
      case 1: clocks.resume(); break;
      case 2: host.set_monotonic(host.now() - Duration(static_cast<int64_t>(rng() % 50'000)));
        break;
      case 3:
        source.ns.fetch_add(static_cast<int64_t>(rng() % 20'000), std::memory_order_acq_rel);
        clocks.set_virtual_source(rng() % 2 == 0 ? &source : nullptr);
        break;
      case 4: (rng() % 2 == 0) ? clocks.disable(ClockId::kVirtual) : clocks.enable(ClockId::kVirtual);
        break;
      case 5: {
        // The owner reads too (its own, cheaper path): never below what any
        // reader saw before, and what it returns bounds the readers' next reads.
        const int64_t before = latest_seen.load(std::memory_order_acquire);
        const int64_t v = clocks.virtual_now().since_epoch().count();
        if (v < before) violations.fetch_add(1);
        int64_t seen = latest_seen.load(std::memory_order_relaxed);
        while (v > seen && !latest_seen.compare_exchange_weak(seen, v, std::memory_order_acq_rel)) {
        }
        break;
      }
      default: {
        const Duration d(static_cast<int64_t>(rng() % 10'000));
        total_advanced.fetch_add(d.count(), std::memory_order_acq_rel);  // before the host moves
        host.advance(d);
        break;
      }
    }
  }
  clocks.stop();
  const GuestTime final_v = clocks.virtual_now();
  done.store(true, std::memory_order_release);
  for (auto& t : readers) t.join();
  EXPECT_EQ(violations.load(), 0U);
  EXPECT_GT(reads.load(), 0U);
  // Frozen now: nothing any reader saw lies beyond the frozen value.
  EXPECT_GE(final_v.since_epoch().count(), latest_seen.load());
  EXPECT_EQ(clocks.virtual_now(), final_v);
}

}  // namespace
}  // namespace vtime
