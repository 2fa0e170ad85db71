/* Time delta: the guest reads `time`, executes exactly D instructions, reads it
 * again. Under icount shift=N every instruction is 2^N ns of VIRTUAL time and a
 * tick is 100 ns, so the delta is D * 2^N / 100 ticks - exact when D * 2^N is a
 * multiple of 100 (printed), floor or ceil of it otherwise (checked, not
 * printed: which one depends on where the first read fell in its tick).
 * The program infers 2^N from its longest run (D = 1,000,000) and checks every
 * other run against it; at shift=4 that is D * 16 / 100.
 * Needs icount: with real time the deltas depend on the host and it fails. */
#include "runtime/rt.h"

uint64_t delta_d1(void), delta_d10(void), delta_d25(void), delta_d50(void), delta_d100(void),
    delta_d333(void), delta_d1000(void), delta_d10000(void), delta_d100000(void),
    delta_d1000000(void), mmio_d100(uintptr_t), mmio_d10000(uintptr_t);

typedef struct {
  const char* name;
  uint64_t distance; /* D: instructions from the first read to the second */
  uint64_t ticks;    /* measured */
} measurement;

static uint64_t ns_per_insn;

static void report(const measurement* m) {
  uint64_t ns = m->distance * ns_per_insn;
  uint64_t floor_ticks = ns / 100;
  uint64_t ceil_ticks = (ns + 99) / 100;
  if (ns % 100 == 0) {
    rt_printf("%-6s D=%-7lu %lu ticks (want %lu)\n", m->name, m->distance, m->ticks,
              floor_ticks);
    CHECK_EQ(m->name, m->ticks, floor_ticks);
  } else {
    CHECK(m->name, m->ticks == floor_ticks || m->ticks == ceil_ticks);
  }
}

int guest_main(void) {
  rt_printf("time_delta: ticks seen across D instructions (D * 2^shift / 100)\n");
  rt_check_group("time delta");
  measurement runs[] = {
      {"time", 1, delta_d1()},
      {"time", 10, delta_d10()},
      {"time", 25, delta_d25()},
      {"time", 50, delta_d50()},
      {"time", 100, delta_d100()},
      {"time", 333, delta_d333()},
      {"time", 1000, delta_d1000()},
      {"time", 10000, delta_d10000()},
      {"time", 100000, delta_d100000()},
      {"time", 1000000, delta_d1000000()},
      {"mtime", 100, mmio_d100(CLINT_MTIME)},
      {"mtime", 10000, mmio_d10000(CLINT_MTIME)},
  };
  const measurement* longest = &runs[9];
  ns_per_insn = (longest->ticks * 100 + longest->distance / 2) / longest->distance;
  rt_printf("icount: %lu ns per instruction\n", ns_per_insn);
  CHECK("a power of two up to 1024 ns", ns_per_insn >= 1 && ns_per_insn <= 1024 &&
                                            (ns_per_insn & (ns_per_insn - 1)) == 0);
  for (unsigned i = 0; i < sizeof runs / sizeof runs[0]; i++) report(&runs[i]);
  rt_check_group_end();
  return rt_check_summary("time_delta");
}
