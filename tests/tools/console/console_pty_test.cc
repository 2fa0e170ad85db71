// The console as a person meets it: Debian's U-Boot under `vtime run` on a real
// pseudo-terminal. Prompts appear without a newline after them or a key
// pressed, typed keys echo, Ctrl-C reaches the guest, and the escape keys
// work, with the terminal's settings restored at exit.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/tools/console/pty_session.h"

namespace vtime {
namespace {

using testing::PtySession;

constexpr const char* kUboot = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin";

class ConsolePty : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::ifstream(kUboot)) GTEST_SKIP() << kUboot << " is missing: install u-boot-qemu";
  }
  static std::vector<std::string> vtime_run(std::vector<std::string> options) {
    std::vector<std::string> argv = {VTIME_BINARY, "run", "--bios", kUboot, "--report", "text"};
    argv.insert(argv.end(), options.begin(), options.end());
    return argv;
  }
};

TEST_F(ConsolePty, PromptAppearsWithoutAKeyAndTypedKeysEchoOneByOne) {
  PtySession s(vtime_run({"--icount", "shift=4,sleep=off"}));
  ASSERT_TRUE(s.started());
  // The countdown line ends without a newline, and so does the prompt.
  ASSERT_TRUE(s.expect("Hit any key to stop autoboot:")) << s.output();
  ASSERT_TRUE(s.expect("\r\n=> ")) << s.output();
  for (char c : std::string("version")) {
    s.type(std::string(1, c));
    ASSERT_TRUE(s.expect(std::string(1, c))) << "no echo of '" << c << "': " << s.output();
  }
  s.type("\r");
  ASSERT_TRUE(s.expect("U-Boot 20")) << s.output();
  ASSERT_TRUE(s.expect("=> ")) << s.output();
  s.type("\x01x");
  EXPECT_EQ(s.wait_exit(), 0);
  EXPECT_NE(s.output().find("exit                  quit from the console (status 0)"), std::string::npos)
      << s.output();
}

TEST_F(ConsolePty, AKeyDuringTheCountdownStopsAutoboot) {
  // In real time the countdown lasts 2 s of host time: the key typed when its
  // first digit shows arrives well inside it.
  PtySession s(vtime_run({}));
  ASSERT_TRUE(s.started());
  ASSERT_TRUE(s.expect("Hit any key to stop autoboot:  2")) << s.output();
  s.type(" ");
  ASSERT_TRUE(s.expect("=> ")) << s.output();
  EXPECT_EQ(s.output().find("scanning bus"), std::string::npos) << "autoboot went on: " << s.output();
  s.type("\x01x");
  EXPECT_EQ(s.wait_exit(), 0);
}

TEST_F(ConsolePty, CtrlCReachesTheGuestAndEndsItsSleep) {
  PtySession s(vtime_run({}));
  ASSERT_TRUE(s.started());
  ASSERT_TRUE(s.expect("autoboot:")) << s.output();
  s.type(" ");
  ASSERT_TRUE(s.expect("=> ")) << s.output();
  s.type("sleep 10\r");
  ASSERT_TRUE(s.expect("sleep 10\r")) << s.output();  // its echo: the command runs
  const HostTime typed = s.clock().now();
  s.type("\x03");  // Ctrl-C: to the guest, not a signal to vtime
  ASSERT_TRUE(s.expect("=> ", 30s)) << s.output();
  EXPECT_LT(s.clock().now() - typed, 8s) << "sleep 10 was not interrupted";
  s.type("\x01x");
  EXPECT_EQ(s.wait_exit(), 0);
}

TEST_F(ConsolePty, EscapeKeysHelpAndExitRestoreTheTerminal) {
  PtySession s(vtime_run({"--icount", "shift=4,sleep=off"}));
  ASSERT_TRUE(s.started());
  const termios before = PtySession::cooked();
  ASSERT_TRUE(s.expect("=> ")) << s.output();
  const termios raw = s.settings();
  EXPECT_EQ(raw.c_lflag & (ICANON | ECHO | ISIG), 0u) << "the terminal is not raw while vtime runs";
  s.type("\x01h");
  ASSERT_TRUE(s.expect("C-a x    exit vtime")) << s.output();
  s.type("\x01x");
  EXPECT_EQ(s.wait_exit(), 0);
  const termios after = s.settings();
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_iflag, before.c_iflag);
  EXPECT_EQ(after.c_oflag, before.c_oflag);
}

TEST_F(ConsolePty, EchrPicksAnotherEscapeKey) {
  PtySession s(vtime_run({"--icount", "shift=4,sleep=off", "-echr", "0x14"}));
  ASSERT_TRUE(s.started());
  ASSERT_TRUE(s.expect("=> ")) << s.output();
  s.type("\x14h");
  ASSERT_TRUE(s.expect("C-t x    exit vtime")) << s.output();
  s.type("\x14x");
  EXPECT_EQ(s.wait_exit(), 0);
}

TEST_F(ConsolePty, CtrlACOpensTheMonitorWhereStopAndContWork) {
  PtySession s(vtime_run({"--icount", "shift=4,sleep=off"}));
  ASSERT_TRUE(s.started());
  ASSERT_TRUE(s.expect("=> ")) << s.output();
  s.type("\x01" "c");
  ASSERT_TRUE(s.expect("(vtime) ")) << s.output();
  s.type("info status\r");
  ASSERT_TRUE(s.expect("VM status: running")) << s.output();
  s.type("stop\r");
  ASSERT_TRUE(s.expect("(vtime) ")) << s.output();
  s.type("info status\r");
  ASSERT_TRUE(s.expect("VM status: paused")) << s.output();
  s.type("cont\r");
  ASSERT_TRUE(s.expect("(vtime) ")) << s.output();
  s.type("\x01" "c");  // back to the guest: U-Boot answers again
  s.type("version\r");
  ASSERT_TRUE(s.expect("U-Boot 20")) << s.output();
  s.type("\x01x");
  EXPECT_EQ(s.wait_exit(), 0);
}

}  // namespace
}  // namespace vtime
