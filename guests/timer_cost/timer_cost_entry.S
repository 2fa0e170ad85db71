/* Trap entries of the cost experiment, self-contained (not the runtime's, so
 * the counted firmware path of (d) does not change when the runtime does):
 *   tc_mtrap  M mode, mtvec direct; the "firmware": SBI calls and timer forwarding
 *   tc_strap  S mode, stvec direct; the "kernel's" timer interrupt
 * Both switch to their trap stack (mscratch / sscratch hold its top), stamp the
 * reference clock (the LAPIC's TSC register, VIRTUAL ns) first thing on an
 * interrupt - before saving the other registers, so delivery latency is
 * measured from as early as the entry allows - then save every register like
 * a firmware or kernel entry does, call C with the frame and return.
 * tc_call_smode runs a function in S mode and comes back to M through an ecall. */
#include "timer_cost/timer_cost.h"

.macro TC_TRAP_ENTRY scratch, cause, handler, return
  csrrw sp, \scratch, sp
  addi sp, sp, -TC_FRAME_SIZE
  sd t0, 5*8(sp)
  sd t1, 6*8(sp)
  csrr t0, \cause
  bgez t0, 1f                       /* exceptions: no stamp */
  lui t1, TC_LAPIC_TSC_HI
  ld t1, TC_LAPIC_TSC_OFFSET(t1)
  sd t1, TC_FRAME_STAMP(sp)
1:
  sd x1, 1*8(sp)
  sd x3, 3*8(sp)
  sd x4, 4*8(sp)
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
  mv a0, sp
  call \handler
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
  addi sp, sp, TC_FRAME_SIZE
  csrrw sp, \scratch, sp
  \return
.endm

  .text
  .align 2
  .globl tc_mtrap
tc_mtrap:
  TC_TRAP_ENTRY mscratch, mcause, tc_m_trap, mret

  .align 2
  .globl tc_strap
tc_strap:
  TC_TRAP_ENTRY sscratch, scause, tc_s_trap, sret

/* void tc_call_smode(void (*fn)(void)): fn runs in S mode with this stack;
 * when it returns, tc_smode_done asks the M-mode handler (TC_EID_LEAVE_SMODE)
 * to resume at tc_resume_m in M mode, which restores this frame and returns. */
  .align 2
  .globl tc_call_smode
tc_call_smode:
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
  la t0, tc_m_sp
  sd sp, 0(t0)
  csrw mepc, a0
  li t0, (3 << 11) | (1 << 7)       /* MPP and MPIE */
  csrc mstatus, t0
  li t0, (1 << 11)                  /* MPP = S */
  csrs mstatus, t0
  la ra, tc_smode_done
  mret

tc_smode_done:
  li a7, TC_EID_LEAVE_SMODE
  ecall
2:
  j 2b

  .globl tc_resume_m
tc_resume_m:
  la t0, tc_m_sp
  ld sp, 0(t0)
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

  .bss
  .align 3
tc_m_sp:
  .skip 8
