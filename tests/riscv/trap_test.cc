// Traps and interrupts per the privileged spec: causes, mepc/mtval, mstatus
// stacking, MRET, priority order, vectored mtvec, and WFI.
#include <gtest/gtest.h>

#include "tests/riscv/test_env.h"
#include "vtime/riscv/hart.h"

namespace vtime::riscv::test {
namespace {

constexpr unsigned kT0 = 5, kT1 = 6, kT2 = 7, kA0 = 10;
constexpr uint64_t kVector = kRamBase + 0x100;
constexpr uint32_t kCsrwMtvecT0 = 0x30529073;  // csrw mtvec, t0
constexpr uint32_t kCsrwMieT1 = 0x30431073;    // csrw mie, t1
constexpr uint32_t kCsrsMstatusT2 = 0x3003a073;  // csrs mstatus, t2
constexpr uint32_t kCsrwMepcT1 = 0x34131073;   // csrw mepc, t1
constexpr uint32_t kMret = 0x30200073;         // mret
constexpr uint32_t kAddiA0 = 0x00150513;       // addi a0, a0, 1
constexpr uint32_t kNop = 0x00000013;          // nop

// A rig whose trap vector (kVector) counts in a0 and returns past the trap.
Rig& with_vector(Rig& rig) {
  rig.hart.set_reg(kT0, kVector);
  rig.env.put_words(kVector, {kAddiA0, kAddiA0, kAddiA0, kAddiA0});
  return rig;
}

TEST(Trap, IllegalInstructionTrapsWithItsBitsInMtvalAndDoesNotRetire) {
  Rig rig;
  with_vector(rig);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0, 0xffffffff});
  const RunResult r = rig.hart.run(2);  // csrw, (illegal: no retire), addi at the vector
  EXPECT_EQ(r.executed, 2u);
  const CsrFile& c = rig.hart.csrs();
  EXPECT_EQ(c.mcause, cause::kIllegalInsn);
  EXPECT_EQ(c.mtval, 0xffffffffu);
  EXPECT_EQ(c.mepc, kRamBase + 4);
  EXPECT_EQ(rig.hart.pc(), kVector + 4);
  EXPECT_EQ(rig.hart.reg(kA0), 1u);
  EXPECT_EQ(c.mstatus & mstatus::kMpp, mstatus::kMpp) << "came from M";
}

TEST(Trap, IllegalCompressedInstructionReportsItsSixteenBits) {
  Rig rig;
  with_vector(rig);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0});
  rig.env.put(kRamBase + 4, 2, 0x2001);  // c.addiw x0, 0: reserved
  rig.hart.run(2);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
  EXPECT_EQ(rig.hart.csrs().mtval, 0x2001u);
}

TEST(Trap, EcallFromMachineAndUserModeUseTheirOwnCauses) {
  Rig rig;
  with_vector(rig);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0, 0x00000073});  // ecall
  rig.hart.run(2);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kEcallM);
  EXPECT_EQ(rig.hart.csrs().mepc, kRamBase + 4);
  EXPECT_EQ(rig.hart.csrs().mtval, 0u);

  Rig user;
  with_vector(user);
  user.hart.set_reg(kT1, kRamBase + 0x40);
  user.env.put_words(kRamBase, {kCsrwMtvecT0, kCsrwMepcT1, kMret});  // MPP is U after reset
  user.env.put_words(kRamBase + 0x40, {0x00000073});                 // ecall, in U mode
  EXPECT_EQ(user.hart.run(3).executed, 3u);
  EXPECT_EQ(user.hart.priv(), Priv::kUser);
  user.hart.run(1);
  EXPECT_EQ(user.hart.csrs().mcause, cause::kEcallU);
  EXPECT_EQ(user.hart.csrs().mepc, kRamBase + 0x40);
  EXPECT_EQ(user.hart.csrs().mstatus & mstatus::kMpp, 0u) << "came from U";
  EXPECT_EQ(user.hart.priv(), Priv::kMachine);
}

TEST(Trap, EbreakReportsItsOwnAddressInMtval) {
  Rig rig;
  with_vector(rig);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0});
  rig.env.put(kRamBase + 4, 2, 0x9002);  // c.ebreak
  rig.hart.run(2);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kBreakpoint);
  EXPECT_EQ(rig.hart.csrs().mtval, kRamBase + 4);
  EXPECT_EQ(rig.hart.csrs().mepc, kRamBase + 4);
}

TEST(Trap, MretRestoresInterruptEnableAndPrivilege) {
  Rig rig;
  rig.hart.set_reg(kT1, kRamBase + 0x40);
  rig.hart.set_reg(kT2, mstatus::kMpie | mstatus::kMpp);  // MPIE = 1, MPP = M
  rig.env.put_words(kRamBase, {kCsrwMepcT1, kCsrsMstatusT2, kMret});
  rig.env.put_words(kRamBase + 0x40, {kNop});
  rig.hart.run(3);
  const uint64_t s = rig.hart.csrs().mstatus;
  EXPECT_EQ(rig.hart.pc(), kRamBase + 0x40);
  EXPECT_EQ(rig.hart.priv(), Priv::kMachine);
  EXPECT_TRUE(s & mstatus::kMie);
  EXPECT_TRUE(s & mstatus::kMpie);
  EXPECT_EQ(s & mstatus::kMpp, 0u);
}

TEST(Trap, MretInUserModeIsIllegal) {
  Rig rig;
  with_vector(rig);
  rig.hart.set_reg(kT1, kRamBase + 0x40);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0, kCsrwMepcT1, kMret});
  rig.env.put_words(kRamBase + 0x40, {kMret});
  rig.hart.run(4);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
  EXPECT_EQ(rig.hart.csrs().mtval, kMret);
}

// Sets mtvec = t0, mie = t1 and mstatus |= t2, then spins on nops.
void put_interrupt_setup(Rig& rig, uint64_t mtvec, uint64_t mie, uint64_t mstatus_bits) {
  rig.hart.set_reg(kT0, mtvec);
  rig.hart.set_reg(kT1, mie);
  rig.hart.set_reg(kT2, mstatus_bits);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0, kCsrwMieT1, kCsrsMstatusT2, kNop, kNop, kNop});
  rig.env.put_words(kVector, {kMret});
  rig.env.put_words(kVector + 4 * 7, {kMret});
}

TEST(Interrupt, PendingInterruptsAreTakenInPriorityOrder) {
  Rig rig;
  put_interrupt_setup(rig, kVector, irq::kMachineBits, mstatus::kMie);
  rig.hart.set_pending(irq::kMtip | irq::kMsip | irq::kMeip, true);
  rig.hart.run(3);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInterrupt | 11);
  EXPECT_EQ(rig.hart.csrs().mepc, kRamBase + 12);
  EXPECT_EQ(rig.hart.csrs().mtval, 0u);
  EXPECT_EQ(rig.hart.csrs().mstatus & mstatus::kMie, 0u);
  EXPECT_TRUE(rig.hart.csrs().mstatus & mstatus::kMpie);
  rig.hart.set_pending(irq::kMeip, false);
  rig.hart.run(1);  // mret: the next one is taken at once
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInterrupt | 3);
  rig.hart.set_pending(irq::kMsip, false);
  rig.hart.run(1);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kInterrupt | 7);
}

TEST(Interrupt, VectoredMtvecJumpsToBasePlusFourTimesTheCause) {
  Rig rig;
  put_interrupt_setup(rig, kVector | 1, irq::kMtip, mstatus::kMie);
  rig.hart.set_pending(irq::kMtip, true);
  rig.hart.run(3);
  EXPECT_EQ(rig.hart.pc(), kVector + 4 * 7);
}

TEST(Interrupt, ExceptionsIgnoreVectoring) {
  Rig rig;
  rig.hart.set_reg(kT0, kVector | 1);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0, 0x00000073});  // ecall
  rig.env.put_words(kVector, {kNop});
  rig.hart.run(1);
  rig.hart.run(1);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kEcallM);
  EXPECT_EQ(rig.hart.pc(), kVector + 4);
}

TEST(Interrupt, MachineInterruptsWaitForMieInMachineModeButNotInUserMode) {
  Rig rig;
  put_interrupt_setup(rig, kVector, irq::kMtip, 0);
  rig.hart.set_pending(irq::kMtip, true);
  rig.hart.run(5);
  EXPECT_EQ(rig.hart.csrs().mcause, 0u) << "mstatus.MIE = 0 in M mode";
  EXPECT_EQ(rig.hart.pc(), kRamBase + 20);

  Rig user;
  user.hart.set_reg(kT0, kVector);
  user.hart.set_reg(kT1, kRamBase + 0x40);
  user.hart.set_reg(kT2, irq::kMtip);
  user.env.put_words(kRamBase, {kCsrwMtvecT0, kCsrwMepcT1, 0x30439073 /* csrw mie, t2 */, kMret});
  user.env.put_words(kRamBase + 0x40, {kNop, kNop});
  user.env.put_words(kVector, {kNop});
  user.hart.set_pending(irq::kMtip, true);
  user.hart.run(4);
  EXPECT_EQ(user.hart.csrs().mcause, cause::kInterrupt | 7);
  EXPECT_EQ(user.hart.csrs().mepc, kRamBase + 0x40);
  EXPECT_EQ(user.hart.csrs().mstatus & mstatus::kMpp, 0u);
}

TEST(Wfi, StopsTheRunUntilAnEnabledInterruptIsPending) {
  Rig rig;
  rig.hart.set_reg(kT1, irq::kMtip);
  rig.env.put_words(kRamBase, {kCsrwMieT1, 0x10500073 /* wfi */, kAddiA0, kAddiA0});
  RunResult r = rig.hart.run(10);
  EXPECT_EQ(r.executed, 2u) << "WFI retires";
  EXPECT_EQ(r.reason, StopReason::kWaitForInterrupt);
  EXPECT_TRUE(rig.hart.waiting_for_interrupt());
  EXPECT_EQ(rig.hart.pc(), kRamBase + 8);
  r = rig.hart.run(10);
  EXPECT_EQ(r.executed, 0u);
  EXPECT_EQ(r.reason, StopReason::kWaitForInterrupt);
  rig.hart.set_pending(irq::kMsip, true);  // not enabled in mie: still asleep
  EXPECT_FALSE(rig.hart.wakeup_pending());
  EXPECT_EQ(rig.hart.run(10).executed, 0u);
  // Enabled in mie but globally disabled (mstatus.MIE = 0): wakes without a trap.
  rig.hart.set_pending(irq::kMtip, true);
  EXPECT_TRUE(rig.hart.wakeup_pending());
  r = rig.hart.run(1);
  EXPECT_EQ(r.executed, 1u);
  EXPECT_FALSE(rig.hart.waiting_for_interrupt());
  EXPECT_EQ(rig.hart.reg(kA0), 1u);
  EXPECT_EQ(rig.hart.csrs().mcause, 0u);
}

TEST(Wfi, WithAnInterruptAlreadyPendingActsAsANop) {
  Rig rig;
  rig.hart.set_reg(kT1, irq::kMtip);
  rig.hart.set_pending(irq::kMtip, true);
  rig.env.put_words(kRamBase, {kCsrwMieT1, 0x10500073 /* wfi */, kAddiA0});
  const RunResult r = rig.hart.run(3);
  EXPECT_EQ(r.executed, 3u);
  EXPECT_EQ(rig.hart.reg(kA0), 1u);
}

TEST(Wfi, IsIllegalInUserMode) {
  Rig rig;
  with_vector(rig);
  rig.hart.set_reg(kT1, kRamBase + 0x40);
  rig.env.put_words(kRamBase, {kCsrwMtvecT0, kCsrwMepcT1, kMret});
  rig.env.put_words(kRamBase + 0x40, {0x10500073});
  const RunResult r = rig.hart.run(4);
  EXPECT_EQ(r.reason, StopReason::kBudgetExhausted);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
}

// SFENCE.VMA must make a changed mapping visible to every fetch, including the
// second half of a 32-bit instruction that crosses into a remapped page: the
// cached block (keyed by its first page) may not keep the old bytes.
TEST(Trap, SfenceVmaRemapsTheSecondPageOfACrossingInstruction) {
  Rig rig;
  constexpr uint64_t kRoot = kRamBase + 0x8000, kL1 = kRamBase + 0x9000, kL0 = kRamBase + 0xa000;
  constexpr uint64_t kFirst = kRamBase + 0x2000;  // VA 0x10000
  constexpr uint64_t kOld = kRamBase + 0x3000, kNew = kRamBase + 0x4000;  // VA 0x11000
  constexpr uint64_t kV = 1, kR = 2, kX = 8, kA = 64;
  auto pte = [](uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags | kV; };
  rig.env.put(kRoot, 8, pte(kL1, 0));
  rig.env.put(kL1, 8, pte(kL0, 0));
  rig.env.put(kL0 + 0x10 * 8, 8, pte(kFirst, kR | kX | kA));
  rig.env.put(kL0 + 0x11 * 8, 8, pte(kOld, kR | kX | kA));
  rig.env.put_words(kFirst, {0x12000073 /* sfence.vma */, 0x7f90006f /* j 0x10ffc */});
  rig.env.put(kFirst + 0xffc, 2, 0x4515);  // c.li a0, 5
  rig.env.put(kFirst + 0xffe, 2, 0x0513);  // addi a0, a0, ... (low half)
  rig.env.put(kOld, 2, 0x0505);            // ... 0x50 (high half)
  rig.env.put(kNew, 2, 0x0605);            // ... 0x60 (high half)
  rig.hart.set_reg(kT1, (satp::kModeSv39 << satp::kModeShift) | (kRoot >> 12));
  rig.hart.set_reg(kT2, 0x10ffc);
  rig.hart.set_reg(kT0, uint64_t{1} << mstatus::kMppShift);  // MPP = S
  rig.env.put_words(kRamBase, {0x18031073 /* csrw satp, t1 */, 0x34139073 /* csrw mepc, t2 */,
                               0x30029073 /* csrw mstatus, t0 */, kMret});
  rig.hart.run(4 + 2);
  EXPECT_EQ(rig.hart.reg(kA0), 0x55u);
  rig.env.put(kL0 + 0x11 * 8, 8, pte(kNew, kR | kX | kA));
  rig.hart.set_pc(0x10000);
  rig.hart.run(4);  // sfence.vma, j, c.li, addi
  EXPECT_EQ(rig.hart.reg(kA0), 0x65u);
}

}  // namespace
}  // namespace vtime::riscv::test
