/* The first instructions after the boot ROM: 25 back-to-back reads of `time`,
 * before the runtime's start code runs. Under icount each instruction is a
 * fixed slice of VIRTUAL time, so the pattern of tick edges across these reads
 * tells exactly how many instructions ran since reset (see boot_time.c).
 * a0 (hart id) and a1 (device tree) are preserved for _start. */
  .section .text.reset, "ax"
  .globl rt_reset_entry
rt_reset_entry:
  rdtime t0
  rdtime t1
  rdtime t2
  rdtime t3
  rdtime t4
  rdtime t5
  rdtime t6
  rdtime s0
  rdtime s1
  rdtime s2
  rdtime s3
  rdtime s4
  rdtime s5
  rdtime s6
  rdtime s7
  rdtime s8
  rdtime s9
  rdtime s10
  rdtime s11
  rdtime a2
  rdtime a3
  rdtime a4
  rdtime a5
  rdtime a6
  rdtime a7
  bnez a0, 1f
  la ra, boot_samples
  sd t0, 0*8(ra)
  sd t1, 1*8(ra)
  sd t2, 2*8(ra)
  sd t3, 3*8(ra)
  sd t4, 4*8(ra)
  sd t5, 5*8(ra)
  sd t6, 6*8(ra)
  sd s0, 7*8(ra)
  sd s1, 8*8(ra)
  sd s2, 9*8(ra)
  sd s3, 10*8(ra)
  sd s4, 11*8(ra)
  sd s5, 12*8(ra)
  sd s6, 13*8(ra)
  sd s7, 14*8(ra)
  sd s8, 15*8(ra)
  sd s9, 16*8(ra)
  sd s10, 17*8(ra)
  sd s11, 18*8(ra)
  sd a2, 19*8(ra)
  sd a3, 20*8(ra)
  sd a4, 21*8(ra)
  sd a5, 22*8(ra)
  sd a6, 23*8(ra)
  sd a7, 24*8(ra)
1:
  j _start

/* D = 1,000,000 instructions between two reads, to learn ns per instruction. */
  .text
  .globl delta_1m
delta_1m:
  li t2, 499999
  rdtime t0
2:
  addi t2, t2, -1
  bnez t2, 2b
  nop
  rdtime t1
  sub a0, t1, t0
  ret

  .data
  .balign 8
  .globl boot_samples
boot_samples:
  .zero 25 * 8
