/* Several harts (run with -smp 4): each hart prints its id in turn, passing a
 * token with a software interrupt (msip) to the next hart, which sleeps in WFI
 * until then; all harts then hammer one counter with LR/SC and AMOADD, and
 * join on an atomic counter. Output order is fixed by the token, not by the
 * scheduler, so it is the same on every board. */
#include "runtime/rt.h"

#define INCREMENTS 1000

static volatile uint32_t turn;
static volatile uint32_t joined;
static volatile uint64_t counter;
static volatile uint32_t harts;

static void lrsc_add(volatile uint64_t* p) {
  uint64_t tmp, fail;
  __asm__ volatile("1: lr.d %0, (%2)\naddi %0, %0, 1\nsc.d %1, %0, (%2)\nbnez %1, 1b"
                   : "=&r"(tmp), "=&r"(fail) : "r"(p) : "memory");
}

static void amo_add(volatile uint64_t* p) {
  __asm__ volatile("amoadd.d zero, %1, (%0)" ::"r"(p), "r"(1ull) : "memory");
}

static void amo_add32(volatile uint32_t* p) {
  __asm__ volatile("amoadd.w.aqrl zero, %1, (%0)" ::"r"(p), "r"(1u) : "memory");
}

/* Sleeps until this hart's turn: the token arrives with an msip. */
static void wait_for_turn(uint32_t me) {
  while (turn != me) {
    rt_wfi();
    clint_set_msip(me, 0);
  }
}

static void pass_token(uint32_t me) {
  uint32_t next = (me + 1) % harts;
  turn = me + 1;
  __asm__ volatile("fence rw, rw" ::: "memory");
  clint_set_msip(next, 1);
}

static void hammer(void) {
  for (int i = 0; i < INCREMENTS; i++) {
    lrsc_add(&counter);
    amo_add(&counter);
  }
}

void guest_secondary(uint64_t hartid) {
  uint32_t me = (uint32_t)hartid;
  csr_set(mie, MIE_MSIE); /* wake WFI on msip; mstatus.MIE stays 0: no trap */
  wait_for_turn(me);
  rt_printf("hart %u: hello (mhartid %lu)\n", me, csr_read(mhartid));
  pass_token(me);
  hammer();
  amo_add32(&joined);
}

int guest_main(void) {
  harts = fdt_count_cpus(rt_dtb());
  if (harts == 0 || harts > RT_MAX_HARTS) harts = 1;
  rt_printf("smp: %u harts\n", harts);
  rt_printf("hart 0: hello (mhartid %lu)\n", csr_read(mhartid));
  csr_set(mie, MIE_MSIE);
  if (harts > 1) {
    pass_token(0);
    wait_for_turn(harts); /* the last hart's token comes back to hart 0 */
  }
  hammer();
  while (joined != harts - 1) {
  }
  rt_check_group("join");
  CHECK_EQ("every hart joined", joined, harts - 1);
  CHECK_EQ("no lost increment", counter, (uint64_t)harts * 2 * INCREMENTS);
  rt_check_group_end();
  rt_printf("smp: %u harts joined, counter %lu\n", harts, counter);
  return rt_check_summary("smp");
}
