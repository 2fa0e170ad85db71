/* Idle timer latency: the hart sleeps in wfi while the CLINT interrupts it
 * every period (mtimecmp += period, absolute, so no drift), and the handler
 * stamps mtime at entry. Prints how many came, how many came early (before
 * mtimecmp: must be none), the guest time the whole schedule took, and the
 * distribution of entry - mtimecmp in ns, from the guest's own numbers. With
 * sleep=off every figure is exact; under sleep=on or without icount the
 * latency is the host's, and bench/idle_bench reads it from here.
 * Bootargs: count=N (2000) period_us=P (1000) latency=on (prints the
 * distribution line, which is the host's or, under icount, the board's own:
 * QEMU's and vtime's differ by an instruction or two). Status 3 if any was
 * early, 2 on a bad bootarg. */
#include "runtime/rt.h"

#define MAX_COUNT 20000

static uint32_t latency_ticks[MAX_COUNT];
static volatile uint64_t fired;
static volatile uint64_t early;
static uint64_t deadline;
static uint64_t count = 2000;
static uint64_t period_ticks = CLINT_TICKS_PER_MS;
static int print_latency;

static void on_timer(rt_trap_frame* f) {
  const uint64_t now = clint_mtime();
  if (now < deadline) {
    early++;
  } else {
    const uint64_t late = now - deadline;
    latency_ticks[fired] = late > UINT32_MAX ? UINT32_MAX : (uint32_t)late;
  }
  fired++;
  deadline += period_ticks;
  clint_set_mtimecmp(0, fired < count ? deadline : UINT64_MAX);
}

static int starts_with(const char* s, const char* prefix) {
  while (*prefix) {
    if (*s++ != *prefix++) return 0;
  }
  return 1;
}

/* Parses "count=N period_us=P" (either, any order); 0 on anything else. */
static int parse_bootargs(const char* s) {
  while (s && *s) {
    while (*s == ' ') s++;
    if (!*s) break;
    uint64_t* target = 0;
    uint64_t scale = 1;
    if (starts_with(s, "latency=on") && (s[10] == ' ' || s[10] == 0)) {
      print_latency = 1;
      s += 10;
      continue;
    }
    if (starts_with(s, "count=")) {
      target = &count;
      s += 6;
    } else if (starts_with(s, "period_us=")) {
      target = &period_ticks;
      scale = CLINT_TICKS_PER_SECOND / 1000000;
      s += 10;
    } else {
      return 0;
    }
    uint64_t v = 0;
    int digits = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) v = v * 10 + (uint64_t)(*s - '0');
    if (digits == 0 || digits > 9 || (*s != ' ' && *s != 0)) return 0;
    *target = v * scale;
  }
  return count >= 1 && count <= MAX_COUNT && period_ticks >= 1;
}

/* Shell sort: 20,000 values at most, no allocation. */
static void sort(uint32_t* v, uint64_t n) {
  for (uint64_t gap = n / 2; gap > 0; gap /= 2) {
    for (uint64_t i = gap; i < n; i++) {
      const uint32_t x = v[i];
      uint64_t j = i;
      for (; j >= gap && v[j - gap] > x; j -= gap) v[j] = v[j - gap];
      v[j] = x;
    }
  }
}

/* Nearest-rank quantile q/100 of the sorted v[0..n). */
static uint64_t quantile_ns(const uint32_t* v, uint64_t n, uint64_t q) {
  uint64_t rank = (q * n + 99) / 100;
  if (rank == 0) rank = 1;
  return (uint64_t)v[rank - 1] * (1000000000ull / CLINT_TICKS_PER_SECOND);
}

int guest_main(void) {
  uint32_t len = 0;
  const char* args = fdt_get_prop(rt_dtb(), "/chosen", "bootargs", &len);
  if (!parse_bootargs(args)) {
    rt_printf("idle_latency: bad bootargs '%s' (count=1..%u period_us=N latency=on)\n", args ? args : "",
              MAX_COUNT);
    return 2;
  }
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  const uint64_t start = clint_mtime();
  deadline = start + period_ticks;
  clint_set_mtimecmp(0, deadline);
  csr_set(mie, MIE_MTIE);
  rt_irq_enable();
  while (fired < count) rt_wfi();
  rt_irq_disable();
  csr_clear(mie, MIE_MTIE);
  const uint64_t end = clint_mtime();
  const uint64_t on_time = fired - early;
  sort(latency_ticks, on_time);
  const uint64_t ns_per_tick = 1000000000ull / CLINT_TICKS_PER_SECOND;
  rt_printf("idle_latency: %lu interrupts every %lu us in wfi, %lu early\n", fired,
            period_ticks / (uint64_t)(CLINT_TICKS_PER_SECOND / 1000000), early);
  rt_printf("idle_latency: guest time %lu ns\n", (end - start) * ns_per_tick);
  if (print_latency && on_time > 0) {
    rt_printf("idle_latency: latency ns p50 %lu p99 %lu max %lu\n", quantile_ns(latency_ticks, on_time, 50),
              quantile_ns(latency_ticks, on_time, 99), quantile_ns(latency_ticks, on_time, 100));
  }
  return early == 0 ? 0 : 3;
}
