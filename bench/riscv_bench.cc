// Interpreter speed: guest MIPS of vtime::riscv::Hart on a tight integer loop
// and on a mixed loop (loads, stores, branches, a call), run in icount-sized
// slices of 10,000 instructions. The baseline, measured in the same run, is the
// same tight loop compiled natively; the summary prints MIPS and the slowdown.
#include <benchmark/benchmark.h>

#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "vtime/riscv/hart.h"

namespace {

using vtime::riscv::BusResult;
using vtime::riscv::Hart;
using vtime::riscv::HartEnv;
using vtime::riscv::PageAccess;

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kSlice = 10'000;

class RamEnv : public HartEnv {
 public:
  RamEnv() : ram_(1 << 20, 0) {}
  uint8_t* host_page(uint64_t page, PageAccess) override {
    return page >= kRamBase && page < kRamBase + ram_.size() ? &ram_[page - kRamBase] : nullptr;
  }
  BusResult load(uint64_t, unsigned, uint64_t&) override { return BusResult::kAccessFault; }
  BusResult store(uint64_t, unsigned, uint64_t) override { return BusResult::kAccessFault; }
  uint64_t read_time() override { return 0; }
  void sync(uint64_t n) override { synced_ += n; }
  void put(std::initializer_list<uint32_t> words) {
    uint64_t off = 0;
    for (uint32_t w : words) {
      std::memcpy(&ram_[off], &w, 4);
      off += 4;
    }
  }

 private:
  std::vector<uint8_t> ram_;
  uint64_t synced_ = 0;
};

double g_tight_mips = 0, g_mixed_mips = 0, g_native_mips = 0;

// Thread CPU time, so that other processes on a shared machine do not count.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double run_guest(benchmark::State& state, std::initializer_list<uint32_t> program) {
  RamEnv env;
  env.put(program);
  Hart hart(env, {.hart_id = 0, .reset_pc = kRamBase});
  hart.set_reg(8, kRamBase + 0x8000);  // s0: data
  hart.set_reg(11, ~uint64_t{0});      // a1: loop bound never reached
  uint64_t executed = 0;
  const double start = cpu_seconds();
  for (auto _ : state) executed += hart.run(kSlice).executed;
  const double secs = cpu_seconds() - start;
  state.counters["MIPS"] = benchmark::Counter(static_cast<double>(executed) / 1e6, benchmark::Counter::kIsRate);
  return static_cast<double>(executed) / secs / 1e6;
}

void BM_TightLoop(benchmark::State& state) {
  g_tight_mips = run_guest(state, {
      0x00150513,  // loop: addi a0, a0, 1
      0x00360613,  //       addi a2, a2, 3
      0x00c6c6b3,  //       xor a3, a3, a2
      0xfeb51ae3,  //       bne a0, a1, loop
  });
}
BENCHMARK(BM_TightLoop);

void BM_MixedLoop(benchmark::State& state) {
  g_mixed_mips = run_guest(state, {
      0x00043303,  // loop: ld t1, 0(s0)
      0x00130313,  //       addi t1, t1, 1
      0x00643023,  //       sd t1, 0(s0)
      0x01c000ef,  //       jal ra, func
      0x00842383,  //       lw t2, 8(s0)
      0x00750533,  //       add a0, a0, t2
      0x00157e13,  //       andi t3, a0, 1
      0x000e0463,  //       beqz t3, even
      0x00158593,  //       addi a1, a1, 1
      0xfddff06f,  // even: j loop
      0x00a42423,  // func: sw a0, 8(s0)
      0x00560613,  //       addi a2, a2, 5
      0x00008067,  //       ret
  });
}
BENCHMARK(BM_MixedLoop);

// Baseline: the tight loop's four operations as native code.
void BM_NativeTightLoopBaseline(benchmark::State& state) {
  uint64_t a0 = 0, a2 = 0, a3 = 0, insns = 0;
  const double start = cpu_seconds();
  for (auto _ : state) {
    for (uint64_t i = 0; i < kSlice / 4; ++i) {
      a0 += 1;
      a2 += 3;
      a3 ^= a2;
      benchmark::DoNotOptimize(a3);
    }
    insns += kSlice;
  }
  const double secs = cpu_seconds() - start;
  benchmark::DoNotOptimize(a0);
  g_native_mips = static_cast<double>(insns) / secs / 1e6;
}
BENCHMARK(BM_NativeTightLoopBaseline);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_tight_mips > 0 && g_native_mips > 0) {
    std::printf("\nriscv interpreter: tight loop %.0f MIPS, mixed loop %.0f MIPS; native baseline %.0f MIPS "
                "(interpreter/native = %.3f)\n",
                g_tight_mips, g_mixed_mips, g_native_mips, g_tight_mips / g_native_mips);
  }
  return 0;
}
