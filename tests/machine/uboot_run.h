// Shared by the U-Boot tests: Debian's M-mode U-Boot for QEMU's virt board
// driven through a console that types like a person (a key to stop autoboot,
// then one command per prompt), stamping guest and host time when each command
// is sent and when its prompt comes back.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/machine/board.h"
#include "vtime/time/host_clock.h"

namespace vtime {

inline constexpr const char* kUbootPath = "/usr/lib/u-boot/qemu-riscv64/u-boot.bin";

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

inline BootImages uboot_images() {
  std::ifstream in(kUbootPath, std::ios::binary);
  BootImages images;
  images.bios = ImageFile{"-bios u-boot.bin", std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {})};
  return images;
}

// What U-Boot's `sleep 2` may last in guest time. U-Boot counts whole
// milliseconds: it notes the millisecond counter when the command starts and
// polls (100 us steps) until the counter has moved on by 2,000. The start is
// truncated to its millisecond, so anything from 1.999 s on is correct; the
// polling step, the echo of the command and the prompt bound the top.
inline constexpr Duration kUbootSleepTwoShortest = std::chrono::milliseconds(1999);
inline constexpr Duration kUbootSleepTwoLongest = std::chrono::milliseconds(2005);

struct UbootRun {
  RunOutcome outcome;
  std::string output;
  Duration sleep_guest{0};
  Duration sleep_host{0};
};

inline UbootRun run_uboot(HostClock& host, std::string_view icount) {
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

}  // namespace vtime
