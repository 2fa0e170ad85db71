// Guest MIPS on the whole board: the guests bench_tight (the tight
// integer loop) and bench_mixed (loads, stores, branches, a call) run as real
// programs on vtime::Board - boot ROM, run loop, timers and the icount engine -
// with icount off, with shift=0 and with shift=0,align=on. Rounds interleave
// every (guest, mode) pair and the best round counts, so all figures, and the
// icount overhead (shift=0 against off), come from the same run on a shared
// machine. MIPS = retired instructions / thread CPU time of Board::run(); the
// wall-clock figure is printed too, since align paces on the host's clock.
//   riscv_board_bench [--rounds=N] [google benchmark flags]
#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/machine/board.h"
#include "vtime/time/system_host_clock.h"

extern const unsigned char kBenchTight[];
extern const std::size_t kBenchTightSize;
extern const unsigned char kBenchMixed[];
extern const std::size_t kBenchMixedSize;

namespace {

struct Mode {
  const char* name;
  const char* icount;  // nullptr: icount off
};
constexpr Mode kModes[] = {{"off", nullptr}, {"shift=0", "shift=0"},
                           {"shift=0,align=on", "shift=0,align=on"}};

struct Guest {
  const char* name;
  const unsigned char* image;
  std::size_t size;
};

struct Best {
  double cpu_mips = 0;
  double wall_mips = 0;
  uint64_t instructions = 0;
};
std::map<std::string, Best> g_best;  // "guest/mode"

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void run_guest(benchmark::State& state, const Guest& guest, const Mode& mode) {
  vtime::SystemHostClock host;
  for (auto _ : state) {
    vtime::BufferConsole console;
    vtime::BoardOptions options;
    options.ram_bytes = 16ull << 20;
    if (mode.icount) options.icount = *vtime::parse_icount_options(mode.icount);
    vtime::BootImages images;
    images.kernel = vtime::ImageFile{guest.name, std::vector<uint8_t>(guest.image, guest.image + guest.size)};
    auto created = vtime::Board::create(host, console, options, images);
    if (!created.ok()) {
      state.SkipWithError(created.error().c_str());
      return;
    }
    vtime::Board& board = *created.value();
    const double cpu0 = thread_cpu_seconds();
    const vtime::HostTime wall0 = host.now();
    const vtime::RunOutcome outcome = board.run();
    const double cpu = thread_cpu_seconds() - cpu0;
    const double wall = std::chrono::duration<double>(host.now() - wall0).count();
    if (outcome.kind != vtime::RunOutcome::Kind::kPoweroff) {
      state.SkipWithError(("guest did not pass: " + outcome.reason).c_str());
      return;
    }
    const uint64_t insns = board.stats().instructions;
    state.SetIterationTime(cpu);
    state.counters["MIPS"] = static_cast<double>(insns) / cpu / 1e6;
    state.counters["wall_MIPS"] = static_cast<double>(insns) / wall / 1e6;
    Best& best = g_best[std::string(guest.name) + "/" + mode.name];
    best.instructions = insns;
    best.cpu_mips = std::max(best.cpu_mips, static_cast<double>(insns) / cpu / 1e6);
    best.wall_mips = std::max(best.wall_mips, static_cast<double>(insns) / wall / 1e6);
  }
}

void print_summary(const std::vector<Guest>& guests, int rounds) {
  std::printf("\nguest MIPS on the board (best of %d rounds; thread CPU time / wall time):\n", rounds);
  std::printf("%-12s %22s %22s %22s %12s\n", "guest", "icount off", "shift=0", "shift=0,align=on",
              "icount cost");
  for (const Guest& g : guests) {
    const Best& off = g_best[std::string(g.name) + "/off"];
    const Best& s0 = g_best[std::string(g.name) + "/shift=0"];
    const Best& al = g_best[std::string(g.name) + "/shift=0,align=on"];
    if (off.cpu_mips == 0 || s0.cpu_mips == 0) continue;
    std::printf("%-12s %10.0f / %5.0f MIPS %10.0f / %5.0f MIPS %10.0f / %5.0f MIPS %+11.1f%%\n",
                g.name, off.cpu_mips, off.wall_mips, s0.cpu_mips, s0.wall_mips, al.cpu_mips,
                al.wall_mips, (off.cpu_mips / s0.cpu_mips - 1.0) * 100.0);
  }
  std::printf("(icount cost: extra CPU time per instruction with shift=0 against icount off, same run;\n"
              " align=on with shift=0 paces the guest to 1 ns per instruction = 1000 MIPS of host time,\n"
              " so it sleeps only when the interpreter runs faster than that)\n");
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--rounds=", 9) == 0) {
      rounds = std::max(1, std::atoi(argv[i] + 9));
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      break;
    }
  }
  benchmark::Initialize(&argc, argv);
  std::vector<Guest> guests;
  if (kBenchTightSize > 0) guests.push_back({"bench_tight", kBenchTight, kBenchTightSize});
  if (kBenchMixedSize > 0) guests.push_back({"bench_mixed", kBenchMixed, kBenchMixedSize});
  if (guests.empty()) {
    std::printf("riscv_board_bench: the guests were not built (VTIME_BUILD_GUESTS=OFF or no cross compiler)\n");
    return 0;
  }
  // Registered round by round: benchmarks run in registration order, so the
  // rounds interleave every (guest, mode) pair.
  for (int r = 0; r < rounds; ++r) {
    for (const Guest& g : guests) {
      for (const Mode& m : kModes) {
        benchmark::RegisterBenchmark(
            (std::string(g.name) + "/" + m.name + "/round:" + std::to_string(r + 1)).c_str(),
            [g, m](benchmark::State& s) { run_guest(s, g, m); })
            ->Iterations(1)
            ->UseManualTime()
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  print_summary(guests, rounds);
  return 0;
}
