#include "vtime/machine/replay_session.h"

#include <gtest/gtest.h>

#include "vtime/icount/icount_options.h"

#include <vector>

namespace vtime {
namespace {

using namespace std::chrono_literals;

// A position the test moves by hand.
struct Where {
  ReplaySession::Position now{0, GuestTime::epoch()};
  std::function<ReplaySession::Position()> fn() {
    return [this] { return now; };
  }
  void at(uint64_t retired, Duration t) { now = {retired, GuestTime::epoch() + t}; }
};

TEST(ReplaySession, RecordingLogsWhatTheConsoleGaveAtItsPositionAndEndsWithTheEnd) {
  BufferConsole console;
  Where w;
  ReplaySession rec(ReplayMode::kRecord, console, w.fn());
  w.at(100, 1ms);
  EXPECT_FALSE(rec.poll_input());  // nothing typed: nothing logged
  console.feed("hi");
  EXPECT_EQ(rec.poll_input(), 'h');
  EXPECT_EQ(rec.poll_input(), 'i');
  w.at(250, 2ms);
  rec.record_idle(3ms);
  w.at(400, 9ms);
  const std::vector<ReplayEvent>& log = rec.finish_recording();
  using K = ReplayEvent::Kind;
  const GuestTime t0 = GuestTime::epoch();
  EXPECT_EQ(log, (std::vector<ReplayEvent>{{K::kConsoleByte, 100, t0 + 1ms, 'h'},
                                           {K::kConsoleByte, 100, t0 + 1ms, 'i'},
                                           {K::kIdle, 250, t0 + 2ms, 3'000'000},
                                           {K::kEnd, 400, t0 + 9ms, 0}}));
}

TEST(ReplaySession, ReplayHandsBackInputOnlyAtItsPositionAndDropsTheHosts) {
  BufferConsole console;
  Where w;
  ReplaySession rep(ReplayMode::kReplay, console, w.fn());
  using K = ReplayEvent::Kind;
  const GuestTime t0 = GuestTime::epoch();
  rep.start_replay({{K::kConsoleByte, 100, t0 + 1ms, 'x'}, {K::kIdle, 200, t0 + 2ms, 500}, {K::kEnd, 300, t0 + 3ms, 0}});
  console.feed("typed now");
  w.at(50, 500us);
  EXPECT_FALSE(rep.poll_input()) << "not yet";
  w.at(100, 1ms);
  EXPECT_EQ(rep.poll_input(), 'x');
  EXPECT_FALSE(rep.poll_input());
  EXPECT_FALSE(console.poll_input()) << "the host's input was read and dropped";
  w.at(200, 2ms);
  EXPECT_EQ(rep.replay_idle(), Duration(500));
  w.at(300, 3ms);
  rep.reached_end();
  EXPECT_FALSE(rep.failure()) << *rep.failure();
}

TEST(ReplaySession, PassingAnEventWithoutMeetingItIsADivergenceNamingBothPositions) {
  BufferConsole console;
  Where w;
  ReplaySession rep(ReplayMode::kReplay, console, w.fn());
  using K = ReplayEvent::Kind;
  rep.start_replay({{K::kConsoleByte, 100, GuestTime::epoch() + 1ms, 'x'}, {K::kEnd, 300, GuestTime::epoch() + 3ms, 0}});
  w.at(120, 1200us);
  EXPECT_FALSE(rep.poll_input());
  ASSERT_TRUE(rep.failure());
  EXPECT_EQ(*rep.failure(),
            "the replay diverged: the log has console input at instruction 100 (1000000 ns), but the run is at "
            "instruction 120 (1200000 ns) without having met it");
}

TEST(ReplaySession, AnIdleTheLogDoesNotHaveIsADivergence) {
  BufferConsole console;
  Where w;
  ReplaySession rep(ReplayMode::kReplay, console, w.fn());
  using K = ReplayEvent::Kind;
  rep.start_replay({{K::kIdle, 100, GuestTime::epoch() + 1ms, 5}, {K::kEnd, 300, GuestTime::epoch() + 3ms, 0}});
  w.at(90, 900us);
  EXPECT_FALSE(rep.replay_idle());
  ASSERT_TRUE(rep.failure());
  EXPECT_EQ(*rep.failure(), "the replay diverged: every hart idles at instruction 90 (900000 ns), where the log has an idle advance");
}

TEST(ReplaySession, ReachingTheEndAtAnotherCountIsADivergence) {
  BufferConsole console;
  Where w;
  ReplaySession rep(ReplayMode::kReplay, console, w.fn());
  rep.start_replay({{ReplayEvent::Kind::kEnd, 300, GuestTime::epoch() + 3ms, 0}});
  w.at(301, 3ms);
  rep.reached_end();
  ASSERT_TRUE(rep.failure());
  EXPECT_NE(rep.failure()->find("the recording ended at instruction 300"), std::string::npos) << *rep.failure();
}

TEST(ReplayLog, RoundTripsAndRefusesWhatIsNotAFittingLog) {
  BoardOptions options;
  options.icount = *parse_icount_options("shift=4");
  using K = ReplayEvent::Kind;
  const std::vector<ReplayEvent> events = {{K::kConsoleBreak, 7, GuestTime::epoch() + 1us, 0},
                                           {K::kEnd, 9, GuestTime::epoch() + 2us, 0}};
  const std::vector<uint8_t> file = encode_replay_log(options, events);
  Result<std::vector<ReplayEvent>> back = decode_replay_log(options, file);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(*back, events);

  BoardOptions two = options;
  two.harts = 2;
  EXPECT_EQ(decode_replay_log(two, file).error(),
            "replay log refused: the replay log was recorded with harts (--smp) 1, but this machine has 2.");
  const std::vector<ReplayEvent> out_of_order = {{K::kIdle, 9, GuestTime::epoch(), 1}, {K::kEnd, 7, GuestTime::epoch(), 0}};
  EXPECT_EQ(decode_replay_log(options, encode_replay_log(options, out_of_order)).error(),
            "replay log refused: the replay log's events: its events are out of order.");
  const std::vector<ReplayEvent> no_end = {{K::kIdle, 9, GuestTime::epoch(), 1}};
  EXPECT_EQ(decode_replay_log(options, encode_replay_log(options, no_end)).error(),
            "replay log refused: the replay log's events: it has no end event.");
  std::vector<uint8_t> cut(file.begin(), file.end() - 5);
  EXPECT_EQ(decode_replay_log(options, cut).error().rfind("replay log refused: it is truncated", 0), 0u);
}

}  // namespace
}  // namespace vtime
