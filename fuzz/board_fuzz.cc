// fuzz_board: the whole board with the input as its raw -bios image at
// 0x8000_0000, under icount shift=0,sleep=off (one instruction = 1 ns, idle
// time skipped) with every optional timer device present, so the devices are
// driven by real guest MMIO. The run is cut into four bounded slices of guest
// time. Asserts: VIRTUAL never goes backwards between slices and advances by
// no more than a slice; and a watchdog host clock fails the input when the
// run loop reads the host clock (once or more per pass) kMaxReadsStill times
// in a row without VIRTUAL advancing.
#include <fuzzer/FuzzedDataProvider.h>

#include <functional>
#include <memory>

#include "fuzz/fuzz_check.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::fuzz {
namespace {

constexpr Duration kSlice = 250us;
constexpr int kSlices = 4;
constexpr uint64_t kMaxReadsStill = 200'000;

// A manual host clock that counts now() reads since the guest's clock last
// moved (the probe is VIRTUAL, read outside any re-entry).
class WatchdogHostClock final : public HostClock {
 public:
  void watch(std::function<GuestTime()> probe) { probe_ = std::move(probe); }
  HostTime now() override {
    if (probe_ && !probing_) {
      probing_ = true;
      const GuestTime v = probe_();
      probing_ = false;
      if (v != last_) {
        last_ = v;
        still_ = 0;
      } else if (++still_ > kMaxReadsStill) {
        fail("the run loop read the host clock {} times with VIRTUAL stuck at {} ns", still_,
             v.since_epoch().count());
      }
    }
    return host_.now();
  }
  WallTime wall_now() override { return host_.wall_now(); }
  void sleep_until(HostTime t) override { host_.sleep_until(t); }
  WakeReason wait_until(HostTime deadline) override { return host_.wait_until(deadline); }
  WakeReason spin_until(HostTime t) override { return host_.spin_until(t); }
  void wake() override { host_.wake(); }

 private:
  ManualHostClock host_;
  std::function<GuestTime()> probe_;
  bool probing_ = false;
  GuestTime last_ = GuestTime::never();
  uint64_t still_ = 0;
};

BoardOptions fuzz_board_options() {
  BoardOptions options;
  options.ram_bytes = 4 << 20;
  options.icount = *parse_icount_options("shift=0,sleep=off");
  options.timer_devices = {.lapic_timer = true, .pv_clockevent = true, .pvclock = true,
                           .hpet = HpetDriftfix::kSlew};
  return options;
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  if (size == 0) return 0;  // an empty -bios file is refused before the board exists
  WatchdogHostClock host;
  BufferConsole console;
  BootImages images;
  images.bios = ImageFile{"-bios file 'fuzz'", std::vector<uint8_t>(data, data + size)};
  Result<std::unique_ptr<Board>> created = Board::create(host, console, fuzz_board_options(), images);
  if (!created) return 0;  // an ELF the loader refuses, say
  Board& board = **created;
  host.watch([&board] { return board.guest_now(); });
  GuestTime before = board.guest_now();
  for (int slice = 0; slice < kSlices; ++slice) {
    const RunOutcome outcome = board.run(kSlice);
    const GuestTime after = board.guest_now();
    if (after < before) {
      fail("VIRTUAL went backwards from {} to {} ns", before.since_epoch().count(), after.since_epoch().count());
    }
    // The limit stops the run at the end of the instruction that reaches it.
    if (after - before > kSlice + 1us) {
      fail("a {} ns slice ran VIRTUAL {} ns ahead", kSlice.count(), (after - before).count());
    }
    before = after;
    if (outcome.kind != RunOutcome::Kind::kTimeLimit) break;
  }
  return 0;
}
