// The run loop: exact budgets, block caching, instruction-exact sync before
// device accesses and time reads, exit requests, budget shrinking, code
// invalidation, the guard against trap loops, and PMP on instruction fetch
// (blocks end where a PMP region does and are checked again at each privilege).
#include "vtime/riscv/hart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "tests/riscv/test_env.h"

namespace vtime::riscv::test {
namespace {

constexpr unsigned kT0 = 5, kT1 = 6, kA0 = 10, kA1 = 11, kA2 = 12, kA3 = 13, kA4 = 14;

void put_counting_loop(TestEnv& env) {
  env.put_words(kRamBase, {
      0x00150513,  // addi a0, a0, 1
      0x00258593,  // addi a1, a1, 2
      0x00360613,  // addi a2, a2, 3
      0x00468693,  // addi a3, a3, 4
      0xff1ff06f,  // j .-16
  });
}

TEST(Hart, RetiresExactlyTheBudgetEvenInTheMiddleOfABlock) {
  Rig rig;
  put_counting_loop(rig.env);
  RunResult r = rig.hart.run(7);  // one whole pass (5) and two of the next
  EXPECT_EQ(r.executed, 7u);
  EXPECT_EQ(r.reason, StopReason::kBudgetExhausted);
  EXPECT_EQ(rig.hart.reg(kA0), 2u);
  EXPECT_EQ(rig.hart.reg(kA1), 4u);
  EXPECT_EQ(rig.hart.reg(kA2), 3u);
  EXPECT_EQ(rig.hart.pc(), kRamBase + 8);
  r = rig.hart.run(3);  // finishes the pass from the middle of the cached block
  EXPECT_EQ(r.executed, 3u);
  EXPECT_EQ(rig.hart.reg(kA2), 6u);
  EXPECT_EQ(rig.hart.reg(kA3), 8u);
  EXPECT_EQ(rig.hart.pc(), kRamBase);
  EXPECT_EQ(rig.hart.retired(), 10u);
}

TEST(Hart, ZeroBudgetRunsNothing) {
  Rig rig;
  put_counting_loop(rig.env);
  const RunResult r = rig.hart.run(0);
  EXPECT_EQ(r.executed, 0u);
  EXPECT_EQ(r.reason, StopReason::kBudgetExhausted);
  EXPECT_EQ(rig.hart.pc(), kRamBase);
}

TEST(Hart, DecodesABlockOnceAndReusesIt) {
  Rig rig;
  put_counting_loop(rig.env);
  EXPECT_EQ(rig.hart.run(5000).executed, 5000u);
  EXPECT_EQ(rig.hart.cached_blocks(), 1u);
  EXPECT_EQ(rig.hart.reg(kA0), 1000u);
}

TEST(Hart, ReportsTheExactRetiredCountBeforeEachDeviceAccess) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0x00150513,  // addi a0, a0, 1
      0x00150513,  // addi a0, a0, 1
      0x0002a503,  // lw a0, 0(t0)      <- device, after 2 retired
      0x00158593,  // addi a1, a1, 1
      0x00b2a223,  // sw a1, 4(t0)      <- device, after 4 retired
      0x00158593,  // addi a1, a1, 1
  });
  rig.hart.set_reg(kT0, kDevice);
  rig.env.device_value = 0x1234;
  const RunResult r = rig.hart.run(6);
  EXPECT_EQ(r.executed, 6u);
  ASSERT_EQ(rig.env.accesses.size(), 2u);
  EXPECT_EQ(rig.env.accesses[0].retired_before, 2u);
  EXPECT_FALSE(rig.env.accesses[0].store);
  EXPECT_EQ(rig.env.accesses[1].retired_before, 4u);
  EXPECT_EQ(rig.env.accesses[1].addr, kDevice + 4);
  EXPECT_EQ(rig.env.accesses[1].value, 1u);
  EXPECT_EQ(rig.hart.reg(kA0), 0x1234u);
  // Every retired instruction is reported exactly once.
  EXPECT_EQ(std::accumulate(rig.env.syncs.begin(), rig.env.syncs.end(), uint64_t{0}), 6u);
  EXPECT_EQ(rig.env.retired, 6u);
}

TEST(Hart, ShrinkingTheBudgetFromADeviceStopsRightAfterTheAccess) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0x00150513,  // addi a0, a0, 1
      0x0002a503,  // lw a0, 0(t0)
      0x00158593,  // addi a1, a1, 1
      0x00158593,  // addi a1, a1, 1
  });
  rig.hart.set_reg(kT0, kDevice);
  rig.env.on_device = [&] { rig.hart.shrink_budget(0); };
  RunResult r = rig.hart.run(100);
  EXPECT_EQ(r.executed, 2u);
  EXPECT_EQ(r.reason, StopReason::kBudgetExhausted);
  EXPECT_EQ(rig.hart.pc(), kRamBase + 8);
  EXPECT_EQ(rig.hart.reg(kA1), 0u);
  // A shrink of 2 lets the access and one more instruction retire.
  Rig rig2;
  rig2.env.put_words(kRamBase, {0x0002a503, 0x00158593, 0x00158593, 0x00158593});
  rig2.hart.set_reg(kT0, kDevice);
  rig2.env.on_device = [&] { rig2.hart.shrink_budget(2); };
  r = rig2.hart.run(100);
  EXPECT_EQ(r.executed, 2u);
  EXPECT_EQ(rig2.hart.reg(kA1), 1u);
  // A huge allowance never grows the budget (nor wraps around).
  Rig rig3;
  rig3.env.put_words(kRamBase, {0x0002a503, 0x00158593, 0x00158593, 0x00158593});
  rig3.hart.set_reg(kT0, kDevice);
  rig3.env.on_device = [&] { rig3.hart.shrink_budget(~uint64_t{0}); };
  EXPECT_EQ(rig3.hart.run(3).executed, 3u);
}

TEST(Hart, TimeAndCountersReadTheExactCountAtTheInstruction) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0x00150513,  // addi a0, a0, 1
      0x00150513,  // addi a0, a0, 1
      0x00150513,  // addi a0, a0, 1
      0xc0102673,  // csrr a2, time     (test env: time = 10 * synced count)
      0xc02026f3,  // csrr a3, instret
      0xc0002773,  // csrr a4, cycle
  });
  EXPECT_EQ(rig.hart.run(6).executed, 6u);
  EXPECT_EQ(rig.hart.reg(kA2), 30u);
  EXPECT_EQ(rig.hart.reg(kA3), 4u);
  EXPECT_EQ(rig.hart.reg(kA4), 5u);
  EXPECT_EQ(rig.env.time_reads, 1u);
}

TEST(Hart, WrittenInstretAndCycleCountOnFromTheWrittenValue) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0xb0231073,  // csrw minstret, t1
      0xc02026f3,  // csrr a3, instret
      0xb0031073,  // csrw mcycle, t1
      0x00150513,  // addi a0, a0, 1
      0xc0002773,  // csrr a4, cycle
  });
  rig.hart.set_reg(kT1, 100);
  EXPECT_EQ(rig.hart.run(5).executed, 5u);
  EXPECT_EQ(rig.hart.reg(kA3), 100u);
  EXPECT_EQ(rig.hart.reg(kA4), 101u);
}

TEST(Hart, ExitRequestStopsTheRunAtTheNextBlockBoundary) {
  Rig rig;
  put_counting_loop(rig.env);
  rig.hart.request_exit();
  RunResult r = rig.hart.run(100);
  EXPECT_EQ(r.executed, 0u);
  EXPECT_EQ(r.reason, StopReason::kExitRequested);
  r = rig.hart.run(100);  // one request stops one run
  EXPECT_EQ(r.executed, 100u);

  Rig rig2;
  rig2.env.put_words(kRamBase, {0x00b2a223, 0x00158593, 0x00158593});  // sw a1, 4(t0); addi; addi
  rig2.hart.set_reg(kT0, kDevice);
  rig2.env.on_device = [&] { rig2.hart.request_exit(); };
  r = rig2.hart.run(100);
  EXPECT_EQ(r.executed, 1u);
  EXPECT_EQ(r.reason, StopReason::kExitRequested);
}

TEST(Hart, StoreIntoCachedCodeTakesEffectAtTheNextInstruction) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0x0062a423,  // sw t1, 8(t0)      overwrites the third instruction
      0x00158593,  // addi a1, a1, 1
      0x00150513,  // addi a0, a0, 1    becomes addi a0, a0, 100
  });
  rig.hart.set_reg(kT0, kRamBase);
  rig.hart.set_reg(kT1, 0x06450513);  // addi a0, a0, 100
  EXPECT_EQ(rig.hart.run(3).executed, 3u);
  EXPECT_EQ(rig.hart.reg(kA0), 100u);
  EXPECT_EQ(rig.hart.reg(kA1), 1u);
}

TEST(Hart, CodeChangedBehindItsBackRunsAfterInvalidateCode) {
  Rig rig;
  rig.env.put_words(kRamBase, {0x00150513, 0xffdff06f});  // addi a0, a0, 1; j .-4
  EXPECT_EQ(rig.hart.run(4).executed, 4u);
  EXPECT_EQ(rig.hart.reg(kA0), 2u);
  rig.env.put_words(kRamBase, {0x06450513});  // addi a0, a0, 100, written by "DMA"
  rig.hart.run(2);
  EXPECT_EQ(rig.hart.reg(kA0), 3u) << "the cached block still runs";
  rig.hart.invalidate_code();
  rig.hart.run(2);
  EXPECT_EQ(rig.hart.reg(kA0), 103u);
}

TEST(Hart, FenceIDropsTheBlockCache) {
  Rig rig;
  rig.env.put_words(kRamBase, {0x00150513, 0x0000100f, 0x00150513});  // addi; fence.i; addi
  EXPECT_EQ(rig.hart.run(3).executed, 3u);
  EXPECT_EQ(rig.hart.cached_blocks(), 1u);  // only the block after the fence.i
}

TEST(Hart, DeviceAccessInsideABudgetPrefixIsSyncedExactly) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0x00150513,  // addi a0, a0, 1
      0x00150513,  // addi a0, a0, 1
      0x0002a583,  // lw a1, 0(t0)
      0x00150513,  // addi a0, a0, 1
  });
  rig.hart.set_reg(kT0, kDevice);
  const RunResult r = rig.hart.run(3);  // the block has 4; only its prefix runs
  EXPECT_EQ(r.executed, 3u);
  ASSERT_EQ(rig.env.accesses.size(), 1u);
  EXPECT_EQ(rig.env.accesses[0].retired_before, 2u);
  EXPECT_EQ(rig.hart.reg(kA0), 2u);
  EXPECT_EQ(rig.hart.pc(), kRamBase + 12);
  EXPECT_EQ(rig.env.retired, 3u);
}

// Four blocks that jump into one another (a loop through
// jal, a taken branch, a not-taken branch and a jalr; 7 instructions a pass),
// so runs chain blocks.
void put_chained_loop(TestEnv& env) {
  env.put_words(kRamBase, {
      0x00150513,  // 0x00 loop: addi a0, a0, 1
      0x00c0006f,  // 0x04       j 0x10
      0x00000013,  // 0x08       nop (never runs)
      0x00000013,  // 0x0c       nop (never runs)
      0x00258593,  // 0x10       addi a1, a1, 2
      0x00b51463,  // 0x14       bne a0, a1, 0x1c   (a1 = 2 a0: taken unless both are 0)
      0x00000013,  // 0x18       nop (never runs)
      0x00058463,  // 0x1c       beqz a1, 0x24      (never taken)
      0x00360613,  // 0x20       addi a2, a2, 3
      0x000280e7,  // 0x24       jalr ra, 0(t0)     (t0 = loop)
  });
}

TEST(Hart, ChainedBlocksStillRetireExactlyTheBudget) {
  // Stepping one instruction per run never chains: it is the reference.
  Rig step;
  put_chained_loop(step.env);
  step.hart.set_reg(kT0, kRamBase);
  for (uint64_t budget = 1; budget <= 60; ++budget) {
    Rig rig;
    put_chained_loop(rig.env);
    rig.hart.set_reg(kT0, kRamBase);
    ASSERT_EQ(rig.hart.run(budget).executed, budget);
    EXPECT_EQ(step.hart.run(1).executed, 1u);
    ASSERT_EQ(rig.hart.pc(), step.hart.pc()) << "budget " << budget;
    for (unsigned r : {kA0, kA1, kA2, 1u}) ASSERT_EQ(rig.hart.reg(r), step.hart.reg(r)) << budget;
    EXPECT_EQ(rig.env.retired, budget);
  }
}

TEST(Hart, RunsOfAnyLengthChainToTheSameState) {
  Rig one, many;
  for (Rig* rig : {&one, &many}) {
    put_chained_loop(rig->env);
    rig->hart.set_reg(kT0, kRamBase);
  }
  EXPECT_EQ(one.hart.run(100'000).executed, 100'000u);
  uint64_t total = 0;
  for (uint64_t k = 1; total < 100'000; k = k * 7 % 97 + 1) {  // odd lengths, cut anywhere
    const uint64_t n = std::min(k, 100'000 - total);
    ASSERT_EQ(many.hart.run(n).executed, n);
    total += n;
  }
  EXPECT_EQ(many.hart.pc(), one.hart.pc());
  for (unsigned r : {kA0, kA1, kA2}) EXPECT_EQ(many.hart.reg(r), one.hart.reg(r));
}

TEST(Hart, StoreIntoAChainedBlockTakesEffectOnTheNextPass) {
  Rig rig;
  rig.env.put_words(kRamBase, {
      0x00150513,  // 0x00 loop: addi a0, a0, 1
      0x00d51463,  // 0x04       bne a0, a3, 0x0c
      0x0062aa23,  // 0x08       sw t1, 0x14(t0)    (once, when a0 = a3 = 5)
      0x0080006f,  // 0x0c       j 0x14
      0x00000013,  // 0x10       nop (never runs)
      0x00158593,  // 0x14       addi a1, a1, 1     becomes addi a1, a1, 100
      0xfe9ff06f,  // 0x18       j loop
  });
  rig.hart.set_reg(kT0, kRamBase);
  rig.hart.set_reg(kT1, 0x06458593);  // addi a1, a1, 100
  rig.hart.set_reg(kA3, 5);
  // Passes 1..4 (5 instructions each, chained) add 1; pass 5 (6 with the
  // store) and passes 6..10 add 100.
  EXPECT_EQ(rig.hart.run(51).executed, 51u);
  EXPECT_EQ(rig.hart.reg(kA0), 10u);
  EXPECT_EQ(rig.hart.reg(kA1), 4u + 6u * 100u);
}

TEST(Hart, CodeChangedBehindAChainedLoopRunsAfterInvalidateCode) {
  Rig rig;
  put_chained_loop(rig.env);
  rig.hart.set_reg(kT0, kRamBase);
  EXPECT_EQ(rig.hart.run(80).executed, 80u);  // 11 passes and 3: every link made and followed
  rig.env.put_words(kRamBase + 0x20, {0x06460613});  // addi a2, a2, 100, written by "DMA"
  rig.hart.invalidate_code();
  const uint64_t a2 = rig.hart.reg(kA2);
  EXPECT_EQ(rig.hart.run(8).executed, 8u);
  EXPECT_EQ(rig.hart.reg(kA2), a2 + 100);
}

TEST(Hart, ExitRequestStopsAChainedLoop) {
  Rig rig;
  put_chained_loop(rig.env);
  rig.hart.set_reg(kT0, kRamBase);
  EXPECT_EQ(rig.hart.run(80).executed, 80u);
  rig.hart.request_exit();
  EXPECT_EQ(rig.hart.run(1000).reason, StopReason::kExitRequested);
}

TEST(Hart, ResetBetweenRunsRestartsAtTheResetVectorInMachineMode) {
  Rig rig;
  put_counting_loop(rig.env);
  rig.hart.run(7);
  rig.hart.reset();
  EXPECT_EQ(rig.hart.pc(), kRamBase);
  EXPECT_EQ(rig.hart.reg(kA0), 0u);
  EXPECT_EQ(rig.hart.priv(), Priv::kMachine);
  EXPECT_EQ(rig.hart.run(5).executed, 5u);
  EXPECT_EQ(rig.hart.reg(kA0), 1u);
}

TEST(Hart, TracerSeesEveryInstructionWithItsMnemonic) {
  struct Recorder : InsnTracer {
    void on_insn(uint64_t pc, uint32_t raw, unsigned len, const char* mnemonic) override {
      std::ostringstream line;
      line << std::hex << pc << ' ' << raw << '/' << len << ' ' << mnemonic;
      seen.push_back(line.str());
    }
    std::vector<std::string> seen;
  } recorder;
  Rig rig;
  rig.env.put_words(kRamBase, {0x00150513, 0xffdff06f});  // addi a0, a0, 1; j .-4
  rig.hart.set_tracer(&recorder);
  EXPECT_EQ(rig.hart.run(3).executed, 3u);
  EXPECT_EQ(recorder.seen, (std::vector<std::string>{
                               "80000000 150513/4 addi", "80000004 ffdff06f/4 jal",
                               "80000000 150513/4 addi"}));
  rig.hart.set_tracer(nullptr);
  rig.hart.run(10);
  EXPECT_EQ(recorder.seen.size(), 3u);
  EXPECT_EQ(rig.hart.reg(kA0), 7u);
}

TEST(Hart, BlockCacheStartsOverInsteadOfGrowingWithoutBound) {
  Rig rig;
  // 15 pages of c.nop entered at every halfword: each entry is a new block of
  // up to 64 Ops, about 1.9 M Ops in all, beyond the cache's bound of 1 Mi.
  const uint64_t end = kRamBase + kRamSize - kPageSize;
  for (uint64_t a = kRamBase; a < end; a += 2) rig.env.put(a, 2, 0x0001);  // c.nop
  size_t most = 0;
  for (uint64_t a = kRamBase; a < end; a += 2) {
    rig.hart.set_pc(a);
    rig.hart.run(1);
    most = std::max(most, rig.hart.cached_blocks());
  }
  EXPECT_LT(rig.hart.cached_blocks(), (end - kRamBase) / 2);
  EXPECT_LT(most, (end - kRamBase) / 2) << "the cache started over at least once";
  EXPECT_EQ(rig.hart.retired(), (end - kRamBase) / 2);
}

TEST(Hart, StopsWhenTheGuestIsStuckTakingTraps) {
  Rig rig;
  rig.env.put_words(kRamBase, {0xffffffff});  // illegal; mtvec = 0 cannot be fetched
  const RunResult r = rig.hart.run(1'000'000);
  EXPECT_EQ(r.executed, 0u);
  EXPECT_EQ(r.reason, StopReason::kTrapLoop);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInsnAccessFault);
}

constexpr uint64_t kLowCode = kRamBase + 0x400;
constexpr uint64_t kCfgTorRwx = 0x0f, kCfgNapotRw = 0x1b, kCfgNapotRwx = 0x1f;

TEST(Hart, PmpEndsABlockWhereExecutionStopsBeingAllowed) {
  // E0: TOR [0, kLowCode + 8) RWX; E1: everything else RW.
  Rig rig;
  pmp_boot(rig, {(kLowCode + 8) >> 2, ~uint64_t{0}}, kCfgTorRwx | kCfgNapotRw << 8, Priv::kSupervisor,
           kLowCode);
  rig.env.put_words(kLowCode, {0x00150513, 0x00150513, 0x00150513});  // addi a0, a0, 1 (x3)
  const RunResult r = rig.hart.run(pmp_boot_length({0, 0}) + 3);
  EXPECT_EQ(rig.hart.reg(kA0), 2u);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInsnAccessFault);
  EXPECT_EQ(rig.hart.csrs().mtval, kLowCode + 8);
  EXPECT_EQ(rig.hart.csrs().mepc, kLowCode + 8);
  EXPECT_EQ(r.executed, pmp_boot_length({0, 0}) + 2 + 1);  // and one nop at the vector
}

TEST(Hart, PmpFaultsAnInstructionStraddlingTwoEntriesEvenIfBothAllowIt) {
  Rig rig;
  pmp_boot(rig, {(kLowCode + 8) >> 2, ~uint64_t{0}}, kCfgTorRwx | kCfgNapotRwx << 8,
           Priv::kSupervisor, kLowCode);
  // c.nop at +0, +2, +4, then a 4-byte nop at +6 whose second half is in E1.
  rig.env.put_words(kLowCode, {0x00010001, 0x00130001, 0x00000000});
  rig.hart.run(pmp_boot_length({0, 0}) + 4);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInsnAccessFault);
  EXPECT_EQ(rig.hart.csrs().mtval, kLowCode + 8);
  EXPECT_EQ(rig.hart.csrs().mepc, kLowCode + 6);
}

TEST(Hart, BlockRunInMachineModeIsCheckedAgainInUserMode) {
  // The code page is RW only: M runs it (the entry is not locked), then its
  // MRET returns to U (MPP became U at the first MRET) at the same pc.
  Rig rig;
  pmp_boot(rig, {(kRamBase >> 2) | 0x1ff}, kCfgNapotRw, Priv::kMachine, kLowCode);
  rig.env.put_words(kLowCode, {0x00150513 /* addi a0, a0, 1 */, 0x30200073 /* mret */});
  rig.hart.run(pmp_boot_length({0}) + 3);
  EXPECT_EQ(rig.hart.reg(kA0), 1u);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInsnAccessFault);
  EXPECT_EQ(rig.hart.csrs().mtval, kLowCode);
  EXPECT_EQ(rig.hart.priv(), Priv::kMachine);
}

}  // namespace
}  // namespace vtime::riscv::test
