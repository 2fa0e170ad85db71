/* The measured loop of the cost experiment. One iteration: read "now" the
 * path's natural way, ask for an interrupt `delay_ns` ahead (`programs`
 * times; the last one counts), sleep until the handler has seen it, and
 * compare the handler's entry stamp with the requested time.
 * The read of now and the programming sequence each sit alone between two
 * instret reads. The programming is what a kernel's clockevents core does
 * once it has expires and now (set_next_event(expires - now)):
 *   (a) delta -> bus ticks (rounded up), TMICT          relative, MMIO
 *   (b) delta -> TSC ticks + now, TSC_DEADLINE          absolute, MMIO
 *   (c) delta -> mtime ticks + now, mtimecmp (M mode)   absolute, MMIO
 *   (d) same, sie.STIE on, ecall set_timer (S mode)     absolute, trap to M
 *   (e) same, csrw stimecmp (S mode, Sstc)              absolute, no trap
 *   (f) expires as is, DEADLINE                         absolute ns, MMIO
 * The S paths run this loop in S mode (tc_call_smode). */
#include "runtime/pvclock.h"
#include "runtime/rt.h"
#include "timer_cost/timer_cost.h"

#define CSR_SIE_STIE (1ull << 5)
#define SSTATUS_SIE (1ull << 1)
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TMICT 0x380
#define LAPIC_TDCR 0x3E0
#define LAPIC_TSC_DEADLINE 0x400
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_LVT_TSC_DEADLINE (2u << 17)
#define LAPIC_VECTOR 0x20
#define LAPIC_DIVIDE_BY_1 0xB

/* The loop's inputs and outputs; globals because the S-mode loop takes no
 * arguments through tc_call_smode. */
static const tc_board* B;
static const tc_config* C;
static tc_result* R;
static tc_path P;
static uint64_t counter_overhead;

typedef struct {
  uint64_t ns;    /* the path's timeline: VIRTUAL ns (every clock here starts at 0) */
  uint64_t ticks; /* the device's counter, where it has one */
} tc_now;

static inline uint64_t rdinstret(void) {
  uint64_t v;
  __asm__ volatile("csrr %0, instret" : "=r"(v)::"memory");
  return v;
}
/* Makes x look changed here, so nothing computed from it moves above. */
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))

/* floor(ticks * 1e9 / hz): one multiply when a tick is a whole number of ns
 * (10 MHz, 100 MHz, 1 GHz - what a kernel's clocksource mult/shift gives
 * exactly), else whole seconds first (no 128-bit division in this libgcc). */
static inline uint64_t ticks_to_ns_down(uint64_t ticks, uint64_t hz, uint64_t ns_per_tick) {
  if (ns_per_tick) return ticks * ns_per_tick;
  return ticks / hz * 1000000000u + ticks % hz * 1000000000u / hz;
}

/* "Now", the path's natural way, counted like a programming (R->now_insns):
 * the counter read and its conversion to ns. */
__attribute__((noinline)) static tc_now read_now(void) {
  tc_now now;
  uint64_t i0, i1;
  switch (P) {
    case TC_PATH_LAPIC_ONESHOT:
    case TC_PATH_LAPIC_TSC_DEADLINE:
      i0 = rdinstret();
      now.ticks = mmio_read64(B->lapic + TC_LAPIC_TSC_OFFSET);
      now.ns = ticks_to_ns_down(now.ticks, B->tsc_hz, B->tsc_ns_per_tick);
      break;
    case TC_PATH_PV:
      i0 = rdinstret();
      now.ns = pvclock_read_ns((const volatile struct pvclock_vcpu_time_info*)B->pvclock);
      now.ticks = 0;
      break;
    default:
      i0 = rdinstret();
      now.ticks = rt_rdtime();
      now.ns = ticks_to_ns_down(now.ticks, B->timebase_hz, B->timebase_ns_per_tick);
      break;
  }
  OPAQUE(now.ns);
  i1 = rdinstret();
  R->now_insns += i1 - i0 - counter_overhead;
  return now;
}

static inline void sbi_set_timer(uint64_t stime) {
  register uint64_t a0 __asm__("a0") = stime;
  register uint64_t a6 __asm__("a6") = 0;
  register uint64_t a7 __asm__("a7") = TC_SBI_EID_TIME;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a6), "r"(a7) : "a1", "memory");
}

/* The counted window: traps and instret before, the programming, instret and
 * traps after. Each path has its own window, so no dispatch is counted. */
typedef struct {
  uint64_t traps;
  uint64_t insns;
} tc_window;

static inline __attribute__((always_inline)) tc_window window_open(void) {
  tc_window w;
  w.traps = tc_trap_count;
  w.insns = rdinstret();
  return w;
}

static inline __attribute__((always_inline)) void window_close(tc_window w) {
  uint64_t i1 = rdinstret();
  R->insns += i1 - w.insns - counter_overhead;
  R->prog_traps += tc_trap_count - w.traps;
}

/* One programming. OPAQUE after opening the window keeps the arithmetic on
 * now/expires inside it. */
__attribute__((noinline)) static void program_once(tc_now now, uint64_t expires) {
  tc_window w;
  switch (P) {
    case TC_PATH_LAPIC_ONESHOT: {
      w = window_open();
      OPAQUE(now.ns);
      OPAQUE(expires);
      uint64_t ticks = tc_ns_to_ticks_up(expires - now.ns, B->bus_scale);
      if (ticks > UINT32_MAX) ticks = UINT32_MAX;
      mmio_write32(B->lapic + LAPIC_TMICT, (uint32_t)ticks);
      break;
    }
    case TC_PATH_LAPIC_TSC_DEADLINE:
      w = window_open();
      OPAQUE(now.ns);
      OPAQUE(now.ticks);
      OPAQUE(expires);
      mmio_write64(B->lapic + LAPIC_TSC_DEADLINE,
                   now.ticks + tc_ns_to_ticks_up(expires - now.ns, B->tsc_scale));
      break;
    case TC_PATH_CLINT_M:
      w = window_open();
      OPAQUE(now.ns);
      OPAQUE(now.ticks);
      OPAQUE(expires);
      clint_set_mtimecmp(0, now.ticks + tc_ns_to_ticks_up(expires - now.ns, B->timebase_scale));
      break;
    case TC_PATH_SBI_S: {
      w = window_open();
      OPAQUE(now.ns);
      OPAQUE(now.ticks);
      OPAQUE(expires);
      uint64_t next = now.ticks + tc_ns_to_ticks_up(expires - now.ns, B->timebase_scale);
      csr_set(sie, CSR_SIE_STIE);
      sbi_set_timer(next);
      break;
    }
    case TC_PATH_SSTC_S:
      w = window_open();
      OPAQUE(now.ns);
      OPAQUE(now.ticks);
      OPAQUE(expires);
      csr_write(0x14d, now.ticks + tc_ns_to_ticks_up(expires - now.ns, B->timebase_scale));
      break;
    case TC_PATH_PV:
      w = window_open();
      OPAQUE(expires);
      mmio_write64(B->pvce, expires); /* DEADLINE, absolute pvclock ns */
      break;
    default:
      w = window_open();
      break;
  }
  window_close(w);
}

static int smode_path(void) { return P == TC_PATH_SBI_S || P == TC_PATH_SSTC_S; }

/* Sleeps until an interrupt is pending, then lets it in (see rt_idle). */
static void idle(void) {
  if (smode_path()) {
    __asm__ volatile("wfi" ::: "memory");
    csr_set(sstatus, SSTATUS_SIE);
    csr_clear(sstatus, SSTATUS_SIE);
  } else {
    rt_idle();
  }
}

static void record(int64_t err) {
  if (err < 0) R->early++;
  if (R->events == 0 || err < R->err_min) R->err_min = err;
  if (R->events == 0 || err > R->err_max) R->err_max = err;
  R->err_sum += err;
  R->events++;
}

static void loop(void) {
  for (uint64_t i = 0; i < C->iterations; ++i) {
    tc_now now = read_now();
    uint64_t expires = now.ns + C->delay_ns;
    uint64_t programmed = expires - C->early_ns; /* == expires outside the self-test */
    uint64_t traps_before = tc_trap_count;
    for (uint64_t k = 0; k < C->programs; ++k) program_once(now, programmed);
    if (P == TC_PATH_NONE) continue;
    uint64_t traps_in_programming = tc_trap_count - traps_before;
    while (tc_fired == i) idle();
    if (tc_fired != i + 1) R->extra++;
    R->event_traps += tc_trap_count - traps_before - traps_in_programming;
    record((int64_t)(tc_fired_stamp - expires));
  }
}

/* instret of the empty window (path none): the first read retires inside it,
 * and so does the jump to the shared close. Subtracted from every window. */
static uint64_t measure_counter_overhead(void) {
  tc_result scratch = {0};
  tc_result* saved_r = R;
  tc_path saved_p = P;
  R = &scratch;
  P = TC_PATH_NONE;
  counter_overhead = 0;
  program_once((tc_now){0, 0}, 0);
  R = saved_r;
  P = saved_p;
  return scratch.insns;
}

static void setup(void) {
  switch (P) {
    case TC_PATH_LAPIC_ONESHOT:
    case TC_PATH_LAPIC_TSC_DEADLINE:
      mmio_write32(B->lapic + LAPIC_TDCR, LAPIC_DIVIDE_BY_1);
      mmio_write32(B->lapic + LAPIC_LVT_TIMER,
                   LAPIC_VECTOR | (P == TC_PATH_LAPIC_TSC_DEADLINE ? LAPIC_LVT_TSC_DEADLINE : 0));
      plic_enable_m(0, B->lapic_irq);
      csr_set(mie, MIE_MEIE);
      break;
    case TC_PATH_PV:
      plic_enable_m(0, B->pvce_irq);
      csr_set(mie, MIE_MEIE);
      break;
    case TC_PATH_CLINT_M:
      clint_disarm(0);
      csr_set(mie, MIE_MTIE);
      break;
    case TC_PATH_SBI_S:
    case TC_PATH_SSTC_S:
      clint_disarm(0);
      csr_set(mideleg, CSR_SIE_STIE); /* S timer interrupts go to S */
      csr_write(mcounteren, 7);       /* cycle, time, instret readable in S */
      if (P == TC_PATH_SSTC_S) {
        csr_write(0x14d, UINT64_MAX);
        csr_set(0x30a, 1ull << 63); /* menvcfg.STCE */
        csr_set(mie, CSR_SIE_STIE);
      }
      break;
    default:
      break;
  }
}

static void teardown(void) {
  csr_clear(mie, MIE_MEIE | MIE_MTIE | CSR_SIE_STIE);
  switch (P) {
    case TC_PATH_LAPIC_ONESHOT:
    case TC_PATH_LAPIC_TSC_DEADLINE:
      mmio_write32(B->lapic + LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
      plic_disable_m(0, B->lapic_irq);
      break;
    case TC_PATH_PV:
      plic_disable_m(0, B->pvce_irq);
      break;
    case TC_PATH_SBI_S:
    case TC_PATH_SSTC_S:
      csr_write(0x14d, UINT64_MAX);
      csr_clear(0x30a, 1ull << 63);
      csr_clear(mip, CSR_SIE_STIE); /* the last forwarded STIP */
      csr_clear(mideleg, CSR_SIE_STIE);
      clint_disarm(0);
      break;
    default:
      clint_disarm(0);
      break;
  }
}

void tc_run_path(tc_path path, const tc_board* b, const tc_config* c, tc_result* r) {
  B = b;
  C = c;
  R = r;
  P = path;
  *r = (tc_result){0};
  tc_fired = 0;
  tc_traps_set_path(path);
  counter_overhead = measure_counter_overhead();
  setup();
  if (smode_path()) {
    tc_call_smode(loop);
  } else {
    loop();
  }
  teardown();
  if (tc_fired != r->events) r->extra += tc_fired - r->events; /* late extras */
  tc_traps_set_path(TC_PATH_NONE);
}
