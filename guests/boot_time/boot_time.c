/* Boot time: how many instructions ran before the guest's first instruction,
 * measured through `time` alone. The reset code reads `time` 25 times in a row
 * as the very first instructions; with N ns per instruction (icount) the read
 * that is the X-th instruction since reset sees floor(X * N / 100) ticks, and
 * the positions of the tick edges among 25 consecutive reads pin X down
 * exactly. This is the one guest whose output depends on the board's boot ROM
 * (QEMU's runs 6 instructions); see docs/guests.md. */
#include "runtime/rt.h"

#define SAMPLES 25

extern uint64_t boot_samples[SAMPLES];
uint64_t delta_1m(void);

static int matches(uint64_t first, uint64_t ns) {
  for (uint64_t i = 0; i < SAMPLES; i++) {
    if ((first + i) * ns / 100 != boot_samples[i]) return 0;
  }
  return 1;
}

int guest_main(void) {
  rt_printf("boot_time: instructions before the guest's first instruction\n");
  uint64_t ns = (delta_1m() * 100 + 500000) / 1000000;
  rt_printf("icount: %lu ns per instruction\n", ns);
  rt_printf("time at the first guest instruction: %lu ticks, at the 25th: %lu ticks\n",
            boot_samples[0], boot_samples[SAMPLES - 1]);
  if (ns * SAMPLES < 100) {
    rt_printf("boot_time: %lu ns per instruction is too fine to tell (needs shift >= 2)\n", ns);
    return 0;
  }
  uint64_t found = 0, count = 0;
  for (uint64_t x = 1; x <= 100000; x++) {
    if (matches(x, ns)) {
      if (count == 0) found = x;
      count++;
    }
  }
  rt_check_group("boot count");
  CHECK_EQ("exactly one instruction count fits", count, 1);
  rt_check_group_end();
  if (count == 1) {
    rt_printf("first guest instruction is instruction %lu since reset (%lu before it)\n", found,
              found - 1);
  }
  return rt_check_summary("boot_time");
}
