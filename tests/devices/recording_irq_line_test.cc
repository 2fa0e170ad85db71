#include "vtime/devices/recording_irq_line.h"

#include <gtest/gtest.h>

#include "tests/devices/virtual_sim.h"

namespace vtime {
namespace {

TEST(RecordingIrqLine, FirstEdgeIsDeliveredAndAwaitsAcknowledgement) {
  RecordingIrqLine line;
  EXPECT_EQ(line.pulse(), Delivery::kDelivered);
  EXPECT_FALSE(line.level());
  EXPECT_TRUE(line.awaiting_ack());
  EXPECT_EQ(line.accepted(), 1u);
  ASSERT_EQ(line.events().size(), 2u);
  EXPECT_TRUE(line.events()[0].level);
  EXPECT_FALSE(line.events()[1].level);
}

TEST(RecordingIrqLine, EdgeBeforeAcknowledgementIsCoalesced) {
  RecordingIrqLine line;
  line.pulse();
  EXPECT_EQ(line.pulse(), Delivery::kCoalesced);
  EXPECT_EQ(line.rising_edges(), 2u);
  EXPECT_EQ(line.coalesced(), 1u);
  line.acknowledge();
  EXPECT_FALSE(line.awaiting_ack());
  EXPECT_EQ(line.pulse(), Delivery::kDelivered);
  EXPECT_EQ(line.accepted(), 2u);
  EXPECT_EQ(line.acknowledged(), 1u);
}

TEST(RecordingIrqLine, RaisingAnAlreadyHighLineIsNotANewEdge) {
  RecordingIrqLine line;
  EXPECT_EQ(line.raise(), Delivery::kDelivered);
  EXPECT_EQ(line.raise(), Delivery::kCoalesced);  // still pending: merges
  EXPECT_EQ(line.rising_edges(), 1u);
  EXPECT_EQ(line.events().size(), 1u);
  line.acknowledge();
  EXPECT_EQ(line.raise(), Delivery::kDelivered);  // level held, but taken: new interrupt
  EXPECT_EQ(line.rising_edges(), 1u);             // ...though the wire did not move
}

TEST(RecordingIrqLine, AcknowledgeWithNothingPendingDoesNothing) {
  RecordingIrqLine line;
  line.acknowledge();
  EXPECT_EQ(line.acknowledged(), 0u);
}

TEST(RecordingIrqLine, ImmediateAckNeverCoalesces) {
  RecordingIrqLine line({.ack = RecordingIrqLine::Ack::kImmediately});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(line.pulse(), Delivery::kDelivered);
  EXPECT_EQ(line.accepted(), 5u);
  EXPECT_EQ(line.acknowledged(), 5u);
  EXPECT_FALSE(line.awaiting_ack());
}

TEST(RecordingIrqLine, ClearingEventsKeepsCounters) {
  RecordingIrqLine line;
  line.pulse();
  line.clear_events();
  line.set_recording(false);
  line.acknowledge();
  line.pulse();
  EXPECT_TRUE(line.events().empty());
  EXPECT_EQ(line.accepted(), 2u);
}

TEST(RecordingIrqLine, EventsCarryVirtualTimeWhenGivenTheClocks) {
  testing::VirtualSim sim;
  RecordingIrqLine line({.clocks = &sim.clocks()});
  sim.step(3ms);
  line.raise();
  sim.step(2ms);
  line.lower();
  ASSERT_EQ(line.events().size(), 2u);
  EXPECT_EQ(line.events()[0].at - sim.start(), 3ms);
  EXPECT_EQ(line.events()[1].at - sim.start(), 5ms);
}

}  // namespace
}  // namespace vtime
