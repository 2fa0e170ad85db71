/* PLIC (SiFive layout as on QEMU virt): priority per source, enable bits and
 * threshold/claim per context. Context 2*hart is the hart's M-mode context. */
#ifndef GUESTS_RUNTIME_PLIC_H
#define GUESTS_RUNTIME_PLIC_H

#include <stdint.h>

#include "runtime/layout.h"

#define PLIC_PRIORITY(src) (RT_PLIC_BASE + 4 * (uintptr_t)(src))
#define PLIC_PENDING(src) (RT_PLIC_BASE + 0x1000 + 4 * ((uintptr_t)(src) / 32))
#define PLIC_ENABLE(ctx, src) (RT_PLIC_BASE + 0x2000 + 0x80 * (uintptr_t)(ctx) + 4 * ((src) / 32))
#define PLIC_THRESHOLD(ctx) (RT_PLIC_BASE + 0x200000 + 0x1000 * (uintptr_t)(ctx))
#define PLIC_CLAIM(ctx) (PLIC_THRESHOLD(ctx) + 4)

static inline uint64_t plic_m_context(uint64_t hart) { return 2 * hart; }

/* Gives `src` priority 1 and enables it for the hart's M context, threshold 0. */
void plic_enable_m(uint64_t hart, uint32_t src);
void plic_disable_m(uint64_t hart, uint32_t src);
int plic_pending(uint32_t src);
/* Claims the highest pending source (0 = none); complete it when handled. */
uint32_t plic_claim_m(uint64_t hart);
void plic_complete_m(uint64_t hart, uint32_t src);

#endif
