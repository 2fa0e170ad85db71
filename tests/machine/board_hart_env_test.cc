// The board's HartEnv under icount: a stimecmp write that arms an earlier
// VIRTUAL deadline must cut the hart's grant, as a device store does, so STIP
// rises at the instruction where mtime reaches stimecmp (not at the end of a
// long grant).
#include "vtime/machine/board_hart_env.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "vtime/devices/console_backend.h"
#include "vtime/machine/board.h"
#include "tests/machine/guest_words.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

using test::program;

// M mode, Sstc on: stimecmp = time + 100 ticks, poll mip.STIP, then power off
// if time had passed the deadline by fewer than 4 ticks, else fail with 3.
const std::vector<uint8_t> kStipLatency = program({
    0x00100293,  // li    t0, 1
    0x03f29293,  // slli  t0, t0, 63
    0x30a29073,  // csrw  menvcfg, t0        STCE
    0xc0102373,  // rdtime t1
    0x06430313,  // addi  t1, t1, 100
    0x14d31073,  // csrw  stimecmp, t1
    0x344023f3,  // 1: csrr t2, mip
    0x0203f393,  // andi  t2, t2, 32         STIP
    0xfe038ce3,  // beqz  t2, 1b
    0xc0102e73,  // rdtime t3
    0x406e0e33,  // sub   t3, t3, t1         ticks late
    0x00400e93,  // li    t4, 4
    0x001002b7,  // lui   t0, 0x100          test device
    0x01de6a63,  // bltu  t3, t4, 2f
    0x00033337,  // lui   t1, 0x33
    0x33330313,  // addi  t1, t1, 0x333      0x33333: exit code 3
    0x0062a023,  // sw    t1, 0(t0)
    0x0000006f,  // j     .
    0x00005337,  // 2: lui t1, 0x5
    0x55530313,  // addi  t1, t1, 0x555      0x5555: poweroff
    0x0062a023,  // sw    t1, 0(t0)
    0x0000006f,  // j     .
});

TEST(BoardHartEnv, AStimecmpWriteCutsTheGrantSoStipRisesOnTime) {
  ManualHostClock host;
  BufferConsole console;
  BoardOptions options;
  options.ram_bytes = 8ull << 20;
  options.icount = *parse_icount_options("shift=4,sleep=off");
  BootImages images;
  images.kernel = ImageFile{"stip latency", kStipLatency};
  auto board = Board::create(host, console, options, images);
  ASSERT_TRUE(board.ok()) << board.error();
  const RunOutcome out = (*board)->run();
  EXPECT_EQ(out.kind, RunOutcome::Kind::kPoweroff) << out.reason;
}

}  // namespace
}  // namespace vtime
