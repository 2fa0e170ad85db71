/* RV64C probes: each function runs one compressed instruction, written with its
 * explicit c. mnemonic (the assembler refuses forms that do not compress) or as
 * a raw .2byte encoding worked out by hand from the ISA manual's tables.
 * Arguments in a0/a1, result in a0, as the C calling convention. */
  .text
  .option rvc

.macro FN name
  .globl \name
  .type \name, @function
  .balign 4
\name:
.endm

FN c_addi4spn
  c.addi4spn a0, sp, 16
  sub a0, a0, sp
  ret
FN c_lw
  c.lw a0, 4(a0)
  ret
FN c_ld
  c.ld a0, 8(a0)
  ret
FN c_sw
  c.sw a1, 4(a0)
  ret
FN c_sd
  c.sd a1, 8(a0)
  ret
FN c_nop
  c.nop
  ret
FN c_addi
  c.addi a0, -32
  ret
FN c_addiw
  c.addiw a0, 1
  ret
FN c_li
  c.li a0, -17
  ret
FN c_addi16sp
  mv a1, sp
  c.addi16sp sp, -64
  sub a0, a1, sp
  c.addi16sp sp, 64
  ret
FN c_lui_pos
  c.lui a0, 0x1f
  ret
FN c_lui_neg
  c.lui a0, 0xfffe0
  ret
FN c_srli
  c.srli a0, 60
  ret
FN c_srai
  c.srai a0, 60
  ret
FN c_andi
  c.andi a0, -16
  ret
FN c_sub
  c.sub a0, a1
  ret
FN c_xor
  c.xor a0, a1
  ret
FN c_or
  c.or a0, a1
  ret
FN c_and
  c.and a0, a1
  ret
FN c_subw
  c.subw a0, a1
  ret
FN c_addw
  c.addw a0, a1
  ret
FN c_j
  c.li a0, 0
  c.j 1f
  c.li a0, 1
1:
  ret
FN c_beqz
  c.mv a1, a0
  c.li a0, 1
  c.beqz a1, 1f
  c.li a0, 0
1:
  ret
FN c_bnez
  c.mv a1, a0
  c.li a0, 1
  c.bnez a1, 1f
  c.li a0, 0
1:
  ret
FN c_slli
  c.slli a0, 63
  ret
/* c.sdsp then c.ldsp and c.lwsp (sign-extended low word) of one slot; returns ldsp ^ lwsp. */
FN c_sp_d
  addi sp, sp, -16
  c.sdsp a0, 8(sp)
  c.ldsp a1, 8(sp)
  c.lwsp a2, 8(sp)
  xor a0, a1, a2
  addi sp, sp, 16
  ret
/* c.swsp into a zeroed slot, then c.ldsp: the word, zero-extended. */
FN c_sp_w
  addi sp, sp, -16
  sd zero, 0(sp)
  c.swsp a0, 0(sp)
  c.ldsp a0, 0(sp)
  addi sp, sp, 16
  ret
FN c_jr
  lla a1, 1f
  c.li a0, 0
  c.jr a1
  c.li a0, 1
1:
  ret
/* Returns link - (address after c.jalr): 0 when c.jalr links pc + 2. */
FN c_jalr
  mv t1, ra
  lla a1, 1f
  c.jalr a1
2:
  c.j 3f
1:
  lla a2, 2b
  sub a0, ra, a2
  mv ra, t1
3:
  ret
FN c_mv
  c.mv a0, a1
  ret
FN c_add
  c.add a0, a1
  ret
FN c_ebreak
  c.ebreak
  ret

/* Hand-encoded halfwords (quadrant, funct3, fields from the RVC tables). */
FN raw_c_li_5          /* c.li a0, 5:      010 0 01010 00101 01 */
  .2byte 0x4515
  ret
FN raw_c_addi_m1       /* c.addi a0, -1:   000 1 01010 11111 01 */
  .2byte 0x157d
  ret
FN raw_c_add           /* c.add a0, a1:    1001 01010 01011 10 */
  .2byte 0x952e
  ret
FN raw_c_slli_1        /* c.slli a0, 1:    000 0 01010 00001 10 */
  .2byte 0x0506
  ret
FN raw_c_sub           /* c.sub a0, a1:    100 0 11 010 00 011 01 */
  .2byte 0x8d0d
  ret
FN raw_c_addiw_m1      /* c.addiw a0, -1:  001 1 01010 11111 01 */
  .2byte 0x357d
  ret

/* A 32-bit instruction at a 2-byte-aligned address straddling a 4 KiB page
 * boundary: c.li at page_end - 4, addi at page_end - 2 .. page_end + 2. */
  .section .text.page_cross, "ax"
  .balign 4096
  .skip 4092
  .globl straddle
straddle:
  c.li a0, 0
  .option push
  .option norvc
  addi a0, a0, 77
  .option pop
  ret
