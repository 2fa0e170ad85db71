/* Every hart (count from the device tree) races the others, with no token
 * passing, through racy plain loads and stores on a shared array, LR/SC and AMO
 * increments, IPIs through the CLINT msip and a periodic timer interrupt of its
 * own, with some WFIs; it folds everything it observes into a running hash.
 * Hart 0 prints each hart's hash and a combined trace hash, and checks what the
 * interleaving cannot change (exact atomic totals, IPIs received == sent, timer
 * interrupts kept up with mtime and none early). The hashes are a function of the
 * interleaving, so this program has no expected text: under icount with
 * sleep=off two runs must print the same thing, and a different quantum must not. */
#include "runtime/rt.h"

#define ITERATIONS 12000
#define IPI_EVERY 40     /* iterations between two IPIs a hart sends */
#define WFI_EVERY 100    /* iterations between two WFIs */
#define SHARED_WORDS 64
#define MIN_TIMER_PERIOD 500 /* ticks: 50 us */
#define CALIBRATION_LOOPS 1024 /* of 2 instructions */
#define WAIT_LIMIT_PERIODS 10000

typedef struct {
  uint64_t hash;              /* what the work loop observed */
  volatile uint64_t irq_hash; /* what the interrupt handlers observed */
  volatile uint64_t deadline; /* of the next timer interrupt */
  volatile uint64_t timer_irqs;
  volatile uint64_t timer_early;
  volatile uint64_t ipi_entries;
  volatile uint64_t ipis_received; /* posts drained by the msip handler */
  uint64_t ipis_sent;
  uint64_t sc_failures;
  uint64_t swapped_in;  /* xor of the values this hart put in swap_cell */
  uint64_t swapped_out; /* xor of the old values amoswap returned */
  uint64_t or_bits;
  uint64_t start;  /* mtime when the timer was first armed */
  uint64_t end;    /* mtime when it was disarmed */
} hart_state;

static hart_state state[RT_MAX_HARTS];
static volatile uint64_t shared[SHARED_WORDS];
static volatile uint64_t lrsc_counter;
static volatile uint64_t amo_counter;
static volatile uint64_t swap_cell;
static volatile uint64_t or_cell;
static volatile uint64_t posted[RT_MAX_HARTS];  /* IPIs not yet drained, per target */
static volatile uint64_t sent_to[RT_MAX_HARTS]; /* IPIs ever sent, per target */
static volatile uint64_t go;
static volatile uint64_t finished; /* harts done sending */
static volatile uint64_t published;
static uint32_t harts;
static uint64_t timer_period; /* ticks, set by hart 0 before the start signal */

/* FNV-1a's step on a whole 64-bit word, then a shift so that high bits reach low ones. */
static uint64_t fold(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

static uint64_t amoadd(volatile uint64_t* p, uint64_t v) {
  uint64_t old;
  __asm__ volatile("amoadd.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}

static uint64_t amoswap(volatile uint64_t* p, uint64_t v) {
  uint64_t old;
  __asm__ volatile("amoswap.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}

static uint64_t amoor(volatile uint64_t* p, uint64_t v) {
  uint64_t old;
  __asm__ volatile("amoor.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}

/* One LR/SC increment; returns how many SCs failed before one succeeded. The
 * shifts between LR and SC only widen the window in which an interrupt or
 * another hart's turn can break the reservation. */
static uint64_t lrsc_add(volatile uint64_t* p, uint64_t* old) {
  uint64_t value, fail, scratch, failures = 0;
  for (;;) {
    __asm__ volatile(
        "lr.d %0, (%3)\n"
        "slli %2, %0, 3\nxor %2, %2, %0\nsrli %2, %2, 5\nxor %2, %2, %0\nslli %2, %2, 1\n"
        "addi %0, %0, 1\n"
        "sc.d %1, %0, (%3)"
        : "=&r"(value), "=&r"(fail), "=&r"(scratch)
        : "r"(p)
        : "memory");
    if (fail == 0) break;
    failures++;
  }
  *old = value - 1;
  return failures;
}

static void on_timer(rt_trap_frame* f) {
  uint64_t me = rt_hartid();
  hart_state* s = &state[me];
  uint64_t now = clint_mtime();
  s->irq_hash = fold(s->irq_hash, now);
  if (now < s->deadline) s->timer_early++;
  s->timer_irqs++;
  s->deadline += timer_period; /* from the intended deadline: no drift */
  clint_set_mtimecmp(me, s->deadline);
}

/* Clears msip before draining, so a post that lands after the drain raises it again. */
static void on_ipi(rt_trap_frame* f) {
  uint64_t me = rt_hartid();
  hart_state* s = &state[me];
  s->irq_hash = fold(fold(s->irq_hash, clint_mtime()), csr_read(minstret));
  clint_set_msip(me, 0);
  uint64_t got = amoswap(&posted[me], 0);
  s->irq_hash = fold(s->irq_hash, got);
  s->ipis_received += got;
  s->ipi_entries++;
}

static void send_ipi(hart_state* s, uint32_t target) {
  amoadd(&sent_to[target], 1);
  amoadd(&posted[target], 1);
  clint_set_msip(target, 1);
  s->ipis_sent++;
}

/* Sleeps (interrupts on: the timer wakes every period) until *word == want;
 * ends the run if that takes WAIT_LIMIT_PERIODS timer periods. */
static void wait_for(volatile uint64_t* word, uint64_t want, const char* what) {
  uint64_t limit = clint_mtime() + WAIT_LIMIT_PERIODS * timer_period;
  while (*word != want) {
    if (clint_mtime() > limit) {
      rt_printf("race: hart %lu gave up waiting for %s (%lu of %lu)\n", rt_hartid(), what, *word,
                want);
      rt_exit(2);
    }
    rt_wfi();
  }
}

static void start_timer(uint32_t me, hart_state* s) {
  s->start = clint_mtime();
  s->deadline = s->start + timer_period;
  clint_set_mtimecmp(me, s->deadline);
  csr_set(mie, MIE_MSIE | MIE_MTIE);
  rt_irq_enable();
}

static void stop_timer(uint32_t me, hart_state* s) {
  rt_irq_disable();
  csr_write(mie, 0);
  s->end = clint_mtime();
  clint_disarm(me);
}

static void work(uint32_t me, hart_state* s) {
  uint64_t h = fold(0xcbf29ce484222325ull, me);
  for (uint32_t i = 0; i < ITERATIONS; i++) {
    uint64_t idx = (h >> 7) % SHARED_WORDS;
    h = fold(h, shared[idx]);
    shared[(idx + me + 1) % SHARED_WORDS] = h;

    uint64_t old;
    uint64_t failures = lrsc_add(&lrsc_counter, &old);
    s->sc_failures += failures;
    h = fold(fold(h, old), failures);

    h = fold(h, amoadd(&amo_counter, 1));
    uint64_t in = ((uint64_t)(me + 1) << 32) | i;
    uint64_t out = amoswap(&swap_cell, in);
    s->swapped_in ^= in;
    s->swapped_out ^= out;
    h = fold(h, out);
    uint64_t bit = 1ull << ((me * 13 + i) % 64);
    s->or_bits |= bit;
    h = fold(h, amoor(&or_cell, bit));

    if (harts > 1 && i % IPI_EVERY == IPI_EVERY - 1) {
      send_ipi(s, (me + 1 + (i / IPI_EVERY) % (harts - 1)) % harts);
    }
    if (i % WFI_EVERY == WFI_EVERY - 1) {
      h = fold(h, clint_mtime());
      rt_wfi();
    }
  }
  s->hash = h;
}

/* Everything one hart does between the start signal and publishing its state.
 * A secondary's start msip is left pending: its handler clears it, so an IPI
 * another hart posts meanwhile cannot be lost. */
static void race(uint32_t me) {
  hart_state* s = &state[me];
  start_timer(me, s);
  work(me, s);
  __asm__ volatile("fence rw, rw" ::: "memory");
  amoadd(&finished, 1);
  wait_for(&finished, harts, "every hart to finish sending");
  wait_for(&s->ipis_received, sent_to[me], "its IPIs");
}

void guest_secondary(uint64_t hartid) {
  uint32_t me = (uint32_t)hartid;
  csr_set(mie, MIE_MSIE); /* hart 0's msip wakes the WFI; mstatus.MIE stays 0 */
  while (!go) rt_wfi();
  race(me);
  stop_timer(me, &state[me]);
  __asm__ volatile("fence rw, rw" ::: "memory");
  amoadd(&published, 1);
}

static void check_invariants(void) {
  uint64_t sent = 0, received = 0, in = 0, out = swap_cell, bits = 0;
  rt_check_group("invariants");
  for (uint32_t h = 0; h < harts; h++) {
    const hart_state* s = &state[h];
    sent += s->ipis_sent;
    received += s->ipis_received;
    in ^= s->swapped_in;
    out ^= s->swapped_out;
    bits |= s->or_bits;
    CHECK_EQ("IPIs received == sent to the hart", s->ipis_received, sent_to[h]);
    CHECK("an msip entry per IPI at most", s->ipi_entries <= s->ipis_received + 1);
    CHECK_EQ("no timer interrupt early", s->timer_early, 0);
    CHECK("timer interrupts kept up with mtime",
          s->timer_irqs + 1 >= (s->end - s->start) / timer_period && s->timer_irqs > 0);
  }
  CHECK_EQ("IPIs received == sent", received, sent);
  CHECK_EQ("IPIs sent", sent, harts > 1 ? (uint64_t)harts * (ITERATIONS / IPI_EVERY) : 0);
  CHECK_EQ("no lost LR/SC increment", lrsc_counter, (uint64_t)harts * ITERATIONS);
  CHECK_EQ("no lost amoadd", amo_counter, (uint64_t)harts * ITERATIONS);
  CHECK_EQ("amoswap lost or made no value", out, in);
  CHECK_EQ("amoor kept every bit", or_cell, bits);
  rt_check_group_end();
}

/* A timer period of at least 4,096 instructions of a lone hart (at least
 * 50 us), so the handlers never take the whole period, whatever the shift. */
static uint64_t calibrated_timer_period(void) {
  uint64_t loops = CALIBRATION_LOOPS;
  uint64_t start = clint_mtime();
  __asm__ volatile("1: addi %0, %0, -1\nbnez %0, 1b" : "+r"(loops));
  uint64_t period = 2 * (clint_mtime() - start);
  return period > MIN_TIMER_PERIOD ? period : MIN_TIMER_PERIOD;
}

int guest_main(void) {
  harts = fdt_count_cpus(rt_dtb());
  if (harts == 0 || harts > RT_MAX_HARTS) harts = 1;
  timer_period = calibrated_timer_period();
  rt_printf("race: %u harts, %u iterations each, a timer interrupt every %lu ticks\n", harts,
            ITERATIONS, timer_period);
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  rt_set_irq_handler(IRQ_M_SOFT, on_ipi);
  __asm__ volatile("fence rw, rw" ::: "memory");
  go = 1;
  for (uint32_t h = 1; h < harts; h++) clint_set_msip(h, 1);
  race(0);
  wait_for(&published, harts - 1, "every hart to publish");
  stop_timer(0, &state[0]);

  uint64_t trace = 0xcbf29ce484222325ull;
  for (uint32_t h = 0; h < harts; h++) {
    const hart_state* s = &state[h];
    uint64_t hash = fold(s->hash, s->irq_hash);
    rt_printf("hart %u: hash %016lx, %lu SC failures, %lu IPIs in %lu entries, %lu timer interrupts\n",
              h, hash, s->sc_failures, s->ipis_received, s->ipi_entries, s->timer_irqs);
    trace = fold(trace, hash);
  }
  for (uint32_t w = 0; w < SHARED_WORDS; w++) trace = fold(trace, shared[w]);
  rt_printf("race: trace hash %016lx\n", trace);
  check_invariants();
  return rt_check_summary("race");
}
