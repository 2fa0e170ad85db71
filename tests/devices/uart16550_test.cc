#include "vtime/devices/uart16550.h"

#include <gtest/gtest.h>

#include "tests/devices/test_irq_line.h"

namespace vtime {
namespace {

using namespace uart_reg;

struct Fixture {
  GuestLog log;
  BufferConsole console;
  testing::TestIrqLine irq;
  Uart16550 uart{log, console};
  Fixture() { uart.connect(irq); }

  uint8_t rd(uint64_t reg) { return static_cast<uint8_t>(uart.read(reg, 1)); }
  void wr(uint64_t reg, uint8_t v) { uart.write(reg, 1, v); }
};

TEST(Uart16550, BytesWrittenToThrReachTheConsole) {
  Fixture f;
  for (char c : std::string("hi\n")) f.wr(kThr, static_cast<uint8_t>(c));
  EXPECT_EQ(f.console.output(), "hi\n");
}

TEST(Uart16550, LineStatusAlwaysShowsTransmitterEmpty) {
  Fixture f;
  f.wr(kThr, 'x');
  EXPECT_EQ(f.rd(kLsr) & (kLsrThre | kLsrTemt), kLsrThre | kLsrTemt);
  EXPECT_EQ(f.rd(kLsr) & kLsrDr, 0);
}

TEST(Uart16550, PolledInputIsReadFromRbrInOrder) {
  Fixture f;
  f.wr(kFcr, kFcrEnable);
  f.console.feed("ab");
  EXPECT_EQ(f.uart.poll_input(), 2u);
  EXPECT_EQ(f.rd(kLsr) & kLsrDr, kLsrDr);
  EXPECT_EQ(f.rd(kRbr), 'a');
  EXPECT_EQ(f.rd(kRbr), 'b');
  EXPECT_EQ(f.rd(kLsr) & kLsrDr, 0);
}

TEST(Uart16550, InputIsTakenOnlyWhileTheFifoHasRoom) {
  Fixture f;
  f.console.feed("abc");
  EXPECT_EQ(f.uart.poll_input(), 1u);  // FIFOs off: one holding byte
  EXPECT_EQ(f.console.pending_input(), 2u);
  f.wr(kFcr, kFcrEnable);  // enabling the FIFO resets it
  f.console.feed(std::string(20, 'z'));
  EXPECT_EQ(f.uart.poll_input(), 16u);
  EXPECT_EQ(f.rd(kLsr) & kLsrOe, 0);  // flow-controlled: never an overrun
}

TEST(Uart16550, ReceivedDataRaisesTheInterruptWhenEnabled) {
  Fixture f;
  f.wr(kIer, kIerErbfi);
  EXPECT_FALSE(f.irq.level());
  f.console.feed("q");
  f.uart.poll_input();
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirRxData);
  f.rd(kRbr);
  EXPECT_FALSE(f.irq.level());
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirNoInterrupt);
}

TEST(Uart16550, FifoBelowTriggerInterruptsAsTimeoutOnceInputStops) {
  Fixture f;
  f.wr(kFcr, kFcrEnable | 0x80);  // trigger level 8
  f.wr(kIer, kIerErbfi);
  f.console.feed("abc");
  f.uart.poll_input();
  EXPECT_EQ(f.rd(kIir), kIirRxTimeout | kIirFifosEnabled);
  EXPECT_TRUE(f.irq.level());
}

TEST(Uart16550, FifoAtTriggerInterruptsAsReceivedData) {
  Fixture f;
  f.wr(kFcr, kFcrEnable | 0x40);  // trigger level 4
  f.wr(kIer, kIerErbfi);
  f.console.feed("abcdefgh");
  f.uart.poll_input();
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirRxData);
}

TEST(Uart16550, EnablingThrEmptyInterruptRaisesItAtOnce) {
  Fixture f;
  f.wr(kIer, kIerEtbei);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirThre);
  // Reading IIR acknowledged it.
  EXPECT_FALSE(f.irq.level());
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirNoInterrupt);
}

TEST(Uart16550, ConnectingTheLineDrivesTheLevelTheUartAlreadyHas) {
  GuestLog log;
  BufferConsole console;
  Uart16550 uart{log, console};
  uart.write(kIer, 1, kIerEtbei);  // THR empty is pending before anything listens
  testing::TestIrqLine irq;
  uart.connect(irq);
  EXPECT_TRUE(irq.level());
  EXPECT_EQ(uart.read(kIir, 1) & 0x0f, kIirThre);
  EXPECT_FALSE(irq.level());
}

TEST(Uart16550, WritingThrMakesThrEmptyDueAgain) {
  Fixture f;
  f.wr(kIer, kIerEtbei);
  f.rd(kIir);
  f.wr(kThr, 'x');
  EXPECT_TRUE(f.irq.level());
  f.wr(kIer, 0);
  EXPECT_FALSE(f.irq.level());
}

TEST(Uart16550, ReceivedDataOutranksThrEmpty) {
  Fixture f;
  f.wr(kIer, kIerErbfi | kIerEtbei);
  f.console.feed("x");
  f.uart.poll_input();
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirRxData);
}

TEST(Uart16550, DlabSwitchesOffsetsZeroAndOneToTheDivisorLatch) {
  Fixture f;
  f.wr(kLcr, kLcrDlab | 0x03);
  f.wr(kDll, 0x01);
  f.wr(kDlm, 0x02);
  EXPECT_TRUE(f.console.output().empty());
  EXPECT_EQ(f.rd(kDll), 0x01);
  EXPECT_EQ(f.rd(kDlm), 0x02);
  f.wr(kLcr, 0x03);
  EXPECT_EQ(f.rd(kIer), 0);
  EXPECT_EQ(f.rd(kLcr), 0x03);
}

TEST(Uart16550, LoopbackFeedsTransmittedBytesBackToTheReceiver) {
  Fixture f;
  f.wr(kFcr, kFcrEnable);
  f.wr(kMcr, kMcrLoop | 0x03);
  f.wr(kThr, 'L');
  EXPECT_TRUE(f.console.output().empty());
  EXPECT_EQ(f.rd(kRbr), 'L');
  EXPECT_EQ(f.rd(kMsr), kMsrCts | kMsrDsr);
}

TEST(Uart16550, OverrunSetsAndReadingLsrClearsOe) {
  Fixture f;
  f.wr(kMcr, kMcrLoop);  // FIFOs off: one holding byte
  f.wr(kThr, '1');
  f.wr(kThr, '2');
  EXPECT_EQ(f.rd(kLsr) & kLsrOe, kLsrOe);
  EXPECT_EQ(f.rd(kLsr) & kLsrOe, 0);
  EXPECT_EQ(f.rd(kRbr), '1');
}

TEST(Uart16550, ScratchRegisterHoldsItsValue) {
  Fixture f;
  f.wr(kScr, 0x5a);
  EXPECT_EQ(f.rd(kScr), 0x5a);
}

TEST(Uart16550, ReservedOffsetsAreGuestErrors) {
  Fixture f;
  EXPECT_EQ(f.uart.read(0x10, 1), 0u);
  f.uart.write(0x20, 1, 1);
  f.wr(kLsr, 0);
  EXPECT_EQ(f.log.count(), 3u);
}

TEST(Uart16550, ModemLinesReadAsReadyOutsideLoopback) {
  Fixture f;
  EXPECT_EQ(f.rd(kMsr), kMsrDcd | kMsrDsr | kMsrCts);
}

TEST(Uart16550, ABreakArrivesAsAZeroCharacterWithBreakInterruptReportedOnce) {
  Fixture f;
  f.wr(kFcr, kFcrEnable);
  f.wr(kIer, kIerElsi);
  f.console.send_break();
  f.console.feed("a");
  EXPECT_EQ(f.uart.poll_input(), 2u);
  EXPECT_TRUE(f.irq.level());
  EXPECT_EQ(f.rd(kIir) & 0x0f, kIirLineStatus);
  const uint8_t lsr = f.rd(kLsr);
  EXPECT_EQ(lsr & (kLsrDr | kLsrBi | kLsrFifoErr), kLsrDr | kLsrBi | kLsrFifoErr);
  EXPECT_EQ(f.rd(kLsr) & (kLsrBi | kLsrFifoErr), 0);  // reading LSR cleared it
  EXPECT_FALSE(f.irq.level());
  EXPECT_EQ(f.rd(kRbr), 0);    // the break's character
  EXPECT_EQ(f.rd(kRbr), 'a');  // then the input after it
  EXPECT_FALSE(f.console.break_pending());
}

TEST(Uart16550, ASnapshotRestoresRegistersAndTheReceiveFifo) {
  Fixture f;
  f.wr(kFcr, kFcrEnable);
  f.wr(kIer, 0x01);  // receive interrupt
  f.wr(kScr, 0x5a);
  f.console.feed("abc");
  f.uart.poll_input();
  EXPECT_EQ(f.rd(kRbr), 'a');
  StateWriter out;
  f.uart.save(out);
  Fixture g;
  StateReader in(out.bytes(), "the UART");
  g.uart.load(in);
  ASSERT_TRUE(in.finish().ok());
  StateWriter again;
  g.uart.save(again);
  EXPECT_EQ(again.bytes(), out.bytes());
  for (uint64_t reg : {kIer, kLsr, kScr, kIir}) EXPECT_EQ(g.rd(reg), f.rd(reg)) << reg;
  EXPECT_EQ(g.rd(kRbr), 'b');
  EXPECT_EQ(g.rd(kRbr), 'c');
}

TEST(Uart16550, ASnapshotWithAnOverfullFifoIsRefusedAndChangesNothing) {
  StateWriter out;
  for (int i = 0; i < 7; ++i) out.u8(0);
  for (int i = 0; i < 4; ++i) out.boolean(false);
  out.u64(kFifoDepth + 1);
  Fixture g;
  StateReader in(out.bytes(), "the UART");
  g.uart.load(in);
  EXPECT_FALSE(in.finish().ok());
  EXPECT_EQ(g.rd(kLsr) & kLsrDr, 0);
}

}  // namespace
}  // namespace vtime
