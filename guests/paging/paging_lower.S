/* Accesses run in S or U mode by paging.c, one instruction each behind a
 * global label so the test can check sepc; a0 = the virtual address. */
  .text
  .option push
  .option norvc

  .globl acc_ld, acc_ld_insn
acc_ld:
acc_ld_insn:
  ld a0, 0(a0)
  ret

  .globl acc_lbu
acc_lbu:
  lbu a0, 0(a0)
  ret

/* Stores the address itself, so the test can see which access landed where. */
  .globl acc_sd, acc_sd_insn
acc_sd:
acc_sd_insn:
  sd a0, 0(a0)
  ret

  .globl acc_amoadd, acc_amoadd_insn
acc_amoadd:
  li t0, 1
acc_amoadd_insn:
  amoadd.d a0, t0, (a0)
  ret

  .globl acc_lr, acc_lr_insn
acc_lr:
acc_lr_insn:
  lr.d a0, (a0)
  ret

/* Calls the code at a0; a fetch fault resumes at the return address, so a0
 * then still holds the target. */
  .globl acc_call
acc_call:
  addi sp, sp, -16
  sd ra, 8(sp)
  jalr a0
  ld ra, 8(sp)
  addi sp, sp, 16
  ret

/* Position-independent code the test calls through other mappings. */
  .globl ret_0x42
ret_0x42:
  li a0, 0x42
  ret

  .option pop
