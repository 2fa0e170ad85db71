/* Small bodies run in S or U mode by smode.c, in assembly where the test needs
 * the exact address of an instruction (a global label) or an exact encoding. */
  .text
  .option push
  .option norvc

/* ecall with a7 = 7; returns what the handler left in a0. */
  .globl lower_ecall, lower_ecall_insn
lower_ecall:
  li a7, 7
lower_ecall_insn:
  ecall
  ret

/* custom-0 (0x0000000b): illegal everywhere. Returns 0x11 if it did not trap. */
  .globl lower_illegal, lower_illegal_insn
lower_illegal:
  li a0, 0x11
lower_illegal_insn:
  .4byte 0x0000000b
  ret

/* sret with sepc = the next instruction: returns to the mode in sstatus.SPP
 * at lower_sret_target, which ecalls (a7 = 7) to M so the test sees the mode. */
  .globl lower_sret, lower_sret_insn, lower_sret_target
lower_sret:
  lla t0, lower_sret_target
  csrw sepc, t0
lower_sret_insn:
  sret
lower_sret_target:
  li a7, 7
  ecall
  ret

/* A bare sret (illegal in U mode). */
  .globl lower_sret_only
lower_sret_only:
  sret
  ret

/* WFI while mstatus.TW is set in S mode is illegal. */
  .globl lower_wfi
lower_wfi:
  wfi
  ret

/* Reads of counters and Sstc CSRs from S or U mode. */
  .globl lower_rdtime, lower_rdcycle, lower_rdinstret, lower_read_stimecmp, lower_read_satp,
  .globl lower_sfence
lower_rdtime:
  li a0, 0
  rdtime a0
  ret
lower_rdcycle:
  li a0, 0
  rdcycle a0
  ret
lower_rdinstret:
  li a0, 0
  rdinstret a0
  ret
lower_read_stimecmp:
  li a0, 0
  csrr a0, 0x14d
  ret
lower_read_satp:
  li a0, 0
  csrr a0, satp
  ret
lower_sfence:
  sfence.vma
  ret

/* csrr sstatus (illegal in U mode). */
  .globl lower_read_sstatus
lower_read_sstatus:
  li a0, 0
  csrr a0, sstatus
  ret

  .option pop
