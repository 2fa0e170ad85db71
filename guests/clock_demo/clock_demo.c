/* The clock demo, vtime's embedded default guest: a 100 Hz timer interrupt
 * (mtimecmp re-armed from its intended deadline), a compute burst after each
 * interrupt, WFI idling in between, and the guest's time printed every half
 * second for three seconds of guest time; then a summary and poweroff.
 * Deadlines are absolute multiples of the period, so under icount the printed
 * times are exact half seconds (printed to the millisecond). */
#include "runtime/rt.h"

#define PERIOD_TICKS (CLINT_TICKS_PER_SECOND / 100) /* 10 ms */
#define REPORT_EVERY 50                              /* interrupts: 0.5 s */
#define TOTAL_INTERRUPTS 300                         /* 3 s */
#define BURST_ROUNDS 5000 /* ~40,000 instructions: 0.64 ms at icount shift=4 */

static volatile uint64_t interrupts;
static uint64_t next_deadline;

static void on_timer(rt_trap_frame* f) {
  interrupts++;
  next_deadline += PERIOD_TICKS;
  clint_set_mtimecmp(0, next_deadline);
}

/* A compute burst: an xorshift walk (a few instructions per round). */
static uint64_t burst(uint64_t state) {
  for (int i = 0; i < BURST_ROUNDS; i++) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
  }
  return state;
}

static void print_time(const char* label, uint64_t ticks) {
  uint64_t ms = ticks / CLINT_TICKS_PER_MS;
  rt_printf("%s%lu.%03lu s", label, ms / 1000, ms % 1000);
}

int guest_main(void) {
  rt_printf("clock demo: 100 Hz timer, compute bursts, WFI idling, 3 s of guest time\n");
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  uint64_t start = rt_rdtime();
  next_deadline = (start / PERIOD_TICKS + 1) * PERIOD_TICKS;
  clint_set_mtimecmp(0, next_deadline);
  csr_set(mie, MIE_MTIE);

  uint64_t state = 0x9e3779b97f4a7c15ull;
  uint64_t handled = 0, busy_ticks = 0, wakeups = 0;
  while (handled < TOTAL_INTERRUPTS) {
    while (interrupts == handled) {
      rt_idle();
      wakeups++;
    }
    handled = interrupts;
    if (handled % REPORT_EVERY == 0) {
      print_time("guest time ", rt_rdtime());
      rt_printf("  (%lu interrupts)\n", handled);
    }
    uint64_t t0 = rt_rdtime();
    state = burst(state);
    busy_ticks += rt_rdtime() - t0;
  }
  csr_clear(mie, MIE_MTIE);
  clint_disarm(0);
  uint64_t end = rt_rdtime();

  rt_printf("summary: %lu timer interrupts, %lu bursts, %lu wake-ups", handled, handled,
            wakeups);
  print_time(", finished at guest time ", end);
  rt_printf("\n");
  uint64_t busy_percent = busy_ticks * 100 / (end - start);
  rt_printf("summary: busy %lu%%, idle %lu%%, checksum %016lx\n", busy_percent,
            100 - busy_percent, state);
  rt_printf("clock demo: poweroff\n");
  return 0;
}
