#include "vtime/devices/pv_clockevent.h"

#include <gtest/gtest.h>

#include "tests/devices/test_irq_line.h"
#include "tests/devices/virtual_sim.h"
#include "vtime/devices/reg_access.h"

namespace vtime {
namespace {

using namespace std::chrono_literals;
using namespace pv_clockevent_reg;

struct Fixture {
  Fixture() : dev(log, sim.timers(), {.timeline = {.zero = sim.start()}}) { dev.connect(irq); }
  uint64_t rd(uint64_t offset, unsigned size) {
    return reg_access::dispatch_read(dev, dev.sizes(), offset, size);
  }
  void wr(uint64_t offset, unsigned size, uint64_t value) {
    reg_access::dispatch_write(dev, dev.sizes(), offset, size, value);
  }
  uint64_t ns(Duration d) { return static_cast<uint64_t>(d.count()); }

  testing::VirtualSim sim;
  GuestLog log;
  testing::TestIrqLine irq;
  PvClockEvent dev;
};

TEST(PvClockEvent, IdentifiesItselfAndStartsDisarmed) {
  Fixture f;
  EXPECT_EQ(f.rd(kId, 4), kMagic);
  EXPECT_EQ(f.rd(kVersion, 4), kDeviceVersion);
  EXPECT_EQ(f.rd(kDeadline, 8), kDisarm);
  EXPECT_EQ(f.rd(kStatus, 4), 0u);
  EXPECT_FALSE(f.irq.level());
}

TEST(PvClockEvent, NowReadsTheTimelineNs) {
  Fixture f;
  f.sim.step(1234567ns);
  EXPECT_EQ(f.rd(kNow, 8), 1'234'567u);
  EXPECT_EQ(f.rd(kNow, 4), 1'234'567u);
  EXPECT_EQ(f.rd(kNow + 4, 4), 0u);
}

TEST(PvClockEvent, OneWriteArmsAnAbsoluteDeadlineThatFiresExactlyThen) {
  Fixture f;
  f.sim.step(1ms);
  f.wr(kDeadline, 8, f.ns(1ms + 250us));
  EXPECT_EQ(f.rd(kDeadline, 8), f.ns(1250us));  // reads back the armed deadline
  EXPECT_EQ(f.rd(kStatus, 4), kArmed);
  EXPECT_EQ(f.dev.armed_at(), f.sim.start() + 1250us);
  f.sim.step_until(f.sim.start() + 1250us - 1ns);
  EXPECT_FALSE(f.irq.level());
  f.sim.step(1ns);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kStatus, 4), kPending);
  EXPECT_EQ(f.rd(kDeadline, 8), kDisarm);  // fired: nothing armed any more
}

TEST(PvClockEvent, TheTimelineZeroIsTheHostGuestDelta) {
  testing::VirtualSim sim;
  sim.step(7s);  // the guest booted 7 s into VIRTUAL
  GuestLog log;
  PvClockEvent dev(log, sim.timers(), {.timeline = {.zero = sim.now()}});
  sim.step(1s);
  dev.write_deadline(1'500'000'000);
  EXPECT_EQ(dev.armed_at(), sim.now() + 500ms);
}

TEST(PvClockEvent, ArmingInThePastOrNowFiresAtOnce) {
  Fixture f;
  f.sim.step(1ms);
  f.wr(kDeadline, 8, f.ns(1ms));
  EXPECT_TRUE(f.irq.level());
  f.wr(kStatus, 4, kPending);
  f.wr(kDeadline, 8, 0);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.dev.interrupts(), 2u);
  EXPECT_EQ(f.rd(kDeadline, 8), kDisarm);
}

TEST(PvClockEvent, WritingOneToPendingAcknowledgesAndLowersTheLine) {
  Fixture f;
  f.wr(kDeadline, 8, 0);
  ASSERT_TRUE(f.irq.level());
  f.wr(kStatus, 4, 0);  // writing 0 changes nothing
  EXPECT_TRUE(f.irq.level());
  f.wr(kStatus, 4, kPending);
  EXPECT_FALSE(f.irq.level());
  EXPECT_EQ(f.rd(kStatus, 4), 0u);
}

TEST(PvClockEvent, DisarmValueCancelsTheArmedDeadline) {
  Fixture f;
  f.wr(kDeadline, 8, f.ns(5us));
  f.wr(kDeadline, 8, kDisarm);
  EXPECT_EQ(f.rd(kStatus, 4), 0u);
  EXPECT_TRUE(f.dev.armed_at().is_never());
  f.sim.step(1ms);
  EXPECT_EQ(f.dev.interrupts(), 0u);
}

TEST(PvClockEvent, RearmingReplacesTheDeadlineEarlierOrLater) {
  Fixture f;
  f.wr(kDeadline, 8, f.ns(10us));
  f.wr(kDeadline, 8, f.ns(3us));
  EXPECT_EQ(f.dev.armed_at(), f.sim.start() + 3us);
  f.wr(kDeadline, 8, f.ns(20us));
  f.sim.step(19us);
  EXPECT_EQ(f.dev.interrupts(), 0u);
  f.sim.step(1us);
  EXPECT_EQ(f.dev.interrupts(), 1u);
}

TEST(PvClockEvent, HalvesCommitOnTheHighWrite) {
  Fixture f;
  const uint64_t when = (uint64_t{1} << 32) + 5;  // ~4.3 s
  f.wr(kDeadline, 4, when & 0xFFFF'FFFFu);
  EXPECT_EQ(f.rd(kDeadline, 8), kDisarm);  // the low half alone arms nothing
  EXPECT_EQ(f.rd(kStatus, 4), 0u);
  f.wr(kDeadlineHigh, 4, when >> 32);
  EXPECT_EQ(f.rd(kDeadline, 8), when);
  EXPECT_EQ(f.rd(kDeadline, 4), 5u);
  EXPECT_EQ(f.rd(kDeadlineHigh, 4), 1u);
  EXPECT_EQ(f.dev.armed_at(), f.sim.start() + Duration(static_cast<int64_t>(when)));
}

TEST(PvClockEvent, DeadlineBeyondVirtualsRangeReadsBackButNeverFires) {
  Fixture f;
  f.wr(kDeadline, 8, kDisarm - 1);
  EXPECT_EQ(f.rd(kDeadline, 8), kDisarm - 1);
  EXPECT_TRUE(f.dev.armed_at().is_never());
  f.sim.step(1h);
  EXPECT_EQ(f.dev.interrupts(), 0u);
}

TEST(PvClockEvent, StoppedTimeDoesNotCountTowardsTheDeadline) {
  Fixture f;
  f.wr(kDeadline, 8, f.ns(100us));
  f.sim.step(40us);
  f.sim.clocks().stop();
  f.sim.skip(1h);
  f.sim.run_due();
  EXPECT_EQ(f.dev.interrupts(), 0u);
  f.sim.clocks().resume();
  f.sim.step(60us);
  EXPECT_EQ(f.dev.interrupts(), 1u);
}

TEST(PvClockEvent, BadAccessesAreGuestErrors) {
  Fixture f;
  f.wr(kStatus, 8, 1);
  f.wr(kNow, 8, 1);
  f.wr(kId, 4, 1);
  EXPECT_EQ(f.rd(kStatus + 4, 4), 0u);  // 0x0C is reserved
  EXPECT_EQ(f.log.count(), 4u);
  EXPECT_EQ(f.rd(kDeadline, 8), kDisarm);
}

}  // namespace
}  // namespace vtime
