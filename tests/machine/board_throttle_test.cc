// The CPU throttle on the whole board (docs/icount.md, "CPU throttle"): the run
// loop pays the sleep the throttle owes after each pass that ran a hart, on the
// injected host clock. The manual host clock charges a fixed span per read
// (the host busy executing guest code), so every figure here is exact and the
// same on every machine.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/icount/cpu_throttle.h"
#include "vtime/machine/board.h"
#include "tests/machine/guest_words.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using test::program;

// A fixed amount of work: 200704 turns of a loop that reads mtime, then "T\n"
// on the UART and poweroff. Each mtime read reads the host clock (without
// icount), which the manual clock charges, so the host time this costs is
// proportional to the work done, not to the guest time it spans.
const std::vector<uint8_t> kFixedWork = program({
    0x0200c2b7,  // lui  t0, 0x200c
    0xff828293,  // addi t0, t0, -8         t0 = 0x0200bff8 (mtime)
    0x000313b7,  // lui  t2, 0x31           t2 = 200704
    0x0002b303,  // 1: ld t1, 0(t0)
    0xfff38393,  // addi t2, t2, -1
    0xfe039ce3,  // bnez t2, 1b
    0x100002b7,  // lui  t0, 0x10000        UART
    0x05400313,  // li   t1, 'T'
    0x00628023,  // sb   t1, 0(t0)
    0x00a00313,  // li   t1, '\n'
    0x00628023,  // sb   t1, 0(t0)
    0x001002b7,  // lui  t0, 0x100          test device
    0x00005337,  // lui  t1, 5
    0x55530313,  // addi t1, t1, 0x555
    0x0062a023,  // sw   t1, 0(t0)          poweroff
    0x0000006f,  // j    .
});

// Guest-timed work: spins reading mtime until it passes 999424 ticks (about
// 100 ms at 10 MHz), then "T" and poweroff.
const std::vector<uint8_t> kSpinOnMtime = program({
    0x0200c2b7,  // lui  t0, 0x200c
    0xff828293,  // addi t0, t0, -8         t0 = 0x0200bff8 (mtime)
    0x000f43b7,  // lui  t2, 0xf4           t2 = 999424
    0x0002b303,  // 1: ld t1, 0(t0)
    0xfe736ee3,  // bltu t1, t2, 1b
    0x100002b7,  // lui  t0, 0x10000
    0x05400313,  // li   t1, 'T'
    0x00628023,  // sb   t1, 0(t0)
    0x001002b7,  // lui  t0, 0x100
    0x00005337,  // lui  t1, 5
    0x55530313,  // addi t1, t1, 0x555
    0x0062a023,  // sw   t1, 0(t0)
    0x0000006f,  // j    .
});

const std::vector<uint8_t> kSpinForever = program({0x0000006f});  // j .
const std::vector<uint8_t> kWaitForever = program({
    0x10500073,  // wfi             (no interrupt is ever enabled)
    0xffdff06f,  // j    .-4
});

BoardOptions board_options(std::string_view icount, int throttle) {
  BoardOptions options;
  options.ram_bytes = 8ull << 20;
  if (!icount.empty()) options.icount = *parse_icount_options(icount);
  options.cpu_throttle = throttle;
  return options;
}

struct GuestRun {
  RunOutcome outcome;
  BoardStats stats;
  std::string output;
};

// One run of `guest` to its end (or `limit`), the host charging `per_read`.
GuestRun run_guest(const std::vector<uint8_t>& guest, const BoardOptions& options, Duration per_read,
              std::optional<Duration> limit = std::nullopt) {
  ManualHostClock host;
  host.set_advance_per_read(per_read);
  BufferConsole console;
  BootImages images;
  images.kernel = ImageFile{"test kernel", guest};
  auto board = Board::create(host, console, options, images);
  EXPECT_TRUE(board.ok()) << board.error();
  if (!board.ok()) return {};
  GuestRun r;
  r.outcome = (*board)->run(limit);
  r.stats = (*board)->stats();
  r.output = console.output();
  return r;
}

double ratio(Duration a, Duration b) {
  return static_cast<double>(a.count()) / static_cast<double>(b.count());
}

TEST(BoardThrottle, RejectsPercentagesOutsideZeroToNinetyNine) {
  ManualHostClock host;
  BufferConsole console;
  BootImages images;
  images.kernel = ImageFile{"test kernel", kSpinForever};
  for (int percent : {-1, 100}) {
    const auto board = Board::create(host, console, board_options("", percent), images);
    ASSERT_FALSE(board.ok());
    EXPECT_NE(board.error().find("throttle"), std::string::npos) << board.error();
  }
}

TEST(BoardThrottle, AtFiftyPercentFixedWorkTakesTwiceTheHostTimeWithoutIcount) {
  const GuestRun unthrottled = run_guest(kFixedWork, board_options("", 0), 2us);
  const GuestRun throttled = run_guest(kFixedWork, board_options("", 50), 2us);
  ASSERT_EQ(unthrottled.outcome.kind, RunOutcome::Kind::kPoweroff);
  ASSERT_EQ(throttled.outcome.kind, RunOutcome::Kind::kPoweroff);
  EXPECT_EQ(unthrottled.output, "T\n");
  EXPECT_EQ(throttled.output, "T\n");
  EXPECT_EQ(throttled.stats.instructions, unthrottled.stats.instructions);
  EXPECT_GT(unthrottled.stats.host_time, 200ms);  // many 10 ms timeslices
  EXPECT_EQ(unthrottled.stats.time_slept_throttle, 0ns);
  EXPECT_NEAR(ratio(throttled.stats.host_time, unthrottled.stats.host_time), 2.0, 0.05);
  // Half the run was spent asleep...
  EXPECT_NEAR(ratio(throttled.stats.time_slept_throttle, throttled.stats.host_time), 0.5, 0.02);
  // ...and without icount the guest sees it: VIRTUAL is host running time.
  EXPECT_NEAR(ratio(throttled.stats.guest_time, unthrottled.stats.guest_time), 2.0, 0.05);
  EXPECT_EQ(throttled.stats.cpu_throttle, 50);
}

TEST(BoardThrottle, GuestTimedWorkTakesTheSameHostTimeButGetsHalfTheInstructions) {
  // The sleep is guest time too without icount, so a guest that waits for
  // mtime finishes on time, having executed about half as much.
  const GuestRun unthrottled = run_guest(kSpinOnMtime, board_options("", 0), 2us);
  const GuestRun throttled = run_guest(kSpinOnMtime, board_options("", 50), 2us);
  ASSERT_EQ(unthrottled.output, "T");
  ASSERT_EQ(throttled.output, "T");
  EXPECT_NEAR(ratio(unthrottled.stats.guest_time, 100ms), 1.0, 0.01);
  EXPECT_NEAR(ratio(throttled.stats.guest_time, 100ms), 1.0, 0.01);
  EXPECT_NEAR(ratio(throttled.stats.host_time, unthrottled.stats.host_time), 1.0, 0.02);
  EXPECT_NEAR(static_cast<double>(throttled.stats.instructions) /
                  static_cast<double>(unthrottled.stats.instructions),
              0.5, 0.05);
}

TEST(BoardThrottle, UnderIcountSleepOffTheGuestSeesNothingWhileTheHostSleeps) {
  const GuestRun unthrottled = run_guest(kFixedWork, board_options("shift=10,sleep=off", 0), 200us);
  const GuestRun throttled = run_guest(kFixedWork, board_options("shift=10,sleep=off", 50), 200us);
  ASSERT_EQ(unthrottled.outcome.kind, RunOutcome::Kind::kPoweroff);
  ASSERT_EQ(throttled.outcome.kind, RunOutcome::Kind::kPoweroff);
  // Same VIRTUAL to the nanosecond, same instructions, same output.
  EXPECT_EQ(throttled.stats.guest_time, unthrottled.stats.guest_time);
  EXPECT_EQ(throttled.stats.instructions, unthrottled.stats.instructions);
  EXPECT_EQ(throttled.stats.timers_fired, unthrottled.stats.timers_fired);
  EXPECT_EQ(throttled.output, unthrottled.output);
  EXPECT_EQ(throttled.output, "T\n");
  // The host paid for it: half of the run asleep, reported. (The running half
  // is longer than the unthrottled run here: each armed VIRTUAL_RT deadline
  // costs extra loop passes, and every pass reads the host clock, which this
  // manual clock charges 200 us for - a real read costs nanoseconds.)
  EXPECT_GT(unthrottled.stats.host_time, 200ms);
  EXPECT_EQ(unthrottled.stats.time_slept_throttle, 0ns);
  EXPECT_NEAR(ratio(throttled.stats.time_slept_throttle, throttled.stats.host_time), 0.5, 0.01);
  EXPECT_GE(throttled.stats.host_time - throttled.stats.time_slept_throttle,
            unthrottled.stats.host_time);
}

TEST(BoardThrottle, SetAndStopBetweenRuns) {
  ManualHostClock host;
  host.set_advance_per_read(100us);
  BufferConsole console;
  BootImages images;
  images.kernel = ImageFile{"test kernel", kSpinForever};
  auto created = Board::create(host, console, board_options("", 0), images);
  ASSERT_TRUE(created.ok()) << created.error();
  Board& board = **created;

  board.run(200ms);
  EXPECT_EQ(board.stats().cpu_throttle, 0);
  EXPECT_EQ(board.stats().time_slept_throttle, 0ns);

  board.throttle().set(50);
  EXPECT_EQ(board.throttle().percentage(), 50);
  // The sleep the first tick owes at once, then one of 10 ms every 20 ms.
  board.run(200ms);
  EXPECT_EQ(board.stats().cpu_throttle, 50);
  const Duration slept = board.stats().time_slept_throttle;
  EXPECT_EQ(slept, 110ms);

  board.throttle().set(80);  // already active: the next tick uses the new rate
  board.run(200ms);          // 10 ms running, then 40 ms asleep: four times
  EXPECT_EQ(board.stats().cpu_throttle, 80);
  EXPECT_EQ(board.stats().time_slept_throttle - slept, 160ms);

  board.throttle().stop();
  const Duration before = board.stats().time_slept_throttle;
  board.run(200ms);
  EXPECT_EQ(board.stats().cpu_throttle, 0);
  EXPECT_EQ(board.stats().time_slept_throttle, before);
}

// A console whose input polls (on the loop thread, during the run) start the
// throttle once guest time reaches `start` and stop it at `stop`.
class ThrottlingConsole final : public ConsoleBackend {
 public:
  ThrottlingConsole(GuestTime start, GuestTime stop) : start_(start), stop_(stop) {}
  void attach(Board& board) { board_ = &board; }
  void write(uint8_t) override {}
  std::optional<uint8_t> poll_input() override {
    if (board_ == nullptr) return std::nullopt;
    const GuestTime now = board_->guest_now();
    if (now >= stop_) board_->throttle().stop();
    else if (now >= start_ && !board_->throttle().active()) board_->throttle().set(50);
    return std::nullopt;
  }

 private:
  GuestTime start_, stop_;
  Board* board_ = nullptr;
};

TEST(BoardThrottle, SetAndStopFromTheLoopThreadDuringARun) {
  ManualHostClock host;
  host.set_advance_per_read(100us);
  ThrottlingConsole console(GuestTime::epoch() + 100ms, GuestTime::epoch() + 200ms);
  BootImages images;
  images.kernel = ImageFile{"test kernel", kSpinForever};
  auto created = Board::create(host, console, board_options("", 0), images);
  ASSERT_TRUE(created.ok()) << created.error();
  Board& board = **created;
  console.attach(board);
  board.run(300ms);
  // Throttled from 100 to 200 ms of guest time: about half of it asleep.
  const Duration slept = board.stats().time_slept_throttle;
  EXPECT_GE(slept, 50ms);
  EXPECT_LE(slept, 60ms);
  EXPECT_EQ(board.stats().cpu_throttle, 0);
  EXPECT_GE(board.stats().guest_time, 300ms);
}

TEST(BoardThrottle, AnIdleBoardSleepsOnlyForTheSliceItRan) {
  // The boot ROM and the first wfi run in the first pass, which pays the sleep
  // the first tick owed (10 ms at 50 %); after that every hart waits and
  // nothing more is slept, however long the guest idles.
  const GuestRun r = run_guest(kWaitForever, board_options("", 50), 0ns, 500ms);
  EXPECT_EQ(r.outcome.kind, RunOutcome::Kind::kTimeLimit);
  EXPECT_EQ(r.stats.guest_time, 500ms);
  EXPECT_EQ(r.stats.time_slept_throttle, 10ms);
}

}  // namespace
}  // namespace vtime
