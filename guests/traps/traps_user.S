/* Entering and leaving U mode for the traps test.
 * run_user(fn, user_sp): saves the M-mode callee-saved state, then mret's to fn
 * in U mode on user_sp. The U code ends with `ecall` and a7 = USER_EXIT; the
 * C handler then resumes M mode at user_return with a0 = the U code's a0. */
  .text
  .globl run_user
  .globl user_return
run_user:
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
  la t0, user_saved_sp
  sd sp, 0(t0)
  csrw mepc, a0
  li t0, 3 << 11
  csrc mstatus, t0
  mv sp, a1
  mret
user_return:
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

/* U-mode bodies. Each returns through ecall with a7 = 93 (USER_EXIT). */
  .globl user_ecall
user_ecall:             /* a7 = 1: the handler records the ecall and returns */
  li a7, 1
user_ecall_insn:
  ecall
  li a0, 55
  li a7, 93
  ecall
  .globl user_ecall_insn

  .globl user_csr
user_csr:               /* reading mstatus in U mode is illegal */
  li a0, 0
  csrr a0, mstatus
  li a7, 93
  ecall

  .globl user_mret
user_mret:              /* so is mret */
  li a0, 0
  mret
  li a7, 93
  ecall

  .globl user_rdtime
user_rdtime:            /* allowed only when the counter-enable TM bits say so */
  li a0, 0
  rdtime a0
  li a7, 93
  ecall

  .data
  .balign 8
user_saved_sp:
  .dword 0
  .globl user_saved_sp
