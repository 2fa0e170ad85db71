/* M-mode trap entry and exit. Every entry switches to the hart's trap stack
 * (mscratch holds its top), saves all registers and the trap CSRs in a frame,
 * calls rt_trap(frame) and restores from the frame - so a handler may change
 * registers, mepc and mstatus (e.g. MPP) of the interrupted code.
 * rt_trap_entry is for mtvec direct mode; rt_vector_table for vectored mode
 * (mtvec = table | 1), whose slot number is recorded in the frame.
 * Nested traps inside a handler are not supported (they reuse the trap stack). */
#include "runtime/layout.h"

.macro TRAP_STUB vector
  csrrw sp, mscratch, sp
  addi sp, sp, -RT_FRAME_SIZE
  sd t0, 5*8(sp)
  li t0, \vector
  j rt_trap_common
.endm

  .text
  .align 2
  .globl rt_trap_entry
rt_trap_entry:
  TRAP_STUB -1

rt_trap_common:
  sd t0, RT_FRAME_VECTOR(sp)
  sd x1, 1*8(sp)
  sd x3, 3*8(sp)
  sd x4, 4*8(sp)
  sd x6, 6*8(sp)
  sd x7, 7*8(sp)
  sd x8, 8*8(sp)
  sd x9, 9*8(sp)
  sd x10, 10*8(sp)
  sd x11, 11*8(sp)
  sd x12, 12*8(sp)
  sd x13, 13*8(sp)
  sd x14, 14*8(sp)
  sd x15, 15*8(sp)
  sd x16, 16*8(sp)
  sd x17, 17*8(sp)
  sd x18, 18*8(sp)
  sd x19, 19*8(sp)
  sd x20, 20*8(sp)
  sd x21, 21*8(sp)
  sd x22, 22*8(sp)
  sd x23, 23*8(sp)
  sd x24, 24*8(sp)
  sd x25, 25*8(sp)
  sd x26, 26*8(sp)
  sd x27, 27*8(sp)
  sd x28, 28*8(sp)
  sd x29, 29*8(sp)
  sd x30, 30*8(sp)
  sd x31, 31*8(sp)
  csrr t0, mscratch
  sd t0, 2*8(sp)
  addi t0, sp, RT_FRAME_SIZE
  csrw mscratch, t0
  csrr t0, mepc
  sd t0, RT_FRAME_MEPC(sp)
  csrr t0, mcause
  sd t0, RT_FRAME_MCAUSE(sp)
  csrr t0, mtval
  sd t0, RT_FRAME_MTVAL(sp)
  csrr t0, mstatus
  sd t0, RT_FRAME_MSTATUS(sp)
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop

  mv a0, sp
  call rt_trap

  ld t0, RT_FRAME_MEPC(sp)
  csrw mepc, t0
  ld t0, RT_FRAME_MSTATUS(sp)
  csrw mstatus, t0
  ld x1, 1*8(sp)
  ld x3, 3*8(sp)
  ld x4, 4*8(sp)
  ld x5, 5*8(sp)
  ld x6, 6*8(sp)
  ld x7, 7*8(sp)
  ld x8, 8*8(sp)
  ld x9, 9*8(sp)
  ld x10, 10*8(sp)
  ld x11, 11*8(sp)
  ld x12, 12*8(sp)
  ld x13, 13*8(sp)
  ld x14, 14*8(sp)
  ld x15, 15*8(sp)
  ld x16, 16*8(sp)
  ld x17, 17*8(sp)
  ld x18, 18*8(sp)
  ld x19, 19*8(sp)
  ld x20, 20*8(sp)
  ld x21, 21*8(sp)
  ld x22, 22*8(sp)
  ld x23, 23*8(sp)
  ld x24, 24*8(sp)
  ld x25, 25*8(sp)
  ld x26, 26*8(sp)
  ld x27, 27*8(sp)
  ld x28, 28*8(sp)
  ld x29, 29*8(sp)
  ld x30, 30*8(sp)
  ld x31, 31*8(sp)
  ld x2, 2*8(sp)
  mret

/* Vectored mode: synchronous traps land in slot 0, interrupt n in slot n.
 * Each slot must be exactly one 4-byte jump, so compressed forms are off here. */
  .option push
  .option norvc
  .align 8
  .globl rt_vector_table
rt_vector_table:
  j rt_vec0
  j rt_vec1
  j rt_vec2
  j rt_vec3
  j rt_vec4
  j rt_vec5
  j rt_vec6
  j rt_vec7
  j rt_vec8
  j rt_vec9
  j rt_vec10
  j rt_vec11
  j rt_vec12
  j rt_vec13
  j rt_vec14
  j rt_vec15
  .option pop

rt_vec0: TRAP_STUB 0
rt_vec1: TRAP_STUB 1
rt_vec2: TRAP_STUB 2
rt_vec3: TRAP_STUB 3
rt_vec4: TRAP_STUB 4
rt_vec5: TRAP_STUB 5
rt_vec6: TRAP_STUB 6
rt_vec7: TRAP_STUB 7
rt_vec8: TRAP_STUB 8
rt_vec9: TRAP_STUB 9
rt_vec10: TRAP_STUB 10
rt_vec11: TRAP_STUB 11
rt_vec12: TRAP_STUB 12
rt_vec13: TRAP_STUB 13
rt_vec14: TRAP_STUB 14
rt_vec15: TRAP_STUB 15
