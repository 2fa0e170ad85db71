// A small whole program assembled with GNU as (-march=rv64imac, so about a
// third of it is compressed): recursive fib(20) with calls and a stack, then a
// buffer filled, copied and summed with loads, stores, MUL, REMU and AMOADD,
// ending in EBREAK, whose trap handler WFIs. Its source:
//   _start: la t0, trap; csrw mtvec, t0; li sp, 0x80008000; li a0, 20; call fib; mv s1, a0
//           la t0, src; li t1, 0x80004000; li t2, 64; li a1, 0; li t4, 1000003
//   fill:   sw t2, 0(t0); addi t0, t0, 4; addi t2, t2, -1; bnez t2, fill
//           la t0, src; li t2, 64
//   copy:   lw t3, 0(t0); sw t3, 0(t1); mul t5, t3, t3; add a1, a1, t5
//           remu a1, a1, t4; amoadd.w zero, t3, (t1); addi t0, t0, 4
//           addi t1, t1, 4; addi t2, t2, -1; bnez t2, copy; mv a0, s1; ebreak
//   fib:    li t0, 2; blt a0, t0, 1f; addi sp, sp, -16; sd ra, 8(sp); sd a0, 0(sp)
//           addi a0, a0, -1; call fib; ld t0, 0(sp); sd a0, 0(sp); addi a0, t0, -2
//           call fib; ld t0, 0(sp); add a0, a0, t0; ld ra, 8(sp); addi sp, sp, 16
//   1:      ret
//   trap:   wfi; j trap        (mie = 0: the WFI ends the run)
//   src:    .space 256          (8-aligned)
#include <gtest/gtest.h>

#include <cstdint>

#include "tests/riscv/test_env.h"
#include "vtime/riscv/hart.h"

namespace vtime::riscv::test {
namespace {

constexpr uint8_t kProgram[] = {
    0x97, 0x02, 0x00, 0x00, 0x93, 0x82, 0x02, 0x0a, 0x73, 0x90, 0x52, 0x30, 0x37, 0x01, 0x01, 0x00,
    0x05, 0x21, 0x3e, 0x01, 0x51, 0x45, 0xef, 0x00, 0x00, 0x06, 0xaa, 0x84, 0x97, 0x02, 0x00, 0x00,
    0x93, 0x82, 0xc2, 0x08, 0x37, 0x03, 0x02, 0x00, 0x05, 0x23, 0x3a, 0x03, 0x93, 0x03, 0x00, 0x04,
    0x81, 0x45, 0xb7, 0x4e, 0x0f, 0x00, 0x9b, 0x8e, 0x3e, 0x24, 0x23, 0xa0, 0x72, 0x00, 0x91, 0x02,
    0xfd, 0x13, 0xe3, 0x9c, 0x03, 0xfe, 0x97, 0x02, 0x00, 0x00, 0x93, 0x82, 0x22, 0x06, 0x93, 0x03,
    0x00, 0x04, 0x03, 0xae, 0x02, 0x00, 0x23, 0x20, 0xc3, 0x01, 0x33, 0x0f, 0xce, 0x03, 0xfa, 0x95,
    0xb3, 0xf5, 0xd5, 0x03, 0x2f, 0x20, 0xc3, 0x01, 0x91, 0x02, 0x11, 0x03, 0xfd, 0x13, 0xe3, 0x92,
    0x03, 0xfe, 0x26, 0x85, 0x02, 0x90, 0x89, 0x42, 0x63, 0x42, 0x55, 0x02, 0x41, 0x11, 0x06, 0xe4,
    0x2a, 0xe0, 0x7d, 0x15, 0xef, 0xf0, 0x3f, 0xff, 0x82, 0x62, 0x2a, 0xe0, 0x13, 0x85, 0xe2, 0xff,
    0xef, 0xf0, 0x7f, 0xfe, 0x82, 0x62, 0x16, 0x95, 0xa2, 0x60, 0x41, 0x01, 0x82, 0x80, 0x01, 0x00,
    0x73, 0x00, 0x50, 0x10, 0xf5, 0xbf, 0x01, 0x00,
};

void load(Rig& rig) {
  for (size_t i = 0; i < sizeof(kProgram); ++i) rig.env.put(kRamBase + i, 1, kProgram[i]);
}

// Runs until the EBREAK's handler WFIs, in slices of `slice` instructions.
uint64_t run_to_ebreak(Rig& rig, uint64_t slice) {
  uint64_t total = 0;
  for (;;) {
    const RunResult r = rig.hart.run(slice);
    total += r.executed;
    if (r.reason != StopReason::kBudgetExhausted) break;
  }
  return total;
}

TEST(Program, RecursiveFibAndChecksumGiveTheKnownResults) {
  Rig rig;
  load(rig);
  const uint64_t total = run_to_ebreak(rig, 1'000'000);
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kBreakpoint);
  EXPECT_TRUE(rig.hart.waiting_for_interrupt());
  EXPECT_EQ(rig.hart.reg(10), 6765u);   // fib(20)
  EXPECT_EQ(rig.hart.reg(11), 89440u);  // sum of v*v for v = 64..1, mod 1000003
  EXPECT_EQ(rig.env.get(0x80004000, 4), 2 * 64u);  // copied, then doubled by AMOADD
  EXPECT_EQ(rig.env.get(0x80004000 + 63 * 4, 4), 2u);
  EXPECT_GT(total, 100000u);
}

TEST(Program, RetiresTheSameInstructionsWhateverTheSliceSize) {
  Rig whole;
  load(whole);
  const uint64_t reference = run_to_ebreak(whole, 1'000'000);
  for (uint64_t slice : {1u, 2u, 3u, 7u, 64u, 1000u}) {
    SCOPED_TRACE(slice);
    Rig sliced;
    load(sliced);
    EXPECT_EQ(run_to_ebreak(sliced, slice), reference);
    EXPECT_EQ(sliced.hart.reg(10), 6765u);
    EXPECT_EQ(sliced.hart.reg(11), 89440u);
    EXPECT_EQ(sliced.hart.retired(), reference);
  }
}

}  // namespace
}  // namespace vtime::riscv::test
