// The board as a whole, driven by the manual host clock and tiny hand-encoded
// guests (raw binaries loaded at 0x8000_0000 with -bios none).
#include "vtime/machine/board.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/devices/goldfish_rtc.h"
#include "vtime/devices/guest_log.h"
#include "tests/machine/guest_words.h"
#include "vtime/machine/virt_map.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using test::program;

// Writes `value` (lui t1, hi; addi t1, t1, lo) to the SiFive test device, then spins.
std::vector<uint8_t> finisher_program(uint32_t lui_t1, uint32_t addi_t1) {
  return program({
      0x001002b7,  // lui  t0, 0x100          t0 = 0x100000 (test device)
      lui_t1,      // lui  t1, ...
      addi_t1,     // addi t1, t1, ...
      0x0062a023,  // sw   t1, 0(t0)
      0x0000006f,  // j    .
  });
}
const std::vector<uint8_t> kPoweroff = finisher_program(0x00005337, 0x55530313);   // 0x5555
const std::vector<uint8_t> kFailWith3 = finisher_program(0x00033337, 0x33330313);  // 0x33333
const std::vector<uint8_t> kReboot = finisher_program(0x00007337, 0x77730313);     // 0x7777
const std::vector<uint8_t> kWaitForever = program({
    0x10500073,  // wfi             (no interrupt is ever enabled)
    0xffdff06f,  // j    .-4
});

BootImages kernel(const std::vector<uint8_t>& bytes) {
  BootImages images;
  images.kernel = ImageFile{"test kernel", bytes};
  return images;
}

BoardOptions icount_options(std::string_view spec) {
  BoardOptions options;
  options.ram_bytes = 8ull << 20;
  options.icount = *parse_icount_options(spec);
  return options;
}

struct Fixture {
  ManualHostClock host;
  BufferConsole console;
  std::unique_ptr<Board> board;
  Fixture(const BoardOptions& options, const std::vector<uint8_t>& guest) {
    auto created = Board::create(host, console, options, kernel(guest));
    EXPECT_TRUE(created.ok()) << created.error();
    if (created.ok()) board = std::move(created).value();
  }
};

TEST(Board, RejectsHartCountsOutsideOneToEight) {
  ManualHostClock host;
  BufferConsole console;
  for (unsigned harts : {0u, 9u}) {
    BoardOptions options;
    options.harts = harts;
    const auto board = Board::create(host, console, options, kernel(kPoweroff));
    ASSERT_FALSE(board.ok());
    EXPECT_NE(board.error().find("hart"), std::string::npos) << board.error();
  }
}

TEST(Board, PoweroffEndsTheRunWithStatusZero) {
  Fixture f(icount_options("shift=4,sleep=off"), kPoweroff);
  const RunOutcome outcome = f.board->run();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::kPoweroff);
  EXPECT_EQ(outcome.exit_status, 0);
}

class CollectingSink final : public GuestErrorSink {
 public:
  void guest_error(std::string_view message) override { lines.emplace_back(message); }
  std::vector<std::string> lines;
};

TEST(Board, GuestErrorsAreCountedAndGoToTheSinkOfTheOptions) {
  std::vector<uint8_t> guest = program({
      0x020053b7,  // lui  t2, 0x2005          t2 = 0x2005000 (CLINT MTIMER + 0x1000: no such hart)
      0x0003be03,  // ld   t3, 0(t2)
  });
  guest.insert(guest.end(), kPoweroff.begin(), kPoweroff.end());
  CollectingSink sink;
  BoardOptions options = icount_options("shift=4,sleep=off");
  options.guest_error_sink = &sink;
  Fixture f(options, guest);
  EXPECT_EQ(f.board->run().kind, RunOutcome::Kind::kPoweroff);
  EXPECT_EQ(f.board->stats().guest_errors, 1u);
  EXPECT_EQ(sink.lines, std::vector<std::string>{"clint: read from reserved MTIMER offset 0x1000"});
}

TEST(Board, AFailureCodeBecomesTheExitStatus) {
  Fixture f(icount_options("shift=4,sleep=off"), kFailWith3);
  const RunOutcome outcome = f.board->run();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::kFailure);
  EXPECT_EQ(outcome.exit_status, 3);
}

TEST(Board, GuestTimeStartsAtZeroAndCountsEveryInstructionUnderIcount) {
  // 6 boot ROM instructions, then 4 up to and including the store: the device
  // sees the store as the 10th instruction, 10 x 16 ns.
  Fixture f(icount_options("shift=4,sleep=off"), kPoweroff);
  f.host.advance(5s);  // host time before the run never reaches the guest
  f.board->run();
  EXPECT_EQ(f.board->stats().instructions, 10u);
  EXPECT_EQ(f.board->stats().guest_time, 160ns);
}

TEST(Board, AnIdleGuestUnderSleepOffWarpsExactlyToTheTimeLimit) {
  Fixture f(icount_options("shift=4,sleep=off"), kWaitForever);
  const RunOutcome outcome = f.board->run(250ms);
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::kTimeLimit);
  EXPECT_EQ(f.board->stats().guest_time, 250ms);
  EXPECT_GT(f.board->stats().time_warped, 249ms);
}

TEST(Board, RebootReloadsTheImagesAndRunsOn) {
  Fixture f(icount_options("shift=4,sleep=off"), kReboot);
  const RunOutcome outcome = f.board->run(100us);
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::kTimeLimit);
  // Each boot is 10 instructions (160 ns) of guest time: hundreds of reboots.
  EXPECT_GT(f.board->stats().reboots, 500u);
  EXPECT_EQ(f.board->stats().guest_time, 100us);
}

TEST(Board, StopAndResumeKeepGuestTimeContinuousWithoutIcount) {
  BoardOptions options;
  options.ram_bytes = 8ull << 20;
  Fixture f(options, kWaitForever);
  f.board->run(40ms);  // idle: the loop waits on the (manual) host until the limit
  EXPECT_EQ(f.board->stats().guest_time, 40ms);
  f.board->stop();
  f.host.advance(10s);
  f.board->resume();
  EXPECT_EQ(f.board->stats().guest_time, 40ms);  // the stopped 10 s are not guest time
  f.board->run(40ms);
  EXPECT_EQ(f.board->stats().guest_time, 80ms);
}

TEST(Board, TwoBoardsInOneProcessDoNotInterfere) {
  Fixture a(icount_options("shift=4,sleep=off"), kWaitForever);
  Fixture b(icount_options("shift=2,sleep=off"), kFailWith3);
  EXPECT_EQ(b.board->run().exit_status, 3);
  a.board->run(1ms);
  EXPECT_EQ(a.board->stats().guest_time, 1ms);
  EXPECT_EQ(b.board->stats().guest_time, 40ns);  // 10 instructions x 4 ns
}

TEST(Board, RunsTheSameGuestIdenticallyTwice) {
  Fixture a(icount_options("shift=3,sleep=off"), kReboot);
  Fixture b(icount_options("shift=3,sleep=off"), kReboot);
  b.host.set_advance_per_read(7us);  // a slower, busier host changes nothing
  a.board->run(50us);
  b.board->run(50us);
  EXPECT_EQ(a.board->stats().reboots, b.board->stats().reboots);
  EXPECT_EQ(a.board->stats().instructions, b.board->stats().instructions);
}

}  // namespace
}  // namespace vtime

namespace vtime {
namespace {

TEST(BoardTimerDevices, EnabledDevicesAnswerAtTheirDocumentedAddresses) {
  BoardOptions options = icount_options("shift=4,sleep=off");
  options.harts = 2;
  options.timer_devices = {.lapic_timer = true, .pv_clockevent = true, .pvclock = true,
                           .hpet = HpetDriftfix::kSlew};
  Fixture f(options, kPoweroff);
  using namespace timer_devices_map;
  // HPET: GCAP_ID low half = vendor 0x8086, legacy-capable, 64-bit, 3 timers (2 << 8), rev 1.
  EXPECT_EQ(f.board->debug_read(kHpetBase, 4), 0x8086a201u);
  // LAPIC timer of hart 1: the bus frequency it tells guests to calibrate with.
  EXPECT_EQ(f.board->debug_read(kLapicBase + kStride + lapic_reg::kBusFrequency, 8), 100'000'000u);
  // PV clock-event of hart 1: its identification register ("pvce").
  EXPECT_EQ(f.board->debug_read(kPvClockEventBase + kStride + pv_clockevent_reg::kId, 4),
            0x70766365u);
  // pvclock record of hart 1: written (even, non-zero version), TSC_STABLE set.
  const auto version = f.board->debug_read(kPvClockBase + kPvClockRecord, 4);
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(*version % 2, 0u);
  EXPECT_NE(*version, 0u);
  EXPECT_EQ(*f.board->debug_read(kPvClockBase + kPvClockRecord + 29, 1) & 1u, 1u);
  EXPECT_EQ(f.board->run().kind, RunOutcome::Kind::kPoweroff);
}

__extension__ typedef unsigned __int128 U128;  // the reader's 64x32-bit product

// What a guest's pvclock reader computes from hart 0's record and mtime now.
uint64_t pvclock_ns(Board& board) {
  using namespace timer_devices_map;
  const uint64_t mtime = *board.debug_read(0x0200'bff8, 8);
  const uint64_t stamp = *board.debug_read(kPvClockBase + 8, 8);
  const uint64_t system_time = *board.debug_read(kPvClockBase + 16, 8);
  const uint64_t mul = *board.debug_read(kPvClockBase + 24, 4);
  const auto shift = static_cast<int8_t>(*board.debug_read(kPvClockBase + 28, 1));
  uint64_t delta = mtime - stamp;
  delta = shift >= 0 ? delta << shift : delta >> -shift;
  return system_time + static_cast<uint64_t>((static_cast<U128>(delta) * mul) >> 32);
}

TEST(BoardTimerDevices, PvclockFollowsAGuestWriteToMtime) {
  BoardOptions options = icount_options("shift=4,sleep=off");
  options.timer_devices = {.pvclock = true};
  Fixture f(options, program({
                         0x0200c3b7,  // lui  t2, 0x200c      t2 = 0x0200_c000
                         0x40000337,  // lui  t1, 0x40000     t1 = 0x4000_0000
                         0xfe63bc23,  // sd   t1, -8(t2)      mtime (0x0200_bff8) = t1
                         0x001002b7,  // lui  t0, 0x100       then power off
                         0x00005337, 0x55530313, 0x0062a023, 0x0000006f,
                     }));
  ASSERT_EQ(f.board->run().kind, RunOutcome::Kind::kPoweroff);
  EXPECT_GE(*f.board->debug_read(0x0200'bff8, 8), 0x4000'0000u);  // the guest moved mtime
  // The reader still gets guest time since reset, to within one 10 MHz tick.
  const auto now = static_cast<uint64_t>(f.board->guest_now().since_epoch().count());
  EXPECT_NEAR(static_cast<double>(pvclock_ns(*f.board)), static_cast<double>(now), 100.0);
}

TEST(BoardTimerDevices, AbsentUnlessAskedFor) {
  Fixture f(icount_options("shift=4,sleep=off"), kPoweroff);
  EXPECT_FALSE(f.board->debug_read(timer_devices_map::kHpetBase, 4).has_value());
  EXPECT_FALSE(f.board->debug_read(timer_devices_map::kPvClockBase, 4).has_value());
}

}  // namespace
}  // namespace vtime

namespace vtime {
namespace {

uint64_t rtc_time(Board& board) {
  const uint64_t low = *board.debug_read(virt_map::kRtcBase + goldfish_rtc_reg::kTimeLow, 4);
  return low | *board.debug_read(virt_map::kRtcBase + goldfish_rtc_reg::kTimeHigh, 4) << 32;
}

TEST(BoardRtc, FixedBaseOnVirtualTimeReadsTheBasePlusGuestTime) {
  BoardOptions options = icount_options("shift=4,sleep=off");
  options.rtc = *parse_rtc_options("base=2020-01-01T00:00:00,clock=vm");
  Fixture f(options, kPoweroff);
  f.host.advance(5s);  // host time before the run is not guest time
  EXPECT_EQ(rtc_time(*f.board), 1'577'836'800'000'000'000u);
  f.board->run();
  EXPECT_EQ(rtc_time(*f.board), 1'577'836'800'000'000'000u + 160);
}

TEST(BoardRtc, ByDefaultTheRtcIsTheHostsWallClock) {
  Fixture f(icount_options("shift=4,sleep=off"), kPoweroff);
  const uint64_t wall = static_cast<uint64_t>(f.host.wall_now().since_epoch().count());
  EXPECT_EQ(rtc_time(*f.board), wall);
  f.host.advance(2s);
  EXPECT_EQ(rtc_time(*f.board), wall + 2'000'000'000);
}

}  // namespace
}  // namespace vtime
