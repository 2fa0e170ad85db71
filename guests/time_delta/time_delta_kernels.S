/* Time-delta kernels: read time, run a known number of instructions, read time
 * again, return the difference in ticks. D, the instruction distance between
 * the two reads, counts the first read itself plus everything up to (not
 * including) the second read; under icount shift=4 the second read sees
 * D * 16 ns more VIRTUAL time, i.e. D * 16 / 100 ticks (exactly, when D is a
 * multiple of 25; otherwise floor or ceil depending on where the first read
 * fell within its 100 ns tick).
 *
 * KERNEL name, loops, pad:  D = 1 + 2 * loops + pad  (loops >= 1)
 * STRAIGHT name, pad:       D = 1 + pad
 * The loop counter is loaded before the first read; no instruction in between
 * can trap or be interrupted (interrupts are off). */
  .text

.macro READ reg, mmio
  .if \mmio
  ld \reg, 0(a0)
  .else
  rdtime \reg
  .endif
.endm

.macro KERNEL name, loops, pad, mmio=0
  .globl \name
  .balign 4
\name:
  li t2, \loops
  READ t0, \mmio
1:
  addi t2, t2, -1
  bnez t2, 1b
  .rept \pad
  nop
  .endr
  READ t1, \mmio
  sub a0, t1, t0
  ret
.endm

.macro STRAIGHT name, pad, mmio=0
  .globl \name
  .balign 4
\name:
  READ t0, \mmio
  .rept \pad
  nop
  .endr
  READ t1, \mmio
  sub a0, t1, t0
  ret
.endm

STRAIGHT delta_d1, 0
STRAIGHT delta_d10, 9
STRAIGHT delta_d25, 24
STRAIGHT delta_d50, 49
STRAIGHT delta_d100, 99
KERNEL delta_d333, 166, 0
KERNEL delta_d1000, 499, 1
KERNEL delta_d10000, 4999, 1
KERNEL delta_d100000, 49999, 1
KERNEL delta_d1000000, 499999, 1
/* The same through the CLINT's mtime register (a0 = its address). */
STRAIGHT mmio_d100, 99, 1
KERNEL mmio_d10000, 4999, 1, 1
