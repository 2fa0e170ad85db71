// The board's idle waits end to end, on the manual host clock: the
// idle_latency guest (CLINT interrupts every 1 ms while it sleeps in wfi) with
// a host that wakes every wait 150 us late. Under icount sleep=on the
// lateness is repaid, so guest time keeps the host's pace; without icount the
// early wake-up hides the latency from the guest. The plain baseline shows
// what each would cost otherwise.
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/time/manual_host_clock.h"

extern const unsigned char kIdleLatencyGuest[];
extern const std::size_t kIdleLatencyGuestSize;

namespace vtime {
namespace {

constexpr int kInterrupts = 200;
constexpr Duration kLatency = 150us;

struct IdleRun {
  BoardStats stats;
  std::string output;
};

struct IdleSetup {
  Duration wake_latency = kLatency;
  int period_us = 1000;
  std::optional<Duration> initial_margin;  // the waiter's default when absent
};

IdleRun run_idle_guest(const std::string& icount, bool plain, const IdleSetup& setup = {}) {
  ManualHostClock host;
  host.set_wake_latency(setup.wake_latency);
  BufferConsole console;
  BoardOptions options;
  options.ram_bytes = 16ull << 20;
  if (!icount.empty()) options.icount = *parse_icount_options(icount);
  if (plain) {
    options.idle_wait.early_wake = false;
    options.repay_idle_lateness = false;
  }
  if (setup.initial_margin) options.idle_wait.initial_margin = *setup.initial_margin;
  options.bootargs = "count=" + std::to_string(kInterrupts) + " period_us=" + std::to_string(setup.period_us) +
                     " latency=on";
  BootImages images;
  images.kernel =
      ImageFile{"idle_latency", std::vector<uint8_t>(kIdleLatencyGuest, kIdleLatencyGuest + kIdleLatencyGuestSize)};
  auto board = Board::create(host, console, options, images);
  EXPECT_TRUE(board.ok()) << (board.ok() ? "" : board.error());
  if (!board.ok()) return {};
  const RunOutcome outcome = (*board)->run(5s);
  EXPECT_EQ(outcome.kind, RunOutcome::Kind::kPoweroff) << outcome.reason << "\n" << console.output();
  return {(*board)->stats(), console.output()};
}

bool has_line(const std::string& out, const std::string& line) { return out.find(line + "\n") != std::string::npos; }

class IdleWaitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kIdleLatencyGuestSize == 0) GTEST_SKIP() << "built without the RISC-V cross compiler";
  }
};

// The guest-measured latency distribution the guest printed: p50, p99, max (ns).
std::vector<long long> latency_line(const std::string& out) {
  const size_t at = out.find("latency ns p50 ");
  long long p50 = -1, p99 = -1, max = -1;
  if (at != std::string::npos) std::sscanf(out.c_str() + at, "latency ns p50 %lld p99 %lld max %lld", &p50, &p99, &max);
  return {p50, p99, max};
}

TEST_F(IdleWaitTest, UnderSleepOnLatenessIsRepaidSoHostTimeKeepsToGuestTime) {
  const IdleRun run = run_idle_guest("shift=4", false);
  const IdleRun plain = run_idle_guest("shift=4", true);
  for (const IdleRun* r : {&run, &plain}) {
    EXPECT_TRUE(has_line(r->output, "idle_latency: 200 interrupts every 1000 us in wfi, 0 early")) << r->output;
  }
  // The guest's boot instructions take guest time and (here) no host time, so
  // host - guest starts negative; from there the plain waits lose 150 us per
  // interrupt and the board's waits at most one latency in all.
  const Duration behind = run.stats.host_time - run.stats.guest_time;
  const Duration plain_behind = plain.stats.host_time - plain.stats.guest_time;
  EXPECT_LE(behind, kLatency);
  EXPECT_GE(plain_behind - behind, (kInterrupts - 1) * kLatency);
  EXPECT_EQ(run.stats.idle.margin, kLatency);
  EXPECT_GT(run.stats.idle.repaid, Duration(0));
  EXPECT_EQ(run.stats.idle.repaid + run.stats.idle.owed, run.stats.idle.lateness);
  EXPECT_EQ(plain.stats.idle.repaid, Duration(0));
}

TEST_F(IdleWaitTest, WithoutIcountTheGuestSeesNoneOfTheHostsWakeUpLatency) {
  const IdleRun run = run_idle_guest("", false);
  const IdleRun plain = run_idle_guest("", true);
  EXPECT_TRUE(has_line(run.output, "idle_latency: 200 interrupts every 1000 us in wfi, 0 early")) << run.output;
  // Late only while the margin is learned (the first few waits).
  const std::vector<long long> latency = latency_line(run.output);
  EXPECT_EQ(latency[0], 0) << run.output;
  EXPECT_LE(latency[2], 150'000) << run.output;
  EXPECT_EQ(run.stats.idle.margin, kLatency);
  // Plain host waits: every interrupt a latency late.
  EXPECT_TRUE(has_line(plain.output, "idle_latency: latency ns p50 150000 p99 150000 max 150000")) << plain.output;
}

// Console polls are due every 1 ms of guest time and every 10 ms of host time;
// with a 1.5 ms period every other guest deadline comes 0.5 ms after one. A
// wait that ended at the poll with a plain host wait would wake 700 us late,
// past the guest's deadline; the board waits for the guest's deadline instead
// (the margin is known from the start here, so no wait is late at all).
TEST_F(IdleWaitTest, WithoutIcountAConsolePollJustBeforeAGuestDeadlineDoesNotMakeItLate) {
  const IdleRun run = run_idle_guest("", false, {.wake_latency = 700us, .period_us = 1500, .initial_margin = 800us});
  EXPECT_TRUE(has_line(run.output, "idle_latency: 200 interrupts every 1500 us in wfi, 0 early")) << run.output;
  EXPECT_TRUE(has_line(run.output, "idle_latency: latency ns p50 0 p99 0 max 0")) << run.output;
  EXPECT_EQ(run.stats.idle.late_wakeups, 0u);
}

}  // namespace
}  // namespace vtime
