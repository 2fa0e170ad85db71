/* Polled NS16550A driver; interrupt use is up to the program (see uart.h). */
#include "runtime/uart.h"

#include "runtime/mmio.h"

uint8_t uart_read_reg(unsigned reg) { return mmio_read8(RT_UART_BASE + reg); }
void uart_write_reg(unsigned reg, uint8_t value) { mmio_write8(RT_UART_BASE + reg, value); }

void uart_init(void) {
  uart_write_reg(UART_IER, 0);
  uart_write_reg(UART_LCR, UART_LCR_8N1);
  uart_write_reg(UART_FCR, 0x07); /* enable and clear both FIFOs */
}

void uart_putc(char c) {
  while ((uart_read_reg(UART_LSR) & UART_LSR_THRE) == 0) {
  }
  uart_write_reg(UART_THR, (uint8_t)c);
}

int uart_getc_nonblocking(void) {
  if ((uart_read_reg(UART_LSR) & UART_LSR_DR) == 0) return -1;
  return uart_read_reg(UART_RBR);
}
