/* The `time` CSR against the CLINT's mtime: rdtime and `csrr time` read the same
 * counter as the MMIO register (m1 <= time <= m2 when read in between), both
 * are monotonic, timeh does not exist on RV64, and writing mtime moves time
 * and the timer comparator together. */
#include "runtime/rt.h"

static void test_consistency(void) {
  rt_check_group("rdtime vs mtime");
  uint64_t bad_order = 0, backwards = 0, last = 0;
  for (int i = 0; i < 200; i++) {
    uint64_t m1 = clint_mtime();
    uint64_t t = rt_rdtime();
    uint64_t m2 = clint_mtime();
    if (!(m1 <= t && t <= m2)) bad_order++;
    if (t < last) backwards++;
    last = t;
  }
  CHECK_EQ("mtime <= time <= mtime", bad_order, 0);
  CHECK_EQ("never backwards", backwards, 0);
  uint64_t a, b;
  __asm__ volatile("csrr %0, time\nrdtime %1" : "=r"(a), "=r"(b));
  CHECK("csrr time == rdtime", a <= b && b - a < 100);
  uint64_t t0 = rt_rdtime();
  while (rt_rdtime() == t0) {
  }
  CHECK("time advances", rt_rdtime() > t0);
  rt_trap_record r;
  rt_expect_trap(0);
  __asm__ volatile("csrr %0, timeh" : "=r"(a)::"memory");
  r = rt_expect_trap_end();
  CHECK_EQ("timeh is illegal on RV64", r.cause, CAUSE_ILLEGAL_INSN);
  rt_check_group_end();
}

static volatile uint64_t fired_at;

static void on_timer(rt_trap_frame* f) {
  fired_at = clint_mtime();
  clint_disarm(0);
}

static void test_mtime_write(void) {
  rt_check_group("mtime write");
  const uint64_t base = 0x100000000ull;
  mmio_write64(CLINT_MTIME, base);
  uint64_t t = rt_rdtime();
  CHECK("time follows the written mtime", t >= base && t < base + 1000);
  CHECK("mtime follows too", clint_mtime() >= t);
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  clint_set_mtimecmp(0, base + 5000);
  csr_set(mie, MIE_MTIE);
  while (fired_at == 0) rt_idle();
  csr_clear(mie, MIE_MTIE);
  /* A second of slack so that runs without icount on a busy host pass too; a
   * comparator still on the old timeline would fire about seven minutes late. */
  CHECK("comparator uses the new timeline",
        fired_at >= base + 5000 && fired_at < base + 5000 + CLINT_TICKS_PER_SECOND);
  mmio_write32(CLINT_MTIME + 4, 0x7);
  CHECK_EQ("high-half write", clint_mtime() >> 32, 7);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("time_csr: the time CSR and mtime\n");
  test_consistency();
  test_mtime_write();
  return rt_check_summary("time_csr");
}
