/* The timer-programming cost experiment, driver: reads the devices from
 * the device tree and the configuration from /chosen/bootargs
 *   iterations=N (1000)  path=a..f|all|none (all)  programs=K (1)  delay=NS (20000)
 *   early=NS (0; a self-test of the check: program NS before the requested time)
 * runs each path and prints, per path, guest instructions and traps per
 * programming, instructions per read of "now", traps per delivered event, and the delivery error (handler
 * entry stamp - requested time) in VIRTUAL ns. Only guest-measured figures,
 * so the text is exact under icount. Fails (status 3) if any interrupt came
 * earlier than requested, (4) on a missing or extra interrupt, (2) on bad
 * bootargs or missing devices. path=none is the baseline loop for bench/. */
#include "runtime/rt.h"
#include "timer_cost/timer_cost.h"

static const char* const kPathNames[TC_PATHS] = {
    "none",       "a lapic-oneshot", "b lapic-tsc-deadline", "c clint-m",
    "d sbi-s",    "e sstc-s",        "f pv-clockevent",
};

/* ceil(hz * 2^shift / 1e9) in 64-bit arithmetic (no 128-bit division in
 * this libgcc): whole GHz and the remainder separately; hz below 2^32. */
tc_scale tc_scale_for(uint64_t hz) {
  const uint64_t giga = 1000000000u;
  tc_scale s = {0, 32};
  for (;;) {
    uint64_t r = (hz % giga) << s.shift; /* < 2^62 */
    s.mult = ((hz / giga) << s.shift) + r / giga + (r % giga != 0);
    if (s.mult <= UINT32_MAX || s.shift == 0) return s;
    --s.shift;
  }
}

static int starts_with(const char* s, const char* prefix, const char** rest) {
  while (*prefix) {
    if (*s++ != *prefix++) return 0;
  }
  *rest = s;
  return 1;
}

static int parse_u64(const char* s, const char* end, uint64_t* out) {
  uint64_t v = 0;
  if (s == end) return 0;
  for (; s < end; ++s) {
    if (*s < '0' || *s > '9') return 0;
    v = v * 10 + (uint64_t)(*s - '0');
  }
  *out = v;
  return 1;
}

/* Parses the bootargs; `paths` gets one bit per path to run. 0 on error. */
static int parse_bootargs(const char* args, tc_config* c, unsigned* paths) {
  while (args && *args) {
    while (*args == ' ') ++args;
    const char* end = args;
    while (*end && *end != ' ') ++end;
    if (end == args) break;
    const char* v;
    int ok = 0;
    if (starts_with(args, "iterations=", &v)) {
      ok = parse_u64(v, end, &c->iterations) && c->iterations > 0;
    } else if (starts_with(args, "programs=", &v)) {
      ok = parse_u64(v, end, &c->programs) && c->programs > 0;
    } else if (starts_with(args, "delay=", &v)) {
      ok = parse_u64(v, end, &c->delay_ns) && c->delay_ns > 0 && c->delay_ns < 1000000000u;
    } else if (starts_with(args, "early=", &v)) {
      ok = parse_u64(v, end, &c->early_ns);
    } else if (starts_with(args, "path=", &v)) {
      if (end - v == 3 && v[0] == 'a' && v[1] == 'l' && v[2] == 'l') {
        *paths = ((1u << TC_PATHS) - 1) & ~1u;
        ok = 1;
      } else if (end - v == 4 && v[0] == 'n' && v[1] == 'o' && v[2] == 'n' && v[3] == 'e') {
        *paths = 1u << TC_PATH_NONE;
        ok = 1;
      } else if (end - v == 1 && *v >= 'a' && *v <= 'f') {
        *paths = 1u << (TC_PATH_LAPIC_ONESHOT + (unsigned)(*v - 'a'));
        ok = 1;
      }
    }
    if (!ok) {
      rt_printf("timer_cost: bad bootarg '");
      for (const char* p = args; p < end; ++p) rt_printf("%c", *p);
      rt_printf("' (iterations=N path=a..f|all|none programs=K delay=NS early=NS)\n");
      return 0;
    }
    args = end;
  }
  if (c->early_ns >= c->delay_ns) {
    rt_printf("timer_cost: early= must be below delay=\n");
    return 0;
  }
  return 1;
}

static int read_device(const void* dtb, const char* path, uintptr_t* base, uint32_t* irq) {
  uint32_t len = 0;
  const void* reg = fdt_get_prop(dtb, path, "reg", &len);
  if (!reg || len < 8) return 0;
  *base = (uintptr_t)fdt_read_cells(reg, 2);
  if (irq) {
    const void* irqs = fdt_get_prop(dtb, path, "interrupts", &len);
    if (!irqs || len < 4) return 0;
    *irq = (uint32_t)fdt_read_cells(irqs, 1);
  }
  return 1;
}

static int find_board(tc_board* b) {
  const void* dtb = rt_dtb();
  uint32_t len = 0;
  if (!read_device(dtb, "/soc/lapic-timer@6010000", &b->lapic, &b->lapic_irq) ||
      !read_device(dtb, "/soc/pv-clockevent@6020000", &b->pvce, &b->pvce_irq) ||
      !read_device(dtb, "/soc/pvclock@6030000", &b->pvclock, 0) || b->lapic != TC_LAPIC_BASE) {
    rt_printf("timer_cost: needs the board's --lapic-timer --pv-clockevent --pvclock devices\n");
    return 0;
  }
  const void* tb = fdt_get_prop(dtb, "/cpus", "timebase-frequency", &len);
  b->timebase_hz = tb ? fdt_read_cells(tb, len >= 8 ? 2 : 1) : 10000000u;
  b->bus_hz = mmio_read64(b->lapic + 0x410);  /* BUS_FREQUENCY: no calibration loop */
  b->tsc_hz = mmio_read64(b->lapic + 0x418);  /* TSC_FREQUENCY */
  b->bus_scale = tc_scale_for(b->bus_hz);     /* divide by 1 */
  b->tsc_scale = tc_scale_for(b->tsc_hz);
  b->timebase_scale = tc_scale_for(b->timebase_hz);
  b->tsc_ns_per_tick = 1000000000u % b->tsc_hz ? 0 : 1000000000u / b->tsc_hz;
  b->timebase_ns_per_tick = 1000000000u % b->timebase_hz ? 0 : 1000000000u / b->timebase_hz;
  return 1;
}

/* num / den with one decimal, rounded down (den > 0). */
static void print_ratio(const char* label, int64_t num, uint64_t den) {
  int negative = num < 0;
  uint64_t n = negative ? (uint64_t)-num : (uint64_t)num;
  uint64_t tenths = n * 10 / den;
  rt_printf(" %s %s%lu.%lu", label, negative ? "-" : "", tenths / 10, tenths % 10);
}

static void report(tc_path path, const tc_config* c, const tc_result* r) {
  uint64_t programmings = c->iterations * c->programs;
  rt_printf("%-20s", kPathNames[path]);
  print_ratio("insns/prog", (int64_t)r->insns, programmings);
  print_ratio("traps/prog", (int64_t)r->prog_traps, programmings);
  if (path == TC_PATH_NONE) {
    rt_printf("\n");
    return;
  }
  print_ratio("insns/now", (int64_t)r->now_insns, c->iterations);
  print_ratio("traps/event", (int64_t)r->event_traps, r->events);
  rt_printf(" error_ns min %ld", r->err_min);
  print_ratio("mean", r->err_sum, r->events);
  rt_printf(" max %ld\n", r->err_max);
}

int guest_main(void) {
  tc_config config = {.iterations = 1000, .delay_ns = 20000, .programs = 1};
  unsigned paths = ((1u << TC_PATHS) - 1) & ~1u;
  uint32_t len = 0;
  const char* args = fdt_get_prop(rt_dtb(), "/chosen", "bootargs", &len);
  if (!parse_bootargs(args, &config, &paths)) return 2;
  static tc_board board;
  if (!find_board(&board)) return 2;
  tc_traps_install(&board);

  rt_printf("timer_cost: %lu events per path, %lu ns ahead, %lu programming(s) per event\n",
            config.iterations, config.delay_ns, config.programs);
  int status = 0;
  for (unsigned p = 0; p < TC_PATHS; ++p) {
    if (!(paths & (1u << p))) continue;
    tc_result r;
    tc_run_path((tc_path)p, &board, &config, &r);
    report((tc_path)p, &config, &r);
    if (r.early) {
      rt_printf("FAIL %s: %lu interrupts earlier than requested\n", kPathNames[p], r.early);
      status = 3;
    }
    if (p != TC_PATH_NONE && (r.extra || r.events != config.iterations)) {
      rt_printf("FAIL %s: %lu events, %lu extra interrupts\n", kPathNames[p], r.events, r.extra);
      if (!status) status = 4;
    }
  }
  if (status == 0 && !(paths & 1u)) {
    rt_printf("timer_cost: every interrupt on every path came no earlier than requested\n");
  }
  return status;
}
