/* Reset entry: the boot ROM jumps here in M mode with a0 = hart id, a1 = device tree.
 * Each hart gets its own stack and trap stack (mscratch); hart 0 clears .bss and
 * releases the others, which then run rt_secondary_boot (parks unless the program
 * defines secondary_main). Harts beyond RT_MAX_HARTS park forever. */
#include "runtime/layout.h"

  .section .text.start, "ax"
  .globl _start
_start:
  csrw mie, zero
  la t0, rt_early_trap
  csrw mtvec, t0
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  li t0, RT_MAX_HARTS
  bgeu a0, t0, rt_park_forever

  li t0, RT_STACK_SIZE
  mul t1, a0, t0
  la sp, __stacks_end
  sub sp, sp, t1
  li t0, RT_TRAP_STACK_SIZE
  mul t1, a0, t0
  la t2, __trap_stacks_end
  sub t2, t2, t1
  csrw mscratch, t2
  mv s0, a0
  mv s1, a1
  bnez a0, wait_for_bss

  la t0, __bss_start
  la t1, __bss_end
1:
  bgeu t0, t1, 2f
  sd zero, 0(t0)
  addi t0, t0, 8
  j 1b
2:
  fence rw, rw
  la t0, rt_bss_ready
  li t1, 1
  sw t1, 0(t0)
  mv a0, s0
  mv a1, s1
  call rt_boot
  j rt_park_forever

wait_for_bss:
  la t0, rt_bss_ready
3:
  lw t1, 0(t0)
  beqz t1, 3b
  fence r, rw
  mv a0, s0
  mv a1, s1
  call rt_secondary_boot

  .globl rt_park_forever
rt_park_forever:
  csrw mie, zero
4:
  wfi
  j 4b

/* A trap before the runtime installed its handler: report failure on the test
 * device (exit code 0x7f) so a broken boot never looks like a pass. */
  .align 2
rt_early_trap:
  li t0, RT_TEST_BASE
  li t1, (0x7f << 16) | 0x3333
  sw t1, 0(t0)
  j rt_early_trap

  .section .data
  .align 2
  .globl rt_bss_ready
rt_bss_ready:
  .word 0
