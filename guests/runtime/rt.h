/* The guest runtime in one include. A program defines guest_main (hart 0; its
 * return value is the exit status, 0 = pass) and optionally guest_secondary
 * (every other hart up to RT_MAX_HARTS; returning parks the hart). */
#ifndef GUESTS_RUNTIME_RT_H
#define GUESTS_RUNTIME_RT_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/check.h"
#include "runtime/clint.h"
#include "runtime/csr.h"
#include "runtime/exit.h"
#include "runtime/fdt.h"
#include "runtime/layout.h"
#include "runtime/mmio.h"
#include "runtime/plic.h"
#include "runtime/print.h"
#include "runtime/spinlock.h"
#include "runtime/trap.h"
#include "runtime/uart.h"

int guest_main(void);
void guest_secondary(uint64_t hartid);

/* The device-tree address the boot ROM passed in a1 to hart 0. */
const void* rt_dtb(void);

#endif
