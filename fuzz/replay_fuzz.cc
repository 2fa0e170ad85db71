// fuzz_replay: replay logs. The first byte picks: the rest as a whole log file,
// or a list of events (kind, position, VIRTUAL, value) built from the input and
// encoded as a valid log for a one-hart board under icount shift=0 (so the
// replay itself runs: console bytes, breaks, idle advances, resets and the end
// at arbitrary positions). Asserts: a refused log is one non-empty line; an
// accepted one replays on a board running a small console-reading guest for a
// bounded slice of guest time and ends with a one-line reason, without crashing
// or hanging; guest time never goes backwards.
#include <fuzzer/FuzzedDataProvider.h>

#include <memory>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "tests/machine/guest_words.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/machine/replay_session.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::fuzz {
namespace {

using namespace std::chrono_literals;

// Reads the UART's LSR and RBR in a loop, with a wfi between reads when nothing came.
std::vector<uint8_t> guest() {
  return test::program({
      0x100002b7,  // lui   t0, 0x10000      UART
      0x0052c303,  // lbu   t1, 5(t0)        LSR
      0x00137313,  // andi  t1, t1, 1        data ready?
      0x00030663,  // beqz  t1, +12
      0x0002c383,  // lbu   t2, 0(t0)        RBR
      0xff1ff06f,  // j     -16
      0x10500073,  // wfi
      0xfe9ff06f,  // j     -24
  });
}

BoardOptions options() {
  BoardOptions o;
  o.ram_bytes = 4ull << 20;
  o.icount = *parse_icount_options("shift=0");
  o.replay = ReplayMode::kReplay;
  o.rtc.clock = ClockId::kVirtual;
  return o;
}

std::vector<uint8_t> built_log(FuzzedDataProvider& in) {
  std::vector<ReplayEvent> events;
  uint64_t position = 0;
  GuestTime at = GuestTime::epoch();
  while (in.remaining_bytes() > 0 && events.size() < 256) {
    ReplayEvent e;
    e.kind = static_cast<ReplayEvent::Kind>(in.ConsumeIntegralInRange<uint8_t>(0, 5));
    position += in.ConsumeIntegralInRange<uint64_t>(0, 5000);
    at = at + Duration(in.ConsumeIntegralInRange<int64_t>(0, 200'000));
    e.position = position;
    e.at = at;
    e.value = in.ConsumeIntegralInRange<int64_t>(-1, 300'000);
    events.push_back(e);
  }
  events.push_back({.kind = ReplayEvent::Kind::kEnd, .position = position + 10, .at = at + 1us, .value = 0});
  return encode_replay_log(options(), events);
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  if (size == 0) return 0;
  FuzzedDataProvider in(data, size);
  const bool whole_file = (in.ConsumeIntegral<uint8_t>() & 1) == 0;
  const std::vector<uint8_t> file = whole_file ? in.ConsumeRemainingBytes<uint8_t>() : built_log(in);
  ManualHostClock host;
  BufferConsole console;
  BootImages images;
  images.bios = ImageFile{"fuzz guest", guest()};
  auto board = Board::create(host, console, options(), images);
  if (!board) fail("the fuzz board cannot be built: {}", board.error());
  const Status started = (*board)->start_replay(file);
  if (!started.ok()) {
    check_one_line(started.error());
    return 0;
  }
  const RunOutcome outcome = (*board)->run(200us);
  check_one_line(outcome.reason);
  if ((*board)->guest_now() < GuestTime::epoch()) fail("VIRTUAL went backwards");
  return 0;
}
