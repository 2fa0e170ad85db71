// Cost of a guest access through the board's AddressMap beside the hart's fast
// path (a host-pointer load from RAM) measured in the same run: RAM through the
// bus with the last-hit cache warm, alternating RAM/MMIO accesses that miss the
// cache (binary search over the `virt` map), and an MMIO register read.
// Run from a Release build:  build/release/bench/bus_bench
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include "vtime/devices/console_backend.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/plic.h"
#include "vtime/devices/sifive_test.h"
#include "vtime/devices/uart16550.h"
#include "vtime/machine/address_map.h"
#include "vtime/machine/virt_map.h"

namespace {

using namespace vtime;

// The `virt` map without the CLINT (which needs clocks): ROM, test, PLIC, UART, RAM.
struct Board {
  GuestLog log;
  BufferConsole console;
  Plic plic{log, 1};
  Uart16550 uart{log, console};
  SifiveTest test{log, [](FinisherRequest) {}};
  AddressMap map{log};
  Board() {
    uart.connect(plic.source(virt_map::kUartIrq));
    (void)map.add_rom("rom", virt_map::kMromBase, virt_map::kMromSize);
    (void)map.add_device(virt_map::kTestBase, test);
    (void)map.add_device(virt_map::kPlicBase, plic);
    (void)map.add_device(virt_map::kUartBase, uart);
    (void)map.add_ram("ram", virt_map::kDramBase, 64ull << 20);
  }
};

void BM_HostPointerLoad(benchmark::State& state) {
  Board b;
  const uint8_t* ram = b.map.ram_pointer(virt_map::kDramBase, 4096);
  uint64_t i = 0;
  for (auto _ : state) {
    uint64_t v;
    std::memcpy(&v, ram + (i++ & 511) * 8, 8);
    benchmark::DoNotOptimize(v);
  }
}

void BM_BusRamCacheHit(benchmark::State& state) {
  Board b;
  uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(b.map.read(virt_map::kDramBase + (i++ & 511) * 8, 8));
}

void BM_BusRamMmioAlternating(benchmark::State& state) {
  Board b;
  uint64_t i = 0;
  for (auto _ : state) {
    const uint64_t addr = (i & 1) != 0 ? virt_map::kUartBase + 7 : virt_map::kDramBase + (i & 511) * 8;
    benchmark::DoNotOptimize(b.map.read(addr, 1));
    ++i;
  }
}

void BM_BusUartScrRead(benchmark::State& state) {
  Board b;
  for (auto _ : state) benchmark::DoNotOptimize(b.map.read(virt_map::kUartBase + 7, 1));
}

BENCHMARK(BM_HostPointerLoad);
BENCHMARK(BM_BusRamCacheHit);
BENCHMARK(BM_BusRamMmioAlternating);
BENCHMARK(BM_BusUartScrRead);

// Remembers each benchmark's time per iteration for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) ns_[r.benchmark_name()] = r.GetAdjustedCPUTime();
    ConsoleReporter::ReportRuns(runs);
  }
  void print_ratios() const {
    const double base = ns_.at("BM_HostPointerLoad");
    std::printf("\nratio to BM_HostPointerLoad (%.2f ns CPU):\n", base);
    for (const auto& [name, ns] : ns_) std::printf("  %-28s %6.2f ns  x%.1f\n", name.c_str(), ns, ns / base);
  }

 private:
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
