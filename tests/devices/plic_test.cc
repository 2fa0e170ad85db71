#include "vtime/devices/plic.h"

#include <gtest/gtest.h>

#include "tests/devices/test_irq_line.h"

namespace vtime {
namespace {

using namespace plic_reg;

constexpr unsigned kUart = 10;

struct Fixture {
  GuestLog log;
  Plic plic{log, 2};
  testing::TestIrqLine meip0, seip0, meip1, seip1;

  Fixture() {
    plic.connect(Plic::context(0, PrivilegeContext::kMachine), meip0);
    plic.connect(Plic::context(0, PrivilegeContext::kSupervisor), seip0);
    plic.connect(Plic::context(1, PrivilegeContext::kMachine), meip1);
    plic.connect(Plic::context(1, PrivilegeContext::kSupervisor), seip1);
  }
  uint32_t rd(uint64_t off) { return static_cast<uint32_t>(plic.read(off, 4)); }
  void wr(uint64_t off, uint32_t v) { plic.write(off, 4, v); }
  void enable(unsigned ctx, unsigned id) {
    const uint64_t off = kEnable + kEnableStride * ctx + 4 * (id / 32);
    wr(off, rd(off) | (1u << (id % 32)));
  }
  uint64_t claim_reg(unsigned ctx) { return kContext + kContextStride * ctx + kClaimComplete; }
  uint64_t threshold_reg(unsigned ctx) { return kContext + kContextStride * ctx + kThreshold; }
};

TEST(Plic, EnabledSourceAboveThresholdRaisesTheContextOutput) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 1);
  f.enable(0, kUart);
  f.plic.source(kUart).raise();
  EXPECT_TRUE(f.meip0.level());
  EXPECT_FALSE(f.seip0.level());
  EXPECT_FALSE(f.meip1.level());
  EXPECT_EQ(f.rd(kPending) & (1u << kUart), 1u << kUart);
}

TEST(Plic, PriorityZeroNeverInterrupts) {
  Fixture f;
  f.enable(0, kUart);
  f.plic.source(kUart).raise();
  EXPECT_FALSE(f.meip0.level());
  EXPECT_EQ(f.rd(f.claim_reg(0)), 0u);
}

TEST(Plic, ThresholdMasksSourcesAtOrBelowIt) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 3);
  f.enable(0, kUart);
  f.wr(f.threshold_reg(0), 3);
  f.plic.source(kUart).raise();
  EXPECT_FALSE(f.meip0.level());
  f.wr(f.threshold_reg(0), 2);
  EXPECT_TRUE(f.meip0.level());
}

TEST(Plic, ClaimReturnsTheHighestPriorityAndLowestIdOnTies) {
  Fixture f;
  for (unsigned id : {3u, 5u, 7u}) {
    f.enable(0, id);
    f.plic.source(id).raise();
  }
  f.wr(kPriority + 4 * 3, 2);
  f.wr(kPriority + 4 * 5, 4);
  f.wr(kPriority + 4 * 7, 4);
  EXPECT_EQ(f.rd(f.claim_reg(0)), 5u);
  EXPECT_EQ(f.rd(f.claim_reg(0)), 7u);
  EXPECT_EQ(f.rd(f.claim_reg(0)), 3u);
  EXPECT_EQ(f.rd(f.claim_reg(0)), 0u);
  EXPECT_FALSE(f.meip0.level());
}

TEST(Plic, StillAssertedSourceBecomesPendingAgainOnlyAfterComplete) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 1);
  f.enable(0, kUart);
  IrqLine& line = f.plic.source(kUart);
  EXPECT_EQ(line.raise(), Delivery::kDelivered);
  EXPECT_EQ(f.rd(f.claim_reg(0)), kUart);
  EXPECT_FALSE(f.meip0.level());
  EXPECT_TRUE(line.awaiting_ack());
  EXPECT_EQ(line.raise(), Delivery::kCoalesced);
  f.wr(f.claim_reg(0), kUart);
  EXPECT_TRUE(f.meip0.level());
  EXPECT_TRUE(f.plic.pending(kUart));
}

TEST(Plic, LoweredSourceIsNotPendingAfterComplete) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 1);
  f.enable(0, kUart);
  IrqLine& line = f.plic.source(kUart);
  line.raise();
  EXPECT_EQ(f.rd(f.claim_reg(0)), kUart);
  line.lower();
  f.wr(f.claim_reg(0), kUart);
  EXPECT_FALSE(line.awaiting_ack());
  EXPECT_FALSE(f.meip0.level());
}

TEST(Plic, LoweringBeforeClaimWithdrawsTheInterrupt) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 1);
  f.enable(0, kUart);
  f.plic.source(kUart).raise();
  f.plic.source(kUart).lower();
  EXPECT_FALSE(f.meip0.level());
  EXPECT_FALSE(f.plic.source(kUart).awaiting_ack());
}

TEST(Plic, CompleteForASourceNotEnabledOnTheContextIsIgnored) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 1);
  f.enable(0, kUart);
  f.plic.source(kUart).raise();
  EXPECT_EQ(f.rd(f.claim_reg(0)), kUart);
  f.wr(f.claim_reg(2), kUart);  // hart 1's M context: not enabled there
  EXPECT_TRUE(f.plic.claimed(kUart));
}

TEST(Plic, EachContextHasItsOwnEnablesAndOutputs) {
  Fixture f;
  f.wr(kPriority + 4 * kUart, 1);
  f.enable(3, kUart);  // hart 1, S mode
  f.plic.source(kUart).raise();
  EXPECT_TRUE(f.seip1.level());
  EXPECT_FALSE(f.meip0.level());
  EXPECT_FALSE(f.meip1.level());
}

TEST(Plic, PriorityKeepsOnlyItsImplementedBits) {
  Fixture f;
  f.wr(kPriority + 4 * 1, 0xffff'ffff);
  EXPECT_EQ(f.rd(kPriority + 4 * 1), kPriorityMask);
}

TEST(Plic, SourceZeroIsHardwiredOff) {
  Fixture f;
  f.wr(kEnable, 0xffff'ffff);
  EXPECT_EQ(f.rd(kEnable), 0xffff'fffeu);
  f.wr(kPriority, 5);
  EXPECT_EQ(f.rd(kPriority), 0u);
  EXPECT_EQ(f.log.count(), 1u);
}

// QEMU 7.2's device tree announces riscv,ndev = 96, so Linux programs source 96
// at boot: its priority and enable bit do not exist (guest errors, no effect).
TEST(Plic, SourceNinetySixIsAGuestErrorReadingZero) {
  Fixture f;
  f.wr(kPriority + 4 * 96, 1);
  EXPECT_EQ(f.rd(kPriority + 4 * 96), 0u);
  f.wr(kEnable + 4 * 3, 1);
  EXPECT_EQ(f.rd(kEnable + 4 * 3), 0u);
  EXPECT_EQ(f.log.count(), 3u);  // the priority read is not one: reserved ids read 0
}

TEST(Plic, PendingBitmapIsReadOnly) {
  Fixture f;
  f.wr(kPending, 0xffff'ffff);
  EXPECT_EQ(f.rd(kPending), 0u);
  EXPECT_EQ(f.log.count(), 1u);
}

TEST(Plic, ContextsBeyondTheHartsAreGuestErrors) {
  Fixture f;
  EXPECT_EQ(f.rd(f.claim_reg(4)), 0u);
  f.wr(f.threshold_reg(9), 1);
  f.wr(kEnable + kEnableStride * 4, 1);
  EXPECT_EQ(f.log.count(), 3u);
}

TEST(Plic, ConnectingDrivesTheCurrentLevel) {
  GuestLog log;
  Plic plic(log, 1);
  plic.write(kPriority + 4 * kUart, 4, 1);
  plic.write(kEnable, 4, 1u << kUart);
  plic.source(kUart).raise();
  testing::TestIrqLine late;
  plic.connect(0, late);
  EXPECT_TRUE(late.level());
}

}  // namespace
}  // namespace vtime
