// TurnScheduler: harts take turns in index order, a turn ends only at its
// quantum or a wait for interrupt, so where the host cuts a run (a host-clock
// deadline, a kick) never changes which hart runs how many instructions.
#include "vtime/icount/turn_scheduler.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "tests/icount/icount_rig.h"
#include "tests/icount/synthetic_cpu.h"

namespace vtime {
namespace {

using testing::Rig;
using testing::SyntheticCpu;

// What the guest of the machine below can observe: the VIRTUAL time and hart
// of every turn start and of every timer interrupt, and what each hart ran.
struct Trace {
  std::vector<std::pair<size_t, int64_t>> turns;       // (hart, VIRTUAL ns) at each turn start
  std::vector<std::pair<size_t, int64_t>> interrupts;  // (hart, VIRTUAL ns) at each timer
  std::vector<uint64_t> executed;                      // per hart, at the end
  bool operator==(const Trace&) const = default;
};

// Host misbehaviour to inject: host-clock timers at random host times, random
// kicks inside runs, host time that moves with every read.
struct HostNoise {
  uint32_t seed = 0;  // 0: a quiet host, no noise at all
};

// A 4-hart machine under icount shift=2,quantum=2us,sleep=off: each hart runs
// a burst of instructions (a device access in every 8-instruction block),
// programs its own VIRTUAL timer (a different period per hart), waits for it
// in WFI, and is woken by it. Runs the board's loop (one run per pass) for
// 3 ms of guest time.
Trace run_machine(HostNoise noise) {
  Rig rig("shift=2,quantum=2us,sleep=off");
  constexpr size_t kHarts = 4;
  std::mt19937 rng(noise.seed);
  std::vector<std::unique_ptr<SyntheticCpu>> cpus;
  std::vector<std::unique_ptr<GuestTimer>> timers;
  Trace trace;
  for (size_t h = 0; h < kHarts; ++h) {
    SyntheticCpu::Program program;
    program.device_at = 5;
    program.device = [&rng, &cpus, h, noise] {
      // A kick from another thread lands at a random instruction.
      if (noise.seed != 0 && rng() % 7 == 0) cpus[h]->budget().request_exit();
    };
    program.run_insns = 300 + 170 * h;
    if (noise.seed != 0) program.host_per_insn = Duration(1 + rng() % 5);
    cpus.push_back(std::make_unique<SyntheticCpu>(rig.icount.add_hart(), rig.host, program));
  }
  for (size_t h = 0; h < kHarts; ++h) {
    const Duration period = Duration(int64_t{3'000} + 1'100 * static_cast<int64_t>(h));
    timers.push_back(std::make_unique<GuestTimer>(rig.timers, ClockId::kVirtual, [&, h, period](GuestTime at) {
      trace.interrupts.emplace_back(h, (at - rig.start).count());
      cpus[h]->wake(200 + 90 * h);
      timers[h]->arm(at + period);
    }));
    timers[h]->arm(rig.start + period);
  }
  // Host-clock timers that fire at random host times and do nothing the
  // guest sees: they only cap grants and end runs.
  std::optional<HostTimer> realtime_noise;
  std::optional<GuestTimer> virtual_rt_noise;
  if (noise.seed != 0) {
    rig.host.set_advance_per_read(Duration(1 + rng() % 40));
    realtime_noise.emplace(rig.timers, ClockId::kRealtime, [&](HostTime) {
      realtime_noise->arm_in(Duration(100 + rng() % 3'000));
    });
    realtime_noise->arm_in(Duration(100 + rng() % 3'000));
    virtual_rt_noise.emplace(rig.timers, ClockId::kVirtualRt, [&](GuestTime) {
      virtual_rt_noise->arm_in(Duration(50 + rng() % 2'000));
    });
    virtual_rt_noise->arm_in(Duration(50 + rng() % 2'000));
  }

  TurnScheduler turns(kHarts, &rig.icount, [&](size_t h) { return !cpus[h]->waiting(); });
  while (rig.now() < rig.start + 3ms) {
    rig.timers.run_due(ClockId::kVirtual);
    const bool opening = !turns.turn_open();
    if (const std::optional<size_t> h = turns.current()) {
      if (opening) trace.turns.emplace_back(*h, (rig.now() - rig.start).count());
      rig.icount.grant(cpus[*h]->budget());
      const HartStop why = cpus[*h]->run();
      rig.icount.finish(cpus[*h]->budget(), why);
      turns.ran(why);
    } else {
      rig.icount.idle();
    }
    rig.timers.run_all_due();
  }
  for (const auto& cpu : cpus) trace.executed.push_back(cpu->executed());
  return trace;
}

TEST(TurnScheduler, HostDeadlinesAndKicksAtRandomHostTimesNeverMoveAnInstruction) {
  const Trace quiet = run_machine({});
  ASSERT_GT(quiet.turns.size(), 100u);
  ASSERT_GT(quiet.interrupts.size(), 20u);
  for (uint64_t n : quiet.executed) EXPECT_GT(n, 1000u);
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    const Trace noisy = run_machine({.seed = seed});
    EXPECT_EQ(noisy.executed, quiet.executed) << "seed " << seed;
    EXPECT_EQ(noisy.interrupts, quiet.interrupts) << "seed " << seed;
    EXPECT_EQ(noisy.turns, quiet.turns) << "seed " << seed;
  }
}

TEST(TurnScheduler, TurnsGoInIndexOrderAndACutRunContinuesTheSameTurn) {
  Rig rig("shift=0,quantum=1us,sleep=off");  // 1,000 instructions a turn
  SyntheticCpu a(rig.icount.add_hart(), rig.host, {});
  SyntheticCpu b(rig.icount.add_hart(), rig.host, {});
  SyntheticCpu* cpus[] = {&a, &b};
  TurnScheduler turns(2, &rig.icount, [](size_t) { return true; });
  GuestTimer cut(rig.timers, ClockId::kVirtual, [](GuestTime) {});
  cut.arm(rig.start + 300ns);  // at 2 runnable harts, 600 instructions in
  const auto run_once = [&] {
    const size_t h = *turns.current();
    rig.icount.grant(cpus[h]->budget());
    const HartStop why = cpus[h]->run();
    rig.icount.finish(cpus[h]->budget(), why);
    turns.ran(why);
    rig.timers.run_all_due();
    return h;
  };
  EXPECT_EQ(run_once(), 0u);
  EXPECT_EQ(a.executed(), 600u);
  EXPECT_TRUE(turns.turn_open());  // the deadline cut the run, not the turn
  EXPECT_EQ(run_once(), 0u);
  EXPECT_EQ(a.executed(), 1000u);
  EXPECT_FALSE(turns.turn_open());
  EXPECT_EQ(run_once(), 1u);
  EXPECT_EQ(b.executed(), 1000u);
  EXPECT_EQ(run_once(), 0u);
  EXPECT_EQ(turns.rounds(), 2u);
}

TEST(TurnScheduler, AWaitForInterruptEndsTheTurnAndTheRoundCountsOnlyRunnableHarts) {
  Rig rig("shift=0,quantum=1us,sleep=off");
  SyntheticCpu a(rig.icount.add_hart(), rig.host, {.run_insns = 100});
  SyntheticCpu b(rig.icount.add_hart(), rig.host, {});
  SyntheticCpu* cpus[] = {&a, &b};
  TurnScheduler turns(2, &rig.icount, [&](size_t h) { return !cpus[h]->waiting(); });
  const size_t h = *turns.current();
  EXPECT_EQ(rig.icount.runnable_harts(), 2u);
  rig.icount.grant(cpus[h]->budget());
  HartStop why = cpus[h]->run();
  EXPECT_EQ(why, HartStop::kWaitForInterrupt);
  rig.icount.finish(cpus[h]->budget(), why);
  turns.ran(why);
  EXPECT_FALSE(turns.turn_open());
  EXPECT_EQ(*turns.current(), 1u);
  rig.icount.grant(b.budget());
  why = b.run();
  rig.icount.finish(b.budget(), why);
  turns.ran(why);
  EXPECT_EQ(b.executed(), 1000u);
  // The next round starts at hart 1 (hart 0 waits) and charges one hart.
  EXPECT_EQ(*turns.current(), 1u);
  EXPECT_EQ(rig.icount.runnable_harts(), 1u);
  EXPECT_EQ(turns.rounds(), 2u);
}

TEST(TurnScheduler, NobodyRunnableMeansIdle) {
  Rig rig("shift=0,sleep=off");
  TurnScheduler turns(3, &rig.icount, [](size_t) { return false; });
  EXPECT_FALSE(turns.current().has_value());
  EXPECT_EQ(turns.rounds(), 0u);
}

}  // namespace
}  // namespace vtime
