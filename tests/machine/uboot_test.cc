// Debian's M-mode U-Boot for QEMU's virt board (package u-boot-qemu) on the
// reference board: it boots to its prompt, answers `version`, `sleep 2` takes
// 2 s of guest time, and `poweroff` ends the run. Under align it must also take
// 2 s of host time (QEMU 7.2 takes 0.76 s: its align does not hold on U-Boot's
// mtime-polling loop). Skipped, saying so, when the package is not installed.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "vtime/devices/console_backend.h"
#include "vtime/machine/board.h"
#include "vtime/time/manual_host_clock.h"
#include "vtime/time/system_host_clock.h"

namespace vtime {
namespace {

constexpr const char* kUboot = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin";

// A console that types like a person: one key when U-Boot offers to stop
// autoboot, then the next command each time the prompt appears. It stamps
// guest and host time when each command is sent and when its prompt returns.
class ScriptedConsole final : public ConsoleBackend {
 public:
  ScriptedConsole(HostClock& host, std::deque<std::string> commands)
      : host_(host), commands_(std::move(commands)) {}
  void attach(const Board& board) { board_ = &board; }

  void write(uint8_t byte) override {
    output_.push_back(static_cast<char>(byte));
    if (output_.ends_with("Hit any key to stop autoboot")) {
      typing_.clear();  // not `= " "`: GCC 12 -O3 misreports -Wrestrict on that
      typing_.push_back(' ');
    }
    if (output_.ends_with("=> ")) {
      stamp();
      if (!commands_.empty()) {
        typing_ = commands_.front();
        typing_.push_back('\r');
        commands_.pop_front();
        stamp_when_typed_ = true;
      }
    }
  }
  std::optional<uint8_t> poll_input() override {
    if (typing_.empty()) return std::nullopt;
    const uint8_t c = static_cast<uint8_t>(typing_.front());
    typing_.erase(typing_.begin());
    if (typing_.empty() && stamp_when_typed_) {
      stamp_when_typed_ = false;
      stamp();  // the command is complete: it starts now
    }
    return c;
  }

  const std::string& output() const { return output_; }
  // Stamps alternate: prompt, command sent, prompt, command sent, ...
  struct Stamp {
    GuestTime guest;
    HostTime host;
  };
  const std::vector<Stamp>& stamps() const { return stamps_; }

 private:
  void stamp() { stamps_.push_back({board_ ? board_->guest_now() : GuestTime(), host_.now()}); }
  HostClock& host_;
  std::deque<std::string> commands_;
  std::string typing_;
  bool stamp_when_typed_ = false;
  std::string output_;
  const Board* board_ = nullptr;
  std::vector<Stamp> stamps_;
};

BootImages uboot_images() {
  std::ifstream in(kUboot, std::ios::binary);
  BootImages images;
  images.bios = ImageFile{"-bios u-boot.bin", std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {})};
  return images;
}

struct UbootRun {
  RunOutcome outcome;
  std::string output;
  Duration sleep_guest{0};
  Duration sleep_host{0};
};

UbootRun run_uboot(HostClock& host, std::string_view icount) {
  ScriptedConsole console(host, {"version", "sleep 2", "poweroff"});
  BoardOptions options;
  options.icount = *parse_icount_options(icount);
  auto board = Board::create(host, console, options, uboot_images());
  EXPECT_TRUE(board.ok()) << board.error();
  if (!board.ok()) return {};
  console.attach(**board);
  UbootRun run;
  run.outcome = (*board)->run(60s);
  run.output = console.output();
  // Stamps: prompt 1, "version" sent, prompt 2, "sleep 2" sent, prompt 3, ...
  const auto& s = console.stamps();
  if (s.size() >= 5) {
    run.sleep_guest = s[4].guest - s[3].guest;
    run.sleep_host = s[4].host - s[3].host;
  }
  return run;
}

class Uboot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kUboot)) {
      GTEST_SKIP() << kUboot << " not found: install Debian's u-boot-qemu package to run the "
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
  // U-Boot's sleep polls mtime until 2 s have passed: 2 s of guest time, to
  // within the polling loop's granularity and the echo of the command.
  EXPECT_GE(run.sleep_guest, 2s);
  EXPECT_LT(run.sleep_guest, 2s + 5ms);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

TEST_F(Uboot, UnderAlignSleepTwoTakesTwoSecondsOfHostTimeToTwoPercent) {
  if (kSanitized) GTEST_SKIP() << "host-speed test: not meaningful in a sanitizer build";
  SystemHostClock host;
  const UbootRun run = run_uboot(host, "shift=4,align=on");
  EXPECT_EQ(run.outcome.kind, RunOutcome::Kind::kPoweroff) << run.outcome.reason;
  EXPECT_GE(run.sleep_guest, 2s);
  EXPECT_LT(run.sleep_guest, 2s + 5ms);
  EXPECT_GT(run.sleep_host, 1960ms) << "host time for 'sleep 2'";
  EXPECT_LT(run.sleep_host, 2040ms) << "host time for 'sleep 2'";
  RecordProperty("sleep2_host_ns", std::to_string(run.sleep_host.count()));
  std::printf("sleep 2: guest %.6f s, host %.6f s\n", static_cast<double>(run.sleep_guest.count()) / 1e9,
              static_cast<double>(run.sleep_host.count()) / 1e9);
}

}  // namespace
}  // namespace vtime
