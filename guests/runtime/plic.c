#include "runtime/plic.h"

#include "runtime/layout.h"
#include "runtime/mmio.h"

void plic_enable_m(uint64_t hart, uint32_t src) {
  uint64_t ctx = plic_m_context(hart);
  mmio_write32(PLIC_PRIORITY(src), 1);
  uintptr_t en = PLIC_ENABLE(ctx, src);
  mmio_write32(en, mmio_read32(en) | (1u << (src % 32)));
  mmio_write32(PLIC_THRESHOLD(ctx), 0);
}

void plic_disable_m(uint64_t hart, uint32_t src) {
  uintptr_t en = PLIC_ENABLE(plic_m_context(hart), src);
  mmio_write32(en, mmio_read32(en) & ~(1u << (src % 32)));
}

int plic_pending(uint32_t src) { return (mmio_read32(PLIC_PENDING(src)) >> (src % 32)) & 1; }

uint32_t plic_claim_m(uint64_t hart) { return mmio_read32(PLIC_CLAIM(plic_m_context(hart))); }

void plic_complete_m(uint64_t hart, uint32_t src) {
  mmio_write32(PLIC_CLAIM(plic_m_context(hart)), src);
}
