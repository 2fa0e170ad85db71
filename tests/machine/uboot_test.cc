// Debian's M-mode U-Boot for QEMU's virt board (package u-boot-qemu) on the
// reference board: it boots to its prompt, answers `version`, `sleep 2` takes
// 2 s of guest time, and `poweroff` ends the run. Under align it must also take
// 2 s of host time (QEMU 7.2 takes 0.76 s: its align does not hold on U-Boot's
// mtime-polling loop). Skipped, saying so, when the package is not installed.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/machine/uboot_run.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

class Uboot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kUbootPath)) {
      GTEST_SKIP() << kUbootPath << " not found: install Debian's u-boot-qemu package to run the "
                   << "U-Boot tests";
    }
  }
};

TEST_F(Uboot, BootsToItsPromptAnswersVersionAndSleepsTwoSecondsOfGuestTime) {
  ManualHostClock host;  // sleep=off: nothing depends on the host
  const UbootRun run = run_uboot(host, "shift=4,sleep=off");
  EXPECT_EQ(run.outcome.kind, RunOutcome::Kind::kPoweroff) << run.outcome.reason << "\n" << run.output;
  EXPECT_NE(run.output.find("U-Boot 20"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("=> version"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("riscv64-linux-gnu-gcc"), std::string::npos) << run.output;
  // U-Boot's sleep counts 2,000 whole milliseconds of mtime (see uboot_run.h).
  EXPECT_GE(run.sleep_guest, kUbootSleepTwoShortest);
  EXPECT_LT(run.sleep_guest, kUbootSleepTwoLongest);
}

}  // namespace
}  // namespace vtime
