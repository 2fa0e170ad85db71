/* Volatile MMIO accessors of each width (devices decode by access size). */
#ifndef GUESTS_RUNTIME_MMIO_H
#define GUESTS_RUNTIME_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t*)a; }
static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t*)a; }
static inline uint64_t mmio_read64(uintptr_t a) { return *(volatile uint64_t*)a; }
static inline void mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t*)a = v; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t*)a = v; }
static inline void mmio_write64(uintptr_t a, uint64_t v) { *(volatile uint64_t*)a = v; }

#endif
