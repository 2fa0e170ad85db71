/* NS16550A UART: polled output, register behaviour (scratch, divisor latch,
 * line status, interrupt identification), and the interrupt path through the
 * PLIC using the transmitter-empty interrupt, which needs no input. If input
 * happens to arrive while the receive interrupt is enabled it is counted and
 * echoed, but the test does not need any. */
#include "runtime/rt.h"

static volatile uint32_t claimed;
static volatile uint32_t claims;
static volatile uint8_t iir_seen;
static volatile uint32_t received;

static void on_external(rt_trap_frame* f) {
  uint32_t src = plic_claim_m(0);
  if (src == RT_UART_IRQ) {
    uint8_t iir = uart_read_reg(UART_IIR);
    if ((iir & UART_IIR_ID_MASK) == UART_IIR_THRE) {
      iir_seen = iir;
      uart_write_reg(UART_IER, uart_read_reg(UART_IER) & ~UART_IER_ETBEI);
    }
    int c;
    while ((c = uart_getc_nonblocking()) >= 0) {
      received++;
      uart_putc((char)c);
    }
  }
  claimed = src;
  claims++;
  plic_complete_m(0, src);
}

static void test_registers(void) {
  rt_check_group("registers");
  uart_write_reg(UART_SCR, 0x5a);
  CHECK_EQ("scratch", uart_read_reg(UART_SCR), 0x5a);
  uart_write_reg(UART_SCR, 0xa5);
  CHECK_EQ("scratch again", uart_read_reg(UART_SCR), 0xa5);
  uart_write_reg(UART_LCR, UART_LCR_8N1 | UART_LCR_DLAB);
  uart_write_reg(UART_DLL, 0x0c);
  uart_write_reg(UART_DLM, 0x00);
  CHECK_EQ("divisor low", uart_read_reg(UART_DLL), 0x0c);
  CHECK_EQ("divisor high", uart_read_reg(UART_DLM), 0x00);
  uart_write_reg(UART_LCR, UART_LCR_8N1);
  CHECK_EQ("lcr", uart_read_reg(UART_LCR), UART_LCR_8N1);
  uint8_t lsr = uart_read_reg(UART_LSR);
  CHECK("idle transmitter: THRE", lsr & UART_LSR_THRE);
  CHECK("idle transmitter: TEMT", lsr & UART_LSR_TEMT);
  CHECK_EQ("no interrupt pending", uart_read_reg(UART_IIR) & 0x0f, UART_IIR_NO_INT);
  rt_check_group_end();
}

static void test_thre_interrupt(void) {
  rt_check_group("interrupt via plic");
  rt_set_irq_handler(IRQ_M_EXT, on_external);
  uart_write_reg(UART_MCR, UART_MCR_OUT2);
  plic_enable_m(0, RT_UART_IRQ);
  csr_set(mie, MIE_MEIE);
  CHECK_EQ("plic idle", plic_pending(RT_UART_IRQ), 0);
  /* Not reading IIR here: a read that reports THRE also clears it. */
  uart_write_reg(UART_IER, UART_IER_ETBEI);
  CHECK_EQ("plic sees the uart", plic_pending(RT_UART_IRQ), 1);
  rt_irq_enable();
  for (int i = 0; i < 1000 && claims == 0; i++) {
  }
  rt_irq_disable();
  CHECK_EQ("one claim", claims, 1);
  CHECK_EQ("claimed the uart", claimed, RT_UART_IRQ);
  CHECK_EQ("iir said THRE", iir_seen & UART_IIR_ID_MASK, UART_IIR_THRE);
  CHECK_EQ("plic quiet after complete", plic_pending(RT_UART_IRQ), 0);
  CHECK_EQ("nothing left to claim", plic_claim_m(0), 0);
  rt_check_group_end();
}

static volatile int listen_over;

static void on_timer(rt_trap_frame* f) {
  listen_over = 1;
  clint_disarm(0);
}

/* Receive interrupts stay enabled for a short idle wait (1 ms of guest time). */
static void listen_briefly(void) {
  rt_set_irq_handler(IRQ_M_TIMER, on_timer);
  plic_enable_m(0, RT_UART_IRQ);
  csr_set(mie, MIE_MEIE | MIE_MTIE);
  uart_write_reg(UART_IER, UART_IER_ERBFI);
  clint_set_mtimecmp(0, clint_mtime() + CLINT_TICKS_PER_MS);
  while (!listen_over) rt_idle();
  csr_clear(mie, MIE_MTIE | MIE_MEIE);
  uart_write_reg(UART_IER, 0);
  plic_disable_m(0, RT_UART_IRQ);
  if (received > 0) rt_printf("\nuart: received %u bytes\n", received);
}

int guest_main(void) {
  rt_printf("uart: polled output, registers and interrupts\n");
  rt_printf("printf: %d %u %x %s %c %05d|%-5d|%lx\n", -1, 42u, 0xabcu, "str", '!', 17, 3,
            0xfedcba9876543210ul);
  test_registers();
  test_thre_interrupt();
  listen_briefly();
  return rt_check_summary("uart");
}
