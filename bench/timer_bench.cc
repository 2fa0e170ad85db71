// Timer list benchmarks: vtime's 4-ary heap with lazy deletion (timer_list.h)
// against QEMU's structure, a
// singly linked list sorted by deadline (O(n) unlink and insert), in one binary.
// Operations: re-arm a pending timer at a random later deadline (cancel + arm),
// arm + cancel an extra timer among N live ones, and the next-deadline query.
// A summary table at the end gives baseline/heap ratios from this same run.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/spin_lock.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace {

using vtime::Duration;
using vtime::GuestTime;

constexpr int64_t kDeadlineRange = int64_t{1} << 30;  // initial deadlines: [0, ~1 s)
constexpr int64_t kLaterBy = int64_t{1} << 20;         // re-arm moves a timer up to ~1 ms later

// xorshift64: cheap enough not to dominate a 20 ns operation.
struct Rng {
  uint64_t s = 0x9e3779b97f4a7c15ull;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
  int64_t deadline(int64_t range) { return static_cast<int64_t>(next() % static_cast<uint64_t>(range)); }
};

// --- Baseline: QEMU's sorted singly linked list (written here from its behaviour) ---
struct ListTimer {
  int64_t due = -1;  // -1: not pending, as in QEMU
  ListTimer* next = nullptr;
};

class SortedList {
 public:
  void cancel(ListTimer& t) {
    if (t.due < 0) return;
    for (ListTimer** p = &head_; *p != nullptr; p = &(*p)->next) {
      if (*p == &t) {
        *p = t.next;
        break;
      }
    }
    t.due = -1;
  }
  // Unlink, then insert before the first strictly later timer (FIFO among equals).
  void arm(ListTimer& t, int64_t due) {
    cancel(t);
    ListTimer** p = &head_;
    while (*p != nullptr && (*p)->due <= due) p = &(*p)->next;
    t.due = due;
    t.next = *p;
    *p = &t;
  }
  int64_t next_deadline() const { return head_ == nullptr ? INT64_MAX : head_->due; }
  // Links already sorted (due, timer) pairs, replacing the list.
  void build_sorted(const std::vector<std::pair<int64_t, ListTimer*>>& sorted) {
    ListTimer** tail = &head_;
    for (const auto& [due, timer] : sorted) {
      timer->due = due;
      *tail = timer;
      tail = &timer->next;
    }
    *tail = nullptr;
  }

 private:
  ListTimer* head_ = nullptr;
};

// QEMU takes a mutex around each list operation; so does the baseline.
struct BaselineFixture {
  // Built sorted in O(n log n): arming 10^6 timers one by one would take O(n^2).
  explicit BaselineFixture(size_t n) : timers(n + 1) {
    std::vector<std::pair<int64_t, ListTimer*>> order;
    for (size_t i = 0; i < n; ++i) order.emplace_back(rng.deadline(kDeadlineRange), &timers[i]);
    std::sort(order.begin(), order.end());
    list.build_sorted(order);
  }
  std::mutex mutex;
  std::vector<ListTimer> timers;
  SortedList list;
  Rng rng;
};

struct HeapFixture {
  explicit HeapFixture(size_t n) : clocks(host), group(clocks) {
    for (size_t i = 0; i <= n; ++i) {
      timers.emplace_back(group, vtime::ClockId::kVirtual, [](GuestTime) {});
    }
    for (size_t i = 0; i < n; ++i) {
      timers[i].arm(GuestTime::from_epoch(Duration(rng.deadline(kDeadlineRange))));
    }
  }
  vtime::ManualHostClock host;
  vtime::VmClocks clocks;
  vtime::TimerGroup group;
  std::deque<vtime::GuestTimer> timers;
  Rng rng;
};

// At 10^5 and 10^6 live timers one baseline operation walks ~n/2 cache-missing
// nodes (tens of microseconds to milliseconds): those sizes get capped
// iteration counts below, the small ones run for the usual time.
void baseline_small_sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {1'000, 10'000}) b->Arg(n);
}

void BM_Rearm_Heap(benchmark::State& state) {
  HeapFixture f(static_cast<size_t>(state.range(0)));
  const size_t n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    vtime::GuestTimer& t = f.timers[f.rng.below(n)];
    t.arm(t.expire_time() + Duration(1 + f.rng.deadline(kLaterBy)));
  }
  state.SetItemsProcessed(state.iterations());
}

// Re-arm where the re-armed timers are few and hot (devices reprogramming their
// own timer) while N others stay pending: the structure's cost without the
// memory system's cost of reaching a random one of N timer objects. The new
// deadline is random among the live ones (moving only later would drift the hot
// timers past all others and flatter both structures).
void BM_RearmHot_Heap(benchmark::State& state) {
  HeapFixture f(static_cast<size_t>(state.range(0)));
  constexpr size_t kHot = 64;
  for (auto _ : state) {
    f.timers[f.rng.below(kHot)].arm(GuestTime::from_epoch(Duration(f.rng.deadline(kDeadlineRange))));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RearmHot_SortedList(benchmark::State& state) {
  BaselineFixture f(static_cast<size_t>(state.range(0)));
  constexpr size_t kHot = 64;
  for (auto _ : state) {
    ListTimer& t = f.timers[f.rng.below(kHot)];
    std::lock_guard guard(f.mutex);
    f.list.arm(t, f.rng.deadline(kDeadlineRange));
  }
  state.SetItemsProcessed(state.iterations());
}

// The floor under any re-arm: reaching a random timer object at all.
void BM_TouchRandomTimer(benchmark::State& state) {
  HeapFixture f(static_cast<size_t>(state.range(0)));
  const size_t n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.timers[f.rng.below(n)].expire_time());
  }
}

// The floor under a thread-safe re-arm of a random timer: reach it, then take
// and drop a lock. The locked exchange is a full barrier, so the next timer's
// cache miss cannot overlap this one: every miss costs its whole latency, where
// BM_TouchRandomTimer lets the CPU overlap several.
void BM_TouchRandomTimerLocked(benchmark::State& state) {
  HeapFixture f(static_cast<size_t>(state.range(0)));
  const size_t n = static_cast<size_t>(state.range(0));
  vtime::SpinLock lock;
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.timers[f.rng.below(n)].expire_time());
    lock.lock();
    benchmark::ClobberMemory();
    lock.unlock();
  }
}

void BM_Rearm_SortedList(benchmark::State& state) {
  BaselineFixture f(static_cast<size_t>(state.range(0)));
  const size_t n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    ListTimer& t = f.timers[f.rng.below(n)];
    std::lock_guard guard(f.mutex);
    f.list.arm(t, t.due + 1 + f.rng.deadline(kLaterBy));
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ArmCancel_Heap(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  HeapFixture f(n);
  vtime::GuestTimer& extra = f.timers[n];
  for (auto _ : state) {
    extra.arm(GuestTime::from_epoch(Duration(f.rng.deadline(kDeadlineRange))));
    extra.cancel();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ArmCancel_SortedList(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  BaselineFixture f(n);
  ListTimer& extra = f.timers[n];
  for (auto _ : state) {
    {
      std::lock_guard guard(f.mutex);
      f.list.arm(extra, f.rng.deadline(kDeadlineRange));
    }
    std::lock_guard guard(f.mutex);
    f.list.cancel(extra);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_NextDeadline_Heap(benchmark::State& state) {
  HeapFixture f(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.group.next_deadline(vtime::ClockId::kVirtual));
  }
}

void BM_NextDeadlineMasked_Heap(benchmark::State& state) {
  HeapFixture f(static_cast<size_t>(state.range(0)));
  const auto mask = vtime::AttributeMask::all_except(vtime::TimerAttribute::kExternal);
  for (auto _ : state) {
    benchmark::DoNotOptimize(f.group.next_deadline(vtime::ClockId::kVirtual, mask));
  }
}

void BM_NextDeadline_SortedList(benchmark::State& state) {
  BaselineFixture f(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::lock_guard guard(f.mutex);
    benchmark::DoNotOptimize(f.list.next_deadline());
  }
}

// The list lock's uncontended cost: why the lists use a SpinLock.
template <class Lock>
void BM_LockUnlock(benchmark::State& state) {
  Lock lock;
  for (auto _ : state) {
    lock.lock();
    benchmark::ClobberMemory();
    lock.unlock();
  }
}

constexpr int64_t kSizes[] = {1'000, 10'000, 100'000, 1'000'000};

void heap_sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : kSizes) b->Arg(n);
}

BENCHMARK(BM_Rearm_Heap)->Apply(heap_sizes);
BENCHMARK(BM_TouchRandomTimer)->Apply(heap_sizes);
BENCHMARK(BM_TouchRandomTimerLocked)->Apply(heap_sizes);
BENCHMARK(BM_Rearm_SortedList)->Apply(baseline_small_sizes);
BENCHMARK(BM_Rearm_SortedList)->Arg(100'000)->Iterations(200);
BENCHMARK(BM_Rearm_SortedList)->Arg(1'000'000)->Iterations(20);
BENCHMARK(BM_RearmHot_Heap)->Apply(heap_sizes);
BENCHMARK(BM_RearmHot_SortedList)->Apply(baseline_small_sizes);
BENCHMARK(BM_RearmHot_SortedList)->Arg(100'000)->Iterations(200);
BENCHMARK(BM_RearmHot_SortedList)->Arg(1'000'000)->Iterations(20);
BENCHMARK(BM_ArmCancel_Heap)->Apply(heap_sizes);
BENCHMARK(BM_ArmCancel_SortedList)->Apply(baseline_small_sizes);
BENCHMARK(BM_ArmCancel_SortedList)->Arg(100'000)->Iterations(200);
BENCHMARK(BM_ArmCancel_SortedList)->Arg(1'000'000)->Iterations(20);
BENCHMARK(BM_NextDeadline_Heap)->Arg(100'000);
BENCHMARK(BM_NextDeadlineMasked_Heap)->Arg(100'000);
BENCHMARK(BM_NextDeadline_SortedList)->Arg(100'000);
BENCHMARK_TEMPLATE(BM_LockUnlock, vtime::SpinLock);
BENCHMARK_TEMPLATE(BM_LockUnlock, std::mutex);

// Console output as usual, plus the ns/op of every run for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      std::string name = r.benchmark_name();
      const size_t slash = name.find("/iterations:");
      if (slash != std::string::npos) name.erase(slash);
      // CPU time: on a shared host, wall time includes time spent descheduled.
      ns_[name] = r.GetAdjustedCPUTime() * to_ns(r.time_unit);
    }
  }
  void print_ratios() const {
    std::printf("\n%-34s %12s %12s %10s\n", "operation / live timers", "heap ns cpu", "list ns cpu",
                "list/heap");
    for (const char* op : {"Rearm", "RearmHot", "ArmCancel"}) {
      for (int64_t n : kSizes) ratio_line(op, n);
    }
  }

 private:
  static double to_ns(benchmark::TimeUnit unit) {
    switch (unit) {
      case benchmark::kNanosecond: return 1.0;
      case benchmark::kMicrosecond: return 1e3;
      case benchmark::kMillisecond: return 1e6;
      case benchmark::kSecond: return 1e9;
    }
    return 1.0;
  }
  void ratio_line(const char* op, int64_t n) const {
    char heap_name[64], list_name[64], label[64];
    std::snprintf(heap_name, sizeof heap_name, "BM_%s_Heap/%lld", op, static_cast<long long>(n));
    std::snprintf(list_name, sizeof list_name, "BM_%s_SortedList/%lld", op,
                  static_cast<long long>(n));
    std::snprintf(label, sizeof label, "%s/%lld", op, static_cast<long long>(n));
    const auto heap = ns_.find(heap_name);
    const auto list = ns_.find(list_name);
    if (heap == ns_.end() || list == ns_.end()) return;
    std::printf("%-34s %12.1f %12.1f %9.0fx\n", label, heap->second, list->second,
                list->second / heap->second);
  }
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
