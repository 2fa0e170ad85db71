/* Benchmark guest: the mixed loop (a load, an add, a store, a call that
 * stores, a load of what it stored, a data-dependent branch) for 8,000,000
 * iterations = 116 M instructions, then its results. */
#include "runtime/rt.h"

#define ITERATIONS 8000000ul

uint64_t bench_mixed_loop(uint64_t iterations, uint64_t data[2], uint64_t out[2]);

/* On a page of its own: stores to a page that holds code take the interpreter's
 * checked slow path (self-modifying code), which a real program's data avoids. */
static uint64_t data[2] __attribute__((aligned(4096)));

int guest_main(void) {
  uint64_t out[2] = {0, 0};
  uint64_t sum = bench_mixed_loop(ITERATIONS, data, out);
  rt_printf("bench_mixed: %lu iterations, sum=0x%lx odd=%lu a2=%lu\n", data[0], sum, out[0],
            out[1]);
  return data[0] == ITERATIONS ? 0 : 1;
}
