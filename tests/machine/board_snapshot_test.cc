// Whole-board snapshots, in process, on the manual host clock: a restored board
// is the saved one (it saves the same bytes, and runs on to the same output and
// counts), guest time continues whatever the host clock reads, and a file that
// is corrupt or from another machine is refused without changing anything.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/machine/snapshot_file.h"
#include "vtime/time/manual_host_clock.h"

extern const unsigned char kRaceGuest[];
extern const std::size_t kRaceGuestSize;
extern const unsigned char kTimerCostGuest[];
extern const std::size_t kTimerCostGuestSize;

namespace vtime {
namespace {

using namespace std::chrono_literals;

struct Guest {
  const unsigned char* bytes;
  std::size_t size;
};
const Guest kRace{kRaceGuest, kRaceGuestSize};
const Guest kTimerCost{kTimerCostGuest, kTimerCostGuestSize};

BoardOptions options_for(unsigned harts, const std::string& icount) {
  BoardOptions o;
  o.ram_bytes = 16ull << 20;
  o.harts = harts;
  if (!icount.empty()) o.icount = *parse_icount_options(icount);
  return o;
}

// Every optional timer device: their state travels too.
BoardOptions with_every_timer_device(BoardOptions o) {
  o.timer_devices = {.lapic_timer = true, .pv_clockevent = true, .pvclock = true, .hpet = HpetDriftfix::kSlew};
  return o;
}

struct Machine {
  ManualHostClock host;
  BufferConsole console;
  std::unique_ptr<Board> board;

  Machine(const BoardOptions& options, const Guest& guest) {
    BootImages images;
    images.kernel = ImageFile{"guest", std::vector<uint8_t>(guest.bytes, guest.bytes + guest.size)};
    auto created = Board::create(host, console, options, images);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error());
    if (created.ok()) board = std::move(created).value();
  }
  std::string output() { return console.output(); }
};

class BoardSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kRaceGuestSize == 0 || kTimerCostGuestSize == 0) GTEST_SKIP() << "built without the RISC-V cross compiler";
  }
};

struct Case {
  const char* name;
  Guest guest;
  BoardOptions options;
  Duration save_at;
};

std::vector<Case> cases() {
  return {{"race, 1 hart, shift=0", kRace, options_for(1, "shift=0,sleep=off"), 3ms},
          {"race, 2 harts, shift=4", kRace, options_for(2, "shift=4,sleep=off"), 7ms},
          {"race, 4 harts, shift=0", kRace, options_for(4, "shift=0,sleep=off"), 2ms},
          {"timer_cost, every timer device, shift=0", kTimerCost,
           with_every_timer_device(options_for(1, "shift=0,sleep=off")), 60ms},
          {"timer_cost, every timer device, shift=auto (sleep=on)", kTimerCost,
           with_every_timer_device(options_for(1, "shift=auto")), 40ms}};
}

TEST_F(BoardSnapshot, ARestoredBoardSavesExactlyWhatWasSaved) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    Machine saved(c.options, c.guest);
    ASSERT_EQ(saved.board->run(c.save_at).kind, RunOutcome::Kind::kTimeLimit) << saved.output();
    const std::vector<uint8_t> file = saved.board->save_snapshot();
    Machine restored(c.options, c.guest);
    ASSERT_TRUE(restored.board->load_snapshot(file).ok());
    // Every field of every component, armed timers included, is in the file:
    // equal files mean equal state.
    EXPECT_EQ(restored.board->save_snapshot(), file);
    EXPECT_EQ(restored.board->guest_now(), saved.board->guest_now());
  }
}

TEST_F(BoardSnapshot, RunningOnFromARestoredBoardIsRunningOnWithoutTheSave) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    Machine plain(c.options, c.guest);
    ASSERT_EQ(plain.board->run().kind, RunOutcome::Kind::kPoweroff) << plain.output();

    Machine saved(c.options, c.guest);
    ASSERT_EQ(saved.board->run(c.save_at).kind, RunOutcome::Kind::kTimeLimit);
    const std::string before = saved.output();
    const std::vector<uint8_t> file = saved.board->save_snapshot();
    ASSERT_EQ(saved.board->run().kind, RunOutcome::Kind::kPoweroff);
    EXPECT_EQ(saved.output(), plain.output()) << "saving changed the run";

    Machine restored(c.options, c.guest);
    restored.host.advance(1000s);  // another host, whose clocks read something else
    ASSERT_TRUE(restored.board->load_snapshot(file).ok());
    ASSERT_EQ(restored.board->run().kind, RunOutcome::Kind::kPoweroff);
    ASSERT_LT(before.size(), plain.output().size());
    EXPECT_EQ(restored.output(), plain.output().substr(before.size()));
    EXPECT_EQ(restored.board->stats().instructions, plain.board->stats().instructions);
    EXPECT_EQ(restored.board->stats().guest_time, plain.board->stats().guest_time);
    EXPECT_EQ(restored.board->stats().timers_fired, plain.board->stats().timers_fired);
  }
}

TEST_F(BoardSnapshot, LoadingAnEarlierSnapshotInPlaceGoesBackAndRunsTheSameAgain) {
  const BoardOptions options = options_for(2, "shift=4,sleep=off");
  Machine m(options, kRace);
  ASSERT_EQ(m.board->run(5ms).kind, RunOutcome::Kind::kTimeLimit);
  const GuestTime at_save = m.board->guest_now();
  const std::vector<uint8_t> file = m.board->save_snapshot();
  const size_t before = m.output().size();
  ASSERT_EQ(m.board->run().kind, RunOutcome::Kind::kPoweroff);
  const std::string first = m.output().substr(before);
  const uint64_t instructions = m.board->stats().instructions;

  ASSERT_TRUE(m.board->load_snapshot(file).ok());
  EXPECT_EQ(m.board->guest_now(), at_save) << "VIRTUAL goes back to the saved instant";
  const size_t reloaded = m.output().size();
  ASSERT_EQ(m.board->run().kind, RunOutcome::Kind::kPoweroff);
  EXPECT_EQ(m.output().substr(reloaded), first);
  EXPECT_EQ(m.board->stats().instructions, instructions);
}

TEST_F(BoardSnapshot, WithoutIcountGuestTimeContinuesFromTheSavedValueOnAnyHost) {
  const BoardOptions options = options_for(1, "");
  Machine saved(options, kRace);
  saved.board->resume();  // guest time follows the host from here
  saved.host.advance(3ms);
  const GuestTime at_save = saved.board->guest_now();
  const std::vector<uint8_t> file = saved.board->save_snapshot();

  Machine restored(options, kRace);
  restored.host.advance(12345s);
  ASSERT_TRUE(restored.board->load_snapshot(file).ok());
  EXPECT_EQ(restored.board->guest_now(), at_save);
  restored.host.advance(2ms);  // guest time follows the new host from there
  EXPECT_EQ(restored.board->guest_now(), at_save + 2ms);
}

TEST_F(BoardSnapshot, ACorruptOrTruncatedFileIsRefusedAndChangesNothing) {
  const BoardOptions options = options_for(2, "shift=4,sleep=off");
  Machine source(options, kRace);
  ASSERT_EQ(source.board->run(4ms).kind, RunOutcome::Kind::kTimeLimit);
  const std::vector<uint8_t> file = source.board->save_snapshot();

  Machine target(options, kRace);
  ASSERT_EQ(target.board->run(1ms).kind, RunOutcome::Kind::kTimeLimit);
  const std::vector<uint8_t> untouched = target.board->save_snapshot();
  auto refused = [&](const std::vector<uint8_t>& bad, const std::string& what) {
    const Status s = target.board->load_snapshot(bad);
    EXPECT_FALSE(s.ok()) << what;
    if (!s.ok()) {
      EXPECT_EQ(s.error().find('\n'), std::string::npos) << s.error();
      EXPECT_EQ(s.error().rfind("snapshot refused: ", 0), 0u) << s.error();
    }
  };
  for (size_t len : {size_t{0}, size_t{7}, size_t{20}, size_t{100}, file.size() / 2, file.size() - 1}) {
    refused({file.begin(), file.begin() + static_cast<std::ptrdiff_t>(len)}, "truncated to " + std::to_string(len));
  }
  for (size_t pos = 0; pos < file.size(); pos += 1 + file.size() / 61) {
    std::vector<uint8_t> flipped = file;
    flipped[pos] ^= 0x10;
    refused(flipped, "byte " + std::to_string(pos) + " flipped");
  }
  std::vector<uint8_t> longer = file;
  longer.push_back(0);
  refused(longer, "a byte appended");
  EXPECT_EQ(target.board->save_snapshot(), untouched) << "a refused load changed the machine";
}

TEST_F(BoardSnapshot, AFileFromADifferentlyConfiguredMachineNamesTheDifference) {
  Machine source(options_for(2, "shift=4,sleep=off"), kRace);
  const std::vector<uint8_t> file = source.board->save_snapshot();
  struct Other {
    BoardOptions options;
    std::string named;
  };
  BoardOptions more_ram = options_for(2, "shift=4,sleep=off");
  more_ram.ram_bytes = 32ull << 20;
  const std::vector<Other> others = {
      {options_for(1, "shift=4,sleep=off"), "harts (--smp) 2, but this machine has 1"},
      {more_ram, "RAM bytes (-m)"},
      {options_for(2, "shift=3,sleep=off"), "icount (--icount) shift=4"},
      {options_for(2, ""), "but this machine has off"},
      {with_every_timer_device(options_for(2, "shift=4,sleep=off")), "HPET (--hpet) off"}};
  for (const Other& o : others) {
    Machine target(o.options, kRace);
    const Status s = target.board->load_snapshot(file);
    ASSERT_FALSE(s.ok()) << o.named;
    EXPECT_NE(s.error().find(o.named), std::string::npos) << s.error();
  }
}

TEST_F(BoardSnapshot, SaveAtStopsAtTheRequestedGuestTimeAndGoesOn) {
  const BoardOptions options = options_for(2, "shift=4,sleep=off");
  Machine plain(options, kRace);
  ASSERT_EQ(plain.board->run().kind, RunOutcome::Kind::kPoweroff);

  const std::string path = ::testing::TempDir() + "vtime_save_at.snap";
  Machine m(options, kRace);
  m.board->save_snapshot_at(GuestTime::epoch() + 6ms, path);
  ASSERT_EQ(m.board->run().kind, RunOutcome::Kind::kPoweroff);
  EXPECT_EQ(m.output(), plain.output());

  Machine restored(options, kRace);
  ASSERT_TRUE(restored.board->load_snapshot_from(path).ok());
  EXPECT_GE(restored.board->guest_now(), GuestTime::epoch() + 6ms);
  EXPECT_LT(restored.board->guest_now(), GuestTime::epoch() + 6ms + 16ns * 2) << "within an instruction of it";
  ASSERT_EQ(restored.board->run().kind, RunOutcome::Kind::kPoweroff);
  EXPECT_EQ(restored.board->stats().instructions, plain.board->stats().instructions);
  std::remove(path.c_str());
}

TEST_F(BoardSnapshot, ASaveThatCannotBeWrittenEndsTheRunWithTheReason) {
  Machine m(options_for(1, "shift=4,sleep=off"), kRace);
  m.board->save_snapshot_at(GuestTime::epoch() + 1ms, "/nonexistent-dir/x.snap");
  const RunOutcome outcome = m.board->run();
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::kFailure);
  EXPECT_EQ(outcome.reason, "savevm failed: cannot write snapshot /nonexistent-dir/x.snap.");
}

TEST_F(BoardSnapshot, AMissingFileIsNamed) {
  Machine m(options_for(1, "shift=4,sleep=off"), kRace);
  const Status s = m.board->load_snapshot_from("/nonexistent.snap");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error(), "cannot open snapshot /nonexistent.snap.");
}

// The file with one section's bytes changed by `edit` (checksums made valid).
std::vector<uint8_t> with_section_edited(const std::vector<uint8_t>& file, const std::string& tag,
                                         const std::function<void(std::vector<uint8_t>&)>& edit) {
  std::vector<SnapshotSection> sections = *decode_snapshot(file, 1ull << 32);
  for (SnapshotSection& sec : sections) {
    if (sec.tag == tag) edit(sec.bytes);
  }
  return encode_snapshot(sections);
}

void put_u64(std::vector<uint8_t>& bytes, size_t at, uint64_t v) {
  for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

// Found by fuzz_snapshot: a file whose instruction period is zero asserted in the
// engine, and one whose period was a few 2^-32 ns let a run bounded in guest
// time last practically forever. Both are refused with the reason.
TEST_F(BoardSnapshot, AnInstructionPeriodTheOptionsCannotGiveIsRefused) {
  const BoardOptions options = options_for(1, "shift=4,sleep=off");
  Machine source(options, kRace);
  ASSERT_EQ(source.board->run(1ms).kind, RunOutcome::Kind::kTimeLimit);
  const std::vector<uint8_t> file = source.board->save_snapshot();
  // ICNT: u8 mode, u64 harts, i64 bias, u64 since rebias, u64 clock period, ..., u64 nominal.
  constexpr size_t kClockPeriod = 1 + 8 + 8 + 8, kNominal = kClockPeriod + 8 + 8;
  struct Bad {
    size_t at;
    uint64_t value;
    const char* named;
  };
  for (const Bad& bad : {Bad{kNominal, 0, "the instruction period is zero"},
                         Bad{kClockPeriod, 1, "not the nominal one shared by the runnable harts"},
                         Bad{kNominal, 1, "is not one these options give"}}) {
    Machine target(options, kRace);
    const Status s = target.board->load_snapshot(
        with_section_edited(file, "ICNT", [&](std::vector<uint8_t>& b) { put_u64(b, bad.at, bad.value); }));
    ASSERT_FALSE(s.ok()) << bad.named;
    EXPECT_NE(s.error().find(bad.named), std::string::npos) << s.error();
  }
}

// Found by fuzz_snapshot: a configuration value with a line break in it was
// quoted as it was, so the refusal took two lines.
TEST_F(BoardSnapshot, AConfigurationValueWithControlBytesIsQuotedOnOneLine) {
  const BoardOptions options = options_for(1, "shift=4,sleep=off");
  Machine source(options, kRace);
  const std::vector<uint8_t> file = with_section_edited(source.board->save_snapshot(), "CONF", [](std::vector<uint8_t>& b) {
    StateWriter conf;
    conf.u64(1);
    const std::string name = "harts (--smp)", value = "1\nmore";
    conf.blob({reinterpret_cast<const uint8_t*>(name.data()), name.size()});
    conf.blob({reinterpret_cast<const uint8_t*>(value.data()), value.size()});
    b = conf.take();
  });
  Machine target(options, kRace);
  const Status s = target.board->load_snapshot(file);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().find('\n'), std::string::npos) << s.error();
  EXPECT_NE(s.error().find("harts (--smp) 1\\nmore, but this machine has 1"), std::string::npos) << s.error();
}

// Found by fuzz_snapshot: a CPU throttle restored owing years of sleep made the
// next pass of the run loop sleep for as long.
TEST_F(BoardSnapshot, AThrottleOwingMoreThanOneSliceIsRefused) {
  const BoardOptions options = options_for(1, "shift=4,sleep=off");
  Machine source(options, kRace);
  const std::vector<uint8_t> file = with_section_edited(source.board->save_snapshot(), "THRT", [](std::vector<uint8_t>& b) {
    put_u64(b, 4, static_cast<uint64_t>(int64_t{1} << 62));  // THRT: u32 percent, then the owed sleep
  });
  Machine target(options, kRace);
  const Status s = target.board->load_snapshot(file);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("the CPU throttle's owed or slept time is out of range"), std::string::npos) << s.error();
}

// Found by fuzz_snapshot: a console poll restored with a deadline far in the
// past fired again and again to catch up, one period at a time, so the run
// never came back. A late poll now re-arms one period from now.
TEST_F(BoardSnapshot, AConsolePollDeadlineFarInThePastDoesNotFireToCatchUp) {
  const BoardOptions options = options_for(1, "shift=0,sleep=off");
  Machine source(options, kRace);
  ASSERT_EQ(source.board->run(5ms).kind, RunOutcome::Kind::kTimeLimit);
  const std::vector<uint8_t> file = with_section_edited(source.board->save_snapshot(), "LOOP", [](std::vector<uint8_t>& b) {
    // LOOP: u64 line count, a flag per line, the turn scheduler (u64, u64, flag,
    // u64), then the guest-time console poll's deadline: 146 years before the epoch.
    uint64_t lines = 0;
    for (int i = 0; i < 8; ++i) lines |= uint64_t{b[i]} << (8 * i);
    put_u64(b, 8 + lines + 8 + 8 + 1 + 8, static_cast<uint64_t>(-(int64_t{1} << 62)));
  });
  Machine target(options, kRace);
  ASSERT_TRUE(target.board->load_snapshot(file).ok());
  const uint64_t before = target.board->stats().timers_fired;
  ASSERT_EQ(target.board->run(1ms).kind, RunOutcome::Kind::kTimeLimit);
  // Without the rule the poll would fire 4.6e12 times before the run came back.
  EXPECT_LT(target.board->stats().timers_fired - before, 100u);
}

}  // namespace
}  // namespace vtime
