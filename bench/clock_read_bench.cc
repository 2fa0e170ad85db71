// Cost of reading the VM clocks on the real host, beside a bare
// clock_gettime(CLOCK_MONOTONIC) measured in the same run (target:
// VIRTUAL within 1.3x of it). Each benchmark runs 5 times; the table at the end
// compares medians. Run from a Release build:
//   build/release/bench/clock_read_bench
#include <benchmark/benchmark.h>
#include <time.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "vtime/clock/seqlock.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/time/system_host_clock.h"

namespace {

using vtime::ClockId;
using vtime::RunState;
using vtime::SystemHostClock;
using vtime::VmClocks;

void BM_ClockGettimeMonotonic(benchmark::State& state) {
  timespec ts{};
  for (auto _ : state) {
    clock_gettime(CLOCK_MONOTONIC, &ts);
    benchmark::DoNotOptimize(ts);
  }
}

void BM_HostClockNow(benchmark::State& state) {
  SystemHostClock host;
  vtime::HostClock& clock = host;  // through the interface, as VmClocks calls it
  for (auto _ : state) benchmark::DoNotOptimize(clock.now());
}

void BM_VirtualNow(benchmark::State& state) {
  SystemHostClock host;
  VmClocks clocks(host);
  for (auto _ : state) benchmark::DoNotOptimize(clocks.virtual_now());
}

void BM_VirtualNowStopped(benchmark::State& state) {
  SystemHostClock host;
  VmClocks clocks(host, {.initial_state = RunState::kStopped});
  for (auto _ : state) benchmark::DoNotOptimize(clocks.virtual_now());
}

void BM_ReadVirtualById(benchmark::State& state) {
  SystemHostClock host;
  VmClocks clocks(host);
  for (auto _ : state) benchmark::DoNotOptimize(clocks.read(ClockId::kVirtual));
}

void BM_Tsc(benchmark::State& state) {
  SystemHostClock host;
  VmClocks clocks(host, {.tsc = vtime::Frequency::mhz(10)});
  for (auto _ : state) benchmark::DoNotOptimize(clocks.tsc());
}

// The parts of a VIRTUAL read, to see where its time goes: a seqlock snapshot
// of a timebase-sized value, and one uncontended fetch-max (the clamp).
struct SixWords {
  uint64_t w[6];
};
void BM_PartSeqlockRead(benchmark::State& state) {
  vtime::Seqlock<SixWords> lock;
  for (auto _ : state) benchmark::DoNotOptimize(lock.read());
}

void BM_PartFetchMax(benchmark::State& state) {
  std::atomic<int64_t> high{0};
  int64_t value = 0;
  for (auto _ : state) {
    ++value;
    int64_t seen = high.load(std::memory_order_seq_cst);
    while (value > seen && !high.compare_exchange_weak(seen, value, std::memory_order_seq_cst)) {
    }
    benchmark::DoNotOptimize(seen);
  }
}

// Two threads reading one machine's VIRTUAL: they share the high-water mark.
VmClocks* shared_clocks = nullptr;
void BM_VirtualNowTwoThreads(benchmark::State& state) {
  static SystemHostClock host;
  static VmClocks clocks(host);
  shared_clocks = &clocks;
  for (auto _ : state) benchmark::DoNotOptimize(shared_clocks->virtual_now());
}

void BM_ClockGettimeTwoThreads(benchmark::State& state) {
  BM_ClockGettimeMonotonic(state);
}

constexpr int kRepetitions = 5;
BENCHMARK(BM_ClockGettimeMonotonic)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_HostClockNow)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_VirtualNow)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_VirtualNowStopped)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_ReadVirtualById)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_Tsc)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_PartSeqlockRead)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_PartFetchMax)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_ClockGettimeTwoThreads)->Threads(2)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);
BENCHMARK(BM_VirtualNowTwoThreads)->Threads(2)->Repetitions(kRepetitions)->ReportAggregatesOnly(true);

// Console output as usual, plus the median ns/op of every benchmark for the table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Aggregate || r.aggregate_name != "median") continue;
      std::string name = r.run_name.function_name;
      if (!r.run_name.threads.empty()) name += "/" + r.run_name.threads;
      median_ns_[name] = {r.GetAdjustedRealTime() * to_ns(r.time_unit),
                          r.GetAdjustedCPUTime() * to_ns(r.time_unit)};
    }
  }
  void print_ratios() const {
    std::printf("\n%-36s %9s %9s %9s %9s\n", "read (median of 5)", "real ns", "ratio",
                "cpu ns", "ratio");
    ratio("BM_HostClockNow", "BM_ClockGettimeMonotonic");
    ratio("BM_VirtualNow", "BM_ClockGettimeMonotonic");
    ratio("BM_VirtualNowStopped", "BM_ClockGettimeMonotonic");
    ratio("BM_ReadVirtualById", "BM_ClockGettimeMonotonic");
    ratio("BM_Tsc", "BM_ClockGettimeMonotonic");
    ratio("BM_PartSeqlockRead", "BM_ClockGettimeMonotonic");
    ratio("BM_PartFetchMax", "BM_ClockGettimeMonotonic");
    ratio("BM_VirtualNowTwoThreads/threads:2", "BM_ClockGettimeTwoThreads/threads:2");
    std::printf("(ratio = ns / ns of a bare clock_gettime(CLOCK_MONOTONIC) in this run; "
                "target for VIRTUAL: <= 1.3.\n CPU time is the steadier figure on a loaded host.)\n");
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
  void ratio(const std::string& name, const std::string& baseline) const {
    const auto it = median_ns_.find(name);
    const auto base = median_ns_.find(baseline);
    if (it == median_ns_.end() || base == median_ns_.end()) return;
    std::printf("%-36s %9.2f %8.2fx %9.2f %8.2fx\n", name.c_str(), it->second.real,
                it->second.real / base->second.real, it->second.cpu,
                it->second.cpu / base->second.cpu);
  }
  struct Times {
    double real;
    double cpu;
  };
  std::map<std::string, Times> median_ns_;
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
