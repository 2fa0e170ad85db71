/* From start.S to the program: per-hart CSR setup, then guest_main on hart 0
 * (its return value ends the run) and guest_secondary on the others. */
#include "runtime/rt.h"

static const void* boot_dtb;

const void* rt_dtb(void) { return boot_dtb; }

__attribute__((noreturn)) void rt_exit(uint32_t status) {
  uint32_t word = status == 0 ? TEST_PASS : ((status & 0xffff) << 16) | TEST_FAIL;
  for (;;) {
    mmio_write32(RT_TEST_BASE, word);
  }
}

static void hart_init(void) {
  csr_write(mie, 0);
  csr_clear(mstatus, MSTATUS_MIE);
  rt_trap_use_direct();
}

/* Default for programs that do not use the other harts: they park with all
 * interrupts masked, so they never wake. */
__attribute__((weak)) void guest_secondary(uint64_t hartid) { (void)hartid; }

__attribute__((noreturn)) void rt_boot(uint64_t hartid, const void* dtb);
__attribute__((noreturn)) void rt_boot(uint64_t hartid, const void* dtb) {
  (void)hartid;
  boot_dtb = dtb;
  hart_init();
  uart_init();
  int status = guest_main();
  rt_exit((uint32_t)status);
}

void rt_secondary_boot(uint64_t hartid, const void* dtb);
void rt_secondary_boot(uint64_t hartid, const void* dtb) {
  (void)dtb;
  hart_init();
  guest_secondary(hartid);
}
