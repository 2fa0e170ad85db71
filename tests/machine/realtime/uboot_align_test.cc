// Wall-clock acceptance of align: under --icount shift=4,align=on, U-Boot's
// `sleep 2` takes 2 s of host time to within 2 % (QEMU 7.2: 0.76 s, because its
// align does not hold on a loop that polls mtime). This measures the real host,
// so it runs alone (SERIAL in CMake), is skipped in unoptimised and sanitizer
// builds (too slow to keep up with 62.5 MIPS), and takes the best of three attempts: a host busy
// with something else can make the guest late (the aligner can only slow a
// guest down), which says nothing about align itself.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "tests/machine/uboot_run.h"
#include "vtime/time/system_host_clock.h"

namespace vtime {
namespace {

// The guest needs 62.5 MIPS from the interpreter: only optimised builds
// without sanitizers have that to spare.
#if !defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kTooSlow = true;
#else
constexpr bool kTooSlow = false;
#endif

TEST(UbootRealtime, UnderAlignSleepTwoTakesTwoSecondsOfHostTimeToTwoPercent) {
  if (!std::filesystem::exists(kUbootPath)) {
    GTEST_SKIP() << kUbootPath << " not found: install Debian's u-boot-qemu package";
  }
  if (kTooSlow) {
    GTEST_SKIP() << "host-speed test: needs an optimised build without sanitizers (release preset)";
  }
  Duration best = Duration::max();
  for (int attempt = 1; attempt <= 3; ++attempt) {
    SystemHostClock host;
    const UbootRun run = run_uboot(host, "shift=4,align=on");
    ASSERT_EQ(run.outcome.kind, RunOutcome::Kind::kPoweroff) << run.outcome.reason;
    ASSERT_GE(run.sleep_guest, kUbootSleepTwoShortest);
    ASSERT_LT(run.sleep_guest, kUbootSleepTwoLongest);
    std::printf("attempt %d: sleep 2 = guest %.6f s, host %.6f s\n", attempt,
                static_cast<double>(run.sleep_guest.count()) / 1e9,
                static_cast<double>(run.sleep_host.count()) / 1e9);
    const Duration error = run.sleep_host > 2s ? run.sleep_host - 2s : 2s - run.sleep_host;
    const Duration best_error = best > 2s ? best - 2s : 2s - best;
    if (best == Duration::max() || error < best_error) best = run.sleep_host;
    if (error <= 40ms) break;
  }
  EXPECT_GT(best, 1960ms) << "host time for 'sleep 2'";
  EXPECT_LT(best, 2040ms) << "host time for 'sleep 2'";
}

}  // namespace
}  // namespace vtime
