// S mode: trap delegation (medeleg/mideleg), SRET, sstatus/sie/sip as views of
// the M registers, S-level interrupts, counter gating, and Sstc's stimecmp.
#include <gtest/gtest.h>

#include <vector>

#include "tests/riscv/test_env.h"
#include "vtime/riscv/hart.h"

namespace vtime::riscv::test {
namespace {

constexpr unsigned kT0 = 5, kT1 = 6, kS0 = 8, kS1 = 9, kA0 = 10, kA1 = 11, kA2 = 12, kA3 = 13,
                   kA4 = 14, kA5 = 15;
constexpr uint64_t kVector = kRamBase + 0x100;   // M trap vector (nops)
constexpr uint64_t kSVector = kRamBase + 0x200;  // S trap vector (nops)
constexpr uint64_t kLowCode = kRamBase + 0x400;  // where the boot code MRETs to
constexpr uint32_t kNop = 0x00000013;
constexpr uint32_t kEcall = 0x00000073;
constexpr uint32_t kSret = 0x10200073;

// M mode sets both vectors, medeleg = `edeleg`, mideleg = `ideleg`, then MRETs
// to `mode` at kLowCode (with `mstatus_bits`) and runs `insns` there. The boot
// takes 7 instructions.
void enter(Rig& rig, Priv mode, uint64_t edeleg, uint64_t ideleg, uint64_t insns,
           uint64_t mstatus_bits = 0) {
  rig.hart.set_reg(kT0, kVector);
  rig.hart.set_reg(kA5, kSVector);
  rig.hart.set_reg(kT1, edeleg);
  rig.hart.set_reg(kA4, ideleg);
  rig.hart.set_reg(kS0, kLowCode);
  rig.hart.set_reg(kS1, (static_cast<uint64_t>(mode) << mstatus::kMppShift) | mstatus_bits);
  rig.env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x10579073 /* csrw stvec, a5 */,
                               0x30231073 /* csrw medeleg, t1 */, 0x30371073 /* csrw mideleg, a4 */,
                               0x34141073 /* csrw mepc, s0 */, 0x30049073 /* csrw mstatus, s1 */,
                               0x30200073 /* mret */});
  rig.env.put_words(kVector, {kNop, kNop});
  rig.env.put_words(kSVector, {kNop, kNop});
  rig.hart.run(7 + insns);
}

TEST(Supervisor, DelegatedEcallFromUserGoesToSupervisor) {
  Rig rig;
  rig.env.put_words(kLowCode, {kEcall});
  enter(rig, Priv::kUser, uint64_t{1} << cause::kEcallU, 0, 1);
  EXPECT_EQ(rig.hart.priv(), Priv::kSupervisor);
  EXPECT_EQ(rig.hart.csrs().scause, cause::kEcallU);
  EXPECT_EQ(rig.hart.csrs().sepc, kLowCode);
  EXPECT_EQ(rig.hart.csrs().mcause, 0u);
  EXPECT_EQ(rig.hart.pc(), kSVector + 4);
  EXPECT_FALSE(rig.hart.csrs().mstatus & mstatus::kSpp) << "came from U";
}

TEST(Supervisor, UndelegatedEcallFromSupervisorGoesToMachine) {
  Rig rig;
  rig.env.put_words(kLowCode, {kEcall});
  enter(rig, Priv::kSupervisor, uint64_t{1} << cause::kEcallU, 0, 1);
  EXPECT_EQ(rig.hart.priv(), Priv::kMachine);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kEcallS);
  EXPECT_EQ((rig.hart.csrs().mstatus & mstatus::kMpp) >> mstatus::kMppShift, 1u);
}

TEST(Supervisor, TrapsInMachineModeAreNeverDelegated) {
  Rig rig;
  rig.hart.set_reg(kT1, uint64_t{1} << cause::kIllegalInsn);
  rig.hart.set_reg(kT0, kVector);
  rig.env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x30231073 /* csrw medeleg, t1 */,
                               0x00000000});
  rig.hart.run(3);
  EXPECT_EQ(rig.hart.priv(), Priv::kMachine);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
  EXPECT_EQ(rig.hart.csrs().scause, 0u);
}

TEST(Supervisor, MedelegCannotDelegateEcallFromMachine) {
  Rig rig;
  rig.hart.set_reg(kT1, ~uint64_t{0});
  rig.env.put_words(kRamBase, {0x30231073 /* csrw medeleg, t1 */, 0x30202573 /* csrr a0, medeleg */,
                               0x30371073 /* csrw mideleg, a4 */, 0x303025f3 /* csrr a1, mideleg */});
  rig.hart.set_reg(kA4, ~uint64_t{0});
  rig.hart.run(4);
  EXPECT_EQ(rig.hart.reg(kA0), 0xb3ffu);
  EXPECT_EQ(rig.hart.reg(kA1), irq::kSupervisorBits);
}

TEST(Supervisor, SretReturnsToSppWithSieFromSpie) {
  Rig rig;
  rig.hart.set_reg(kA3, mstatus::kSpie);
  rig.hart.set_reg(kA2, kLowCode + 0x40);
  rig.env.put_words(kLowCode, {0x1006a073 /* csrs sstatus, a3 */, 0x14161073 /* csrw sepc, a2 */, kSret});
  rig.env.put_words(kLowCode + 0x40, {kNop});
  enter(rig, Priv::kSupervisor, 0, 0, 3);
  EXPECT_EQ(rig.hart.priv(), Priv::kUser);
  EXPECT_EQ(rig.hart.pc(), kLowCode + 0x40);
  const uint64_t s = rig.hart.csrs().mstatus;
  EXPECT_TRUE(s & mstatus::kSie);
  EXPECT_TRUE(s & mstatus::kSpie);
  EXPECT_FALSE(s & mstatus::kSpp);
}

TEST(Supervisor, SretIsIllegalInUserModeAndUnderTsr) {
  Rig user;
  user.env.put_words(kLowCode, {kSret});
  enter(user, Priv::kUser, 0, 0, 1);
  EXPECT_EQ(user.hart.csrs().mcause, cause::kIllegalInsn);
  Rig tsr;
  tsr.env.put_words(kLowCode, {kSret});
  enter(tsr, Priv::kSupervisor, 0, 0, 1, mstatus::kTsr);
  EXPECT_EQ(tsr.hart.csrs().mcause, cause::kIllegalInsn);
}

TEST(Supervisor, SstatusWritesOnlyTheSupervisorFieldsOfMstatus) {
  Rig rig;
  rig.hart.set_reg(kA3, ~uint64_t{0});
  rig.env.put_words(kRamBase, {0x10069073 /* csrw sstatus, a3 */, 0x30002573 /* csrr a0, mstatus */,
                               0x100025f3 /* csrr a1, sstatus */});
  rig.hart.run(3);
  const uint64_t m = rig.hart.reg(kA0);
  const uint64_t sup = mstatus::kSie | mstatus::kSpie | mstatus::kSpp | mstatus::kSum | mstatus::kMxr;
  EXPECT_EQ(m & sup, sup);
  EXPECT_EQ(m & (mstatus::kMie | mstatus::kMpie | mstatus::kMpp | mstatus::kTvm | mstatus::kTsr |
                 mstatus::kTw | mstatus::kMprv),
            0u);
  EXPECT_EQ(rig.hart.reg(kA1) & ~(uint64_t{0xf} << 13 | uint64_t{1} << 63),
            sup | (uint64_t{2} << mstatus::kUxlShift))
      << "sstatus shows UXL but no M fields";
}

TEST(Supervisor, SieAndSipShowOnlyDelegatedBits) {
  Rig rig;
  rig.hart.set_pending(irq::kMtip | irq::kStip, true);
  rig.hart.set_reg(kA4, irq::kStip | irq::kSsip);
  rig.hart.set_reg(kA3, irq::kAll);
  rig.env.put_words(kRamBase, {0x30371073 /* csrw mideleg, a4 */, 0x30469073 /* csrw mie, a3 */,
                               0x10402573 /* csrr a0, sie */, 0x144025f3 /* csrr a1, sip */});
  rig.hart.run(4);
  EXPECT_EQ(rig.hart.reg(kA0), irq::kStip | irq::kSsip);
  EXPECT_EQ(rig.hart.reg(kA1), irq::kStip);
}

TEST(Supervisor, DelegatedInterruptWaitsForSieInSupervisorMode) {
  Rig rig;
  // M enables STIE and delegates STI; the board raises STIP. In S, two nops
  // run before SIE is set; the interrupt comes right after that.
  rig.hart.set_reg(kT0, kVector);
  rig.hart.set_reg(kA5, kSVector);
  rig.hart.set_reg(kA1, irq::kStip);
  rig.hart.set_reg(kA4, irq::kStip);
  rig.hart.set_reg(kS0, kLowCode);
  rig.hart.set_reg(kS1, uint64_t{1} << mstatus::kMppShift);
  rig.hart.set_reg(kA3, mstatus::kSie);
  rig.env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x10579073 /* csrw stvec, a5 */,
                               0x30459073 /* csrw mie, a1 */, 0x30371073 /* csrw mideleg, a4 */,
                               0x34141073 /* csrw mepc, s0 */, 0x30049073 /* csrw mstatus, s1 */,
                               0x30200073 /* mret */});
  rig.env.put_words(kLowCode, {kNop, kNop, 0x1006a073 /* csrs sstatus, a3 */, kNop});
  rig.env.put_words(kSVector, {kNop, kNop});
  rig.hart.set_pending(irq::kStip, true);
  rig.hart.run(6);
  EXPECT_EQ(rig.hart.priv(), Priv::kMachine) << "M never takes a delegated interrupt";
  EXPECT_EQ(rig.hart.csrs().scause, 0u);
  rig.hart.run(3);  // mret and two nops
  EXPECT_EQ(rig.hart.priv(), Priv::kSupervisor);
  EXPECT_EQ(rig.hart.csrs().scause, 0u) << "not taken while SIE = 0";
  rig.hart.run(2);
  EXPECT_EQ(rig.hart.csrs().scause, cause::kInterrupt | 5);
  EXPECT_EQ(rig.hart.csrs().sepc, kLowCode + 12);
  EXPECT_EQ(rig.hart.csrs().mcause, 0u);
  EXPECT_FALSE(rig.hart.csrs().mstatus & mstatus::kSie);
  EXPECT_TRUE(rig.hart.csrs().mstatus & mstatus::kSpie);
}

TEST(Supervisor, SupervisorCountersNeedMcounteren) {
  Rig rig;
  rig.env.put_words(kLowCode, {0xc0102573 /* csrr a0, time */});
  enter(rig, Priv::kSupervisor, 0, 0, 1);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
}

// A TestEnv whose Sstc timer fires at once when time (10 per reported
// instruction) has reached stimecmp, as the board's does.
class SstcEnv : public TestEnv {
 public:
  void set_stimecmp(uint64_t value) override {
    calls.push_back(value);
    hart->set_pending(irq::kStip, value != kNoStimecmp && retired * 10 + time_offset >= value);
  }
  Hart* hart = nullptr;
  std::vector<uint64_t> calls;
};

TEST(Supervisor, SstcStimecmpDrivesStipThroughTheBoard) {
  SstcEnv env;
  Hart hart(env, {.hart_id = 0, .reset_pc = kRamBase});
  env.hart = &hart;
  hart.set_reg(kA4, menvcfg::kStce);
  hart.set_reg(kA1, 10);  // time is 10 at the second instruction
  hart.set_reg(kA3, irq::kStip);
  env.put_words(kRamBase, {0x30a71073 /* csrw menvcfg, a4 */, 0x14d59073 /* csrw stimecmp, a1 */,
                           0x34402573 /* csrr a0, mip */, 0x34469073 /* csrw mip, a3 */,
                           0x30a01073 /* csrw menvcfg, zero */});
  hart.run(3);
  ASSERT_EQ(env.calls.size(), 2u);
  EXPECT_EQ(env.calls[0], ~uint64_t{0}) << "STCE on: the reset stimecmp";
  EXPECT_EQ(env.calls[1], 10u);
  ASSERT_GE(env.syncs.size(), 2u);
  EXPECT_EQ(env.syncs[0] + env.syncs[1], 1u) << "each call sees the exact time";
  EXPECT_EQ(hart.reg(kA0) & irq::kStip, irq::kStip);
  hart.set_pending(irq::kStip, false);  // pretend the time went back: STIP follows the line only
  hart.run(1);                          // csrw mip: STIP is read-only under STCE
  EXPECT_EQ(hart.pending() & irq::kStip, 0u);
  hart.run(1);
  EXPECT_EQ(env.calls.back(), HartEnv::kNoStimecmp) << "STCE off disarms the board's timer";
}

TEST(Supervisor, StimecmpBelowMachineNeedsStceAndTm) {
  Rig rig;
  rig.env.put_words(kLowCode, {0x14d59073 /* csrw stimecmp, a1 */});
  enter(rig, Priv::kSupervisor, 0, 0, 1);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
}

TEST(Supervisor, WfiInSupervisorModeIsIllegalUnderTw) {
  Rig rig;
  rig.env.put_words(kLowCode, {0x10500073 /* wfi */});
  enter(rig, Priv::kSupervisor, 0, 0, 1, mstatus::kTw);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
}

// Delegated interrupts pending together are taken SEI, then SSI, then STI
// (privileged spec 1.12, 3.1.9). QEMU 7.2 without AIA takes the lowest cause
// number first (SSI, STI, SEI), so the smode guest does not print this order.
uint64_t first_delegated_interrupt(uint64_t pending) {
  Rig rig;
  rig.hart.set_reg(kT0, kVector);
  rig.hart.set_reg(kA5, kSVector);
  rig.hart.set_reg(kA1, irq::kSupervisorBits);
  rig.hart.set_reg(kA4, irq::kSupervisorBits);
  rig.hart.set_reg(kS0, kLowCode);
  rig.hart.set_reg(kS1, 0);  // MPP = U: delegated interrupts are enabled whatever SIE says
  rig.env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x10579073 /* csrw stvec, a5 */,
                               0x30459073 /* csrw mie, a1 */, 0x30371073 /* csrw mideleg, a4 */,
                               0x34141073 /* csrw mepc, s0 */, 0x30049073 /* csrw mstatus, s1 */,
                               0x30200073 /* mret */});
  rig.env.put_words(kLowCode, {kNop, kNop});
  rig.env.put_words(kSVector, {kNop, kNop});
  rig.hart.set_pending(pending, true);
  rig.hart.run(7 + 1);  // the boot, then one nop of the S vector
  EXPECT_EQ(rig.hart.priv(), Priv::kSupervisor);
  EXPECT_EQ(rig.hart.csrs().sepc, kLowCode);
  return rig.hart.csrs().scause;
}

TEST(Supervisor, DelegatedInterruptsAreTakenSeiThenSsiThenSti) {
  EXPECT_EQ(first_delegated_interrupt(irq::kSsip | irq::kStip | irq::kSeip), cause::kInterrupt | 9);
  EXPECT_EQ(first_delegated_interrupt(irq::kSsip | irq::kStip), cause::kInterrupt | 1);
  EXPECT_EQ(first_delegated_interrupt(irq::kStip), cause::kInterrupt | 5);
}

}  // namespace
}  // namespace vtime::riscv::test
