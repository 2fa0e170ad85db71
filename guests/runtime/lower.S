/* Running code in S or U mode from M mode (see rt_run_lower in strap.h).
 * rt_run_lower_at saves the M caller's callee-saved registers and sp, then
 * MRETs to fn with MPP = the requested mode; fn returns into rt_lower_exit,
 * whose ecall (a7 = RT_ECALL_RETURN) the M hook turns into a jump to
 * rt_lower_resume in M mode with the saved sp and fn's a0. */
#include "runtime/strap.h"

  .text
  .globl rt_run_lower
rt_run_lower:              /* (mode, fn, arg) */
  li a3, 0
  li a4, 0
  /* fall through */
  .globl rt_run_lower_at
rt_run_lower_at:           /* (mode, fn, arg, sp, exit_pc) */
  addi sp, sp, -112
  sd ra, 0(sp)
  sd s0, 8(sp)
  sd s1, 16(sp)
  sd s2, 24(sp)
  sd s3, 32(sp)
  sd s4, 40(sp)
  sd s5, 48(sp)
  sd s6, 56(sp)
  sd s7, 64(sp)
  sd s8, 72(sp)
  sd s9, 80(sp)
  sd s10, 88(sp)
  sd s11, 96(sp)
  la t0, rt_lower_saved_sp
  sd sp, 0(t0)
  csrw mepc, a1
  li t0, 3 << 11
  csrc mstatus, t0
  slli t1, a0, 11
  csrs mstatus, t1
  bnez a3, 1f
  mv a3, sp
1:
  bnez a4, 2f
  la a4, rt_lower_exit
2:
  mv sp, a3
  mv ra, a4
  mv a0, a2
  mret

  .globl rt_lower_exit
rt_lower_exit:             /* in S or U: a0 = fn's result */
  li a7, RT_ECALL_RETURN
  ecall
1:
  j 1b

  .globl rt_lower_resume
rt_lower_resume:           /* in M again, sp = the saved one */
  ld ra, 0(sp)
  ld s0, 8(sp)
  ld s1, 16(sp)
  ld s2, 24(sp)
  ld s3, 32(sp)
  ld s4, 40(sp)
  ld s5, 48(sp)
  ld s6, 56(sp)
  ld s7, 64(sp)
  ld s8, 72(sp)
  ld s9, 80(sp)
  ld s10, 88(sp)
  ld s11, 96(sp)
  addi sp, sp, 112
  ret

  .globl rt_s_return_to_m
rt_s_return_to_m:          /* in S: a0 = the value to return */
  li a7, RT_ECALL_RETURN
  ecall
1:
  j 1b

  .data
  .balign 8
  .globl rt_lower_saved_sp
rt_lower_saved_sp:
  .dword 0
