/* CLINT (SiFive-compatible ACLINT MSWI + MTIMER): msip per hart, mtimecmp per
 * hart, one mtime. Timebase 10 MHz on the virt board: one tick = 100 ns. */
#ifndef GUESTS_RUNTIME_CLINT_H
#define GUESTS_RUNTIME_CLINT_H

#include <stdint.h>

#include "runtime/layout.h"
#include "runtime/mmio.h"

#define CLINT_MSIP(hart) (RT_CLINT_BASE + 4 * (uintptr_t)(hart))
#define CLINT_MTIMECMP(hart) (RT_CLINT_BASE + 0x4000 + 8 * (uintptr_t)(hart))
#define CLINT_MTIME (RT_CLINT_BASE + 0xBFF8)
#define CLINT_TICKS_PER_SECOND 10000000ull
#define CLINT_TICKS_PER_MS 10000ull

static inline uint64_t clint_mtime(void) { return mmio_read64(CLINT_MTIME); }
static inline void clint_set_mtimecmp(uint64_t hart, uint64_t when) {
  mmio_write64(CLINT_MTIMECMP(hart), when);
}
static inline uint64_t clint_mtimecmp(uint64_t hart) { return mmio_read64(CLINT_MTIMECMP(hart)); }
static inline void clint_set_msip(uint64_t hart, uint32_t on) { mmio_write32(CLINT_MSIP(hart), on); }
static inline uint32_t clint_msip(uint64_t hart) { return mmio_read32(CLINT_MSIP(hart)); }
/* "Never": the comparator's maximum, so the timer interrupt stays low. */
static inline void clint_disarm(uint64_t hart) { clint_set_mtimecmp(hart, UINT64_MAX); }

#endif
