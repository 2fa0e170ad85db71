/* NS16550A UART at 0x1000_0000 (register stride 1 byte, IRQ 10 on the PLIC).
 * Output is polled (wait for THR empty); input can be polled or interrupt driven. */
#ifndef GUESTS_RUNTIME_UART_H
#define GUESTS_RUNTIME_UART_H

#include <stdint.h>

#include "runtime/layout.h"

#define UART_RBR 0 /* read, DLAB=0 */
#define UART_THR 0 /* write, DLAB=0 */
#define UART_DLL 0 /* DLAB=1 */
#define UART_IER 1 /* DLAB=0 */
#define UART_DLM 1 /* DLAB=1 */
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define UART_IER_ERBFI 0x01 /* received data available */
#define UART_IER_ETBEI 0x02 /* transmitter holding register empty */
#define UART_IIR_NO_INT 0x01
#define UART_IIR_ID_MASK 0x0e
#define UART_IIR_THRE 0x02
#define UART_IIR_RDA 0x04
#define UART_LCR_8N1 0x03
#define UART_LCR_DLAB 0x80
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_MCR_OUT2 0x08 /* gates the interrupt output on PC-style 16550s */

uint8_t uart_read_reg(unsigned reg);
void uart_write_reg(unsigned reg, uint8_t value);
/* 8N1, FIFOs on, interrupts off. */
void uart_init(void);
void uart_putc(char c);
/* Returns the next received byte, or -1 if none is waiting. */
int uart_getc_nonblocking(void);

#endif
