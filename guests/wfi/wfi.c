/* WFI idling: a hart waits for its timer instead of spinning. WFI returns when
 * an enabled interrupt is pending even with mstatus.MIE clear (the interrupt is
 * then not taken); with MIE set the handler runs first. Time must have reached
 * each deadline when WFI returns; under icount with sleep=off the board skips
 * the idle time, so few instructions run while many ticks pass. */
#include "runtime/rt.h"

#define SLEEP_TICKS 20000 /* 2 ms */
#define ROUNDS 5

static volatile uint64_t taken;

static void on_timer(rt_trap_frame* f) {
  taken++;
  clint_disarm(0);
}

static uint64_t wait_masked(uint64_t ticks) {
  uint64_t due = clint_mtime() + ticks;
  clint_set_mtimecmp(0, due);
  while (((csr_read(mip) >> IRQ_M_TIMER) & 1) == 0) rt_wfi();
  uint64_t now = clint_mtime();
  clint_disarm(0);
  return now >= due;
}

int guest_main(void) {
  rt_printf("wfi: idling until a timer interrupt\n");
  csr_set(mie, MIE_MTIE);

  rt_check_group("wfi with MIE=0");
  uint64_t on_time = 0;
  uint64_t start = clint_mtime();
  for (int i = 0; i < ROUNDS; i++) on_time += wait_masked(SLEEP_TICKS);
  CHECK_EQ("woke at or after each deadline", on_time, ROUNDS);
  CHECK("slept the whole time", clint_mtime() - start >= ROUNDS * SLEEP_TICKS);
  CHECK_EQ("no interrupt taken", taken, 0);
  rt_check_group_end();

  rt_check_group("wfi with MIE=1");
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  for (int i = 0; i < ROUNDS; i++) {
    uint64_t due = clint_mtime() + SLEEP_TICKS;
    uint64_t before = taken;
    clint_set_mtimecmp(0, due);
    /* WFI with MIE set, as many kernels idle: safe here only because the
     * deadline is 2 ms away, far beyond the few instructions before the WFI
     * (rt_idle is the race-free form). */
    rt_irq_enable();
    while (taken == before) rt_wfi();
    rt_irq_disable();
    CHECK("handler ran at or after deadline", clint_mtime() >= due);
  }
  CHECK_EQ("interrupts taken", taken, ROUNDS);
  rt_check_group_end();

  rt_check_group("wfi with nothing enabled");
  csr_clear(mie, MIE_MTIE);
  clint_set_msip(0, 1);
  csr_set(mie, MIE_MSIE);
  rt_wfi(); /* pending and enabled in mie: returns at once */
  CHECK_EQ("msip pending", (csr_read(mip) >> IRQ_M_SOFT) & 1, 1);
  clint_set_msip(0, 0);
  csr_clear(mie, MIE_MSIE);
  rt_check_group_end();

  rt_printf("wfi: %d masked wake-ups, %lu interrupts, %d ticks each\n", ROUNDS, taken,
            SLEEP_TICKS);
  return rt_check_summary("wfi");
}
