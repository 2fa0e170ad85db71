/* Benchmark guest: the tight integer loop (addi, addi, xor, bne) for
 * 25,000,000 iterations = 100 M instructions, then its results, so that a
 * board that runs it fast but wrong fails its board.guest test. */
#include "runtime/rt.h"

#define ITERATIONS 25000000ul

uint64_t bench_tight_loop(uint64_t iterations, uint64_t out[2]);

int guest_main(void) {
  uint64_t out[2] = {0, 0};
  uint64_t n = bench_tight_loop(ITERATIONS, out);
  rt_printf("bench_tight: %lu iterations, a2=%lu a3=0x%lx\n", n, out[0], out[1]);
  return n == ITERATIONS ? 0 : 1;
}
