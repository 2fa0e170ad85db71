/* Constants shared by the assembler start code, the linker map and C: board
 * addresses (QEMU virt map, see docs/guests.md) and the trap-frame layout. */
#ifndef GUESTS_RUNTIME_LAYOUT_H
#define GUESTS_RUNTIME_LAYOUT_H

#define RT_MAX_HARTS 8
#define RT_STACK_SIZE 0x4000
#define RT_TRAP_STACK_SIZE 0x1000

#define RT_TEST_BASE 0x100000
#define RT_CLINT_BASE 0x2000000
#define RT_PLIC_BASE 0xC000000
#define RT_UART_BASE 0x10000000
#define RT_UART_IRQ 10

/* Trap frame: x0..x31 (x0 slot holds nothing, x2 holds the interrupted sp),
 * then mepc, mcause, mtval, mstatus, vector slot (-1 = direct mode). */
#define RT_FRAME_MEPC 256
#define RT_FRAME_MCAUSE 264
#define RT_FRAME_MTVAL 272
#define RT_FRAME_MSTATUS 280
#define RT_FRAME_VECTOR 288
#define RT_FRAME_SIZE 304

#endif
