/* CLINT timer interrupts: a periodic interrupt re-armed from its intended
 * deadline (mtimecmp += period, so no drift), none delivered early; MTIP as a
 * level that follows mtimecmp <= mtime; mtimecmp in the past fires at once, the
 * maximum never fires; 32-bit halves of mtimecmp and mtime. Lateness is not
 * bounded here: under icount it is a few instructions, in real time it is the
 * host's business. */
#include "runtime/rt.h"

#define PERIOD_TICKS 10000 /* 1 ms */
#define INTERRUPTS 20

static volatile uint64_t fired;
static volatile uint64_t deadline;
static volatile uint64_t early;

static void on_timer(rt_trap_frame* f) {
  uint64_t now = clint_mtime();
  if (now < deadline) early++;
  fired++;
  deadline += PERIOD_TICKS;
  clint_set_mtimecmp(0, fired < INTERRUPTS ? deadline : UINT64_MAX);
}

static void test_periodic(void) {
  rt_check_group("periodic");
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  uint64_t start = clint_mtime();
  deadline = start + PERIOD_TICKS;
  clint_set_mtimecmp(0, deadline);
  csr_set(mie, MIE_MTIE);
  rt_irq_enable();
  while (fired < INTERRUPTS) {
  }
  rt_irq_disable();
  csr_clear(mie, MIE_MTIE);
  uint64_t end = clint_mtime();
  CHECK_EQ("interrupts", fired, INTERRUPTS);
  CHECK_EQ("early interrupts", early, 0);
  CHECK("took the whole schedule", end - start >= (uint64_t)INTERRUPTS * PERIOD_TICKS);
  rt_printf("periodic: %lu interrupts every %u ticks, none early\n", fired, PERIOD_TICKS);
  rt_set_irq_handler(IRQ_M_TIMER, 0);
  rt_check_group_end();
}

static uint64_t mtip(void) { return (csr_read(mip) >> IRQ_M_TIMER) & 1; }

static void test_level(void) {
  rt_check_group("mtip level");
  clint_disarm(0);
  CHECK_EQ("max mtimecmp: low", mtip(), 0);
  clint_set_mtimecmp(0, clint_mtime());
  CHECK_EQ("mtimecmp <= mtime: high", mtip(), 1);
  clint_set_mtimecmp(0, 0);
  CHECK_EQ("mtimecmp 0: high", mtip(), 1);
  clint_set_mtimecmp(0, clint_mtime() + 1000 * PERIOD_TICKS);
  CHECK_EQ("future mtimecmp: low again", mtip(), 0);
  uint64_t soon = clint_mtime() + 50;
  clint_set_mtimecmp(0, soon);
  /* QEMU 7.2 arms its timer at now_ns + ticks * 100 ns without aligning now_ns
   * to a tick, so MTIP may rise up to one tick late there; hence soon + 1. */
  while (clint_mtime() < soon + 1) {
  }
  CHECK_EQ("rises once mtime reaches it", mtip(), 1);
  CHECK_EQ("mtimecmp reads back", clint_mtimecmp(0), soon);
  clint_disarm(0);
  CHECK_EQ("disarmed", mtip(), 0);
  rt_check_group_end();
}

static void test_halves(void) {
  rt_check_group("32-bit halves");
  uintptr_t cmp = CLINT_MTIMECMP(0);
  mmio_write32(cmp, 0x89abcdef);
  mmio_write32(cmp + 4, 0x01234567);
  CHECK_EQ("mtimecmp from halves", clint_mtimecmp(0), 0x0123456789abcdef);
  CHECK_EQ("mtimecmp low half", mmio_read32(cmp), 0x89abcdef);
  CHECK_EQ("mtimecmp high half", mmio_read32(cmp + 4), 0x01234567);
  clint_disarm(0);
  uint32_t hi, lo, hi2;
  do {
    hi = mmio_read32(CLINT_MTIME + 4);
    lo = mmio_read32(CLINT_MTIME);
    hi2 = mmio_read32(CLINT_MTIME + 4);
  } while (hi != hi2);
  uint64_t split = ((uint64_t)hi << 32) | lo;
  uint64_t whole = clint_mtime();
  CHECK("mtime halves agree with 64-bit read", split <= whole && whole - split < 1000);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("timer: CLINT mtimecmp interrupts\n");
  test_periodic();
  test_level();
  test_halves();
  return rt_check_summary("timer");
}
