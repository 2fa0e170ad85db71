#include "vtime/machine/console_flusher.h"

#include <gtest/gtest.h>

#include <string>

#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

// A backend that shows what reached it and what it was asked to flush.
class Recording final : public ConsoleBackend {
 public:
  void write(uint8_t byte) override { buffered += static_cast<char>(byte); }
  std::optional<uint8_t> poll_input() override { return std::nullopt; }
  void flush() override {
    shown += buffered;
    buffered.clear();
  }
  std::string buffered, shown;
};

struct Rig {
  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  Recording backend;
  ConsoleFlusher flusher{backend, timers};
  void write(std::string_view s) {
    for (char c : s) flusher.write(static_cast<uint8_t>(c));
  }
};

TEST(ConsoleFlusher, APromptIsShownOneMillisecondOfHostTimeAfterItsFirstByte) {
  Rig rig;
  rig.write("=> ");
  EXPECT_TRUE(rig.flusher.pending());
  EXPECT_EQ(rig.timers.deadline_in(ClockId::kRealtime), 1ms);
  rig.host.advance(999us);
  rig.timers.run_due(ClockId::kRealtime);
  EXPECT_EQ(rig.backend.shown, "");
  rig.host.advance(1us);
  rig.write("x");  // later bytes do not push the deadline back
  rig.timers.run_due(ClockId::kRealtime);
  EXPECT_EQ(rig.backend.shown, "=> x");
  EXPECT_FALSE(rig.flusher.pending());
  EXPECT_EQ(rig.timers.deadline_in(ClockId::kRealtime), kNoDeadline);
}

TEST(ConsoleFlusher, AnExplicitFlushDisarmsTheTimer) {
  Rig rig;
  rig.write("login: ");
  rig.flusher.flush();
  EXPECT_EQ(rig.backend.shown, "login: ");
  EXPECT_EQ(rig.timers.deadline_in(ClockId::kRealtime), kNoDeadline);
  rig.write("a");
  EXPECT_EQ(rig.timers.deadline_in(ClockId::kRealtime), 1ms);
}

}  // namespace
}  // namespace vtime
