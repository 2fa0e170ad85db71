// fuzz_snapshot: snapshot files. A board with two harts and every optional
// timer device runs a small guest and saves a seed snapshot once. Each input
// then either (first byte even) is loaded as a whole file, or (odd) mutates
// the seed's sections - bytes flipped, cut short, lengthened - and re-frames
// them with valid checksums, so the section decoders behind the container are
// reached. Asserts: a refusal is one non-empty line and leaves the target
// board saving exactly what it saved before; an accepted file leaves a board
// that runs a bounded slice of guest time without crashing or hanging.
#include <fuzzer/FuzzedDataProvider.h>

#include <memory>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "tests/machine/guest_words.h"
#include "vtime/devices/console_backend.h"
#include "vtime/icount/icount_options.h"
#include "vtime/machine/board.h"
#include "vtime/machine/snapshot_file.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::fuzz {
namespace {

using namespace std::chrono_literals;

// Arms CLINT mtimecmp a little ahead, enables MTIE, then loops in wfi; the
// handler re-arms. Enough to leave timers armed and interrupts pending.
std::vector<uint8_t> guest() {
  return test::program({
      0x020002b7,  // lui   t0, 0x2000        CLINT
      0x00004337,  // lui   t1, 0x4           mtimecmp offset
      0x006282b3,  // add   t0, t0, t1
      0x3e800313,  // li    t1, 1000
      0x0062b023,  // sd    t1, 0(t0)
      0x08000393,  // li    t2, 0x80          MTIE
      0x30439073,  // csrw  mie, t2
      0x10500073,  // wfi
      0xffdff06f,  // j     .-4
  });
}

BoardOptions options() {
  BoardOptions o;
  o.ram_bytes = 4ull << 20;
  o.harts = 2;
  o.icount = *parse_icount_options("shift=0,sleep=off");
  o.timer_devices = {.lapic_timer = true, .pv_clockevent = true, .pvclock = true, .hpet = HpetDriftfix::kSlew};
  return o;
}

struct Machine {
  ManualHostClock host;
  BufferConsole console;
  std::unique_ptr<Board> board;
  Machine() {
    BootImages images;
    images.bios = ImageFile{"fuzz guest", guest()};
    auto created = Board::create(host, console, options(), images);
    if (!created) fail("the fuzz board cannot be built: {}", created.error());
    board = std::move(created).value();
  }
};

const std::vector<SnapshotSection>& seed_sections() {
  static const std::vector<SnapshotSection> sections = [] {
    Machine m;
    m.board->run(200us);
    auto decoded = decode_snapshot(m.board->save_snapshot(), 1ull << 30);
    if (!decoded) fail("the seed snapshot does not decode: {}", decoded.error());
    return *decoded;
  }();
  return sections;
}

std::vector<uint8_t> mutated_seed(FuzzedDataProvider& in) {
  std::vector<SnapshotSection> sections = seed_sections();
  while (in.remaining_bytes() > 0) {
    SnapshotSection& s = sections[in.ConsumeIntegralInRange<size_t>(0, sections.size() - 1)];
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0:
        if (!s.bytes.empty()) s.bytes[in.ConsumeIntegralInRange<size_t>(0, s.bytes.size() - 1)] ^= in.ConsumeIntegral<uint8_t>();
        break;
      case 1:
        if (!s.bytes.empty()) s.bytes.resize(in.ConsumeIntegralInRange<size_t>(0, s.bytes.size() - 1));
        break;
      case 2:
        s.bytes.push_back(in.ConsumeIntegral<uint8_t>());
        break;
      case 3: {  // overwrite eight bytes: whole fields, not just bits
        if (s.bytes.size() < 8) break;
        const size_t at = in.ConsumeIntegralInRange<size_t>(0, s.bytes.size() - 8);
        const uint64_t v = in.ConsumeIntegral<uint64_t>();
        for (int i = 0; i < 8; ++i) s.bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
        break;
      }
    }
  }
  return encode_snapshot(sections);
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  if (size == 0) return 0;
  FuzzedDataProvider in(data, size);
  const bool whole_file = (in.ConsumeIntegral<uint8_t>() & 1) == 0;
  const std::vector<uint8_t> file =
      whole_file ? in.ConsumeRemainingBytes<uint8_t>() : mutated_seed(in);
  Machine target;
  // Every target board starts the same (the manual host clock does not move):
  // what a fresh one saves is computed once.
  static const std::vector<uint8_t> before = Machine().board->save_snapshot();
  const Status loaded = target.board->load_snapshot(file);
  if (!loaded.ok()) {
    check_one_line(loaded.error());
    if (target.board->save_snapshot() != before) fail("a refused snapshot changed the board: {}", loaded.error());
    return 0;
  }
  const GuestTime start = target.board->guest_now();
  target.board->run(100us);
  if (target.board->guest_now() < start) fail("VIRTUAL went backwards after a load");
  return 0;
}
