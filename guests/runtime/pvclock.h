/* pvclock (kvmclock ABI): the guest side. The host keeps one
 * 32-byte record per hart (its address comes from the device tree); the guest
 * computes its monotonic ns from it and the `time` CSR, without a trap:
 *   ns = system_time + (((time - tsc_timestamp) <<> tsc_shift) * mul) >> 32
 * read under the record's version seqlock (odd = being written: retry). */
#ifndef GUESTS_RUNTIME_PVCLOCK_H
#define GUESTS_RUNTIME_PVCLOCK_H

#include <stdint.h>

struct pvclock_vcpu_time_info {
  uint32_t version;
  uint32_t pad0;
  uint64_t tsc_timestamp;
  uint64_t system_time;
  uint32_t tsc_to_system_mul;
  int8_t tsc_shift;
  uint8_t flags;
  uint8_t pad[2];
};
_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "pvclock record is 32 bytes");

#define PVCLOCK_TSC_STABLE_BIT 0x01u
#define PVCLOCK_GUEST_STOPPED 0x02u

/* (delta shifted by `shift`) * mul >> 32, as a 64x32 -> 96-bit product built
 * from two 32x32 -> 64 products, keeping bits 32..95. */
static inline uint64_t pvclock_scale_delta(uint64_t delta, uint32_t mul, int8_t shift) {
  if (shift >= 0)
    delta <<= shift;
  else
    delta >>= -shift;
  uint64_t low = ((delta & 0xffffffffu) * mul) >> 32;
  return (delta >> 32) * mul + low;
}

/* The record's ns at counter value `counter` (no seqlock: a snapshot). */
static inline uint64_t pvclock_ns_at(const struct pvclock_vcpu_time_info* snap, uint64_t counter) {
  return snap->system_time +
         pvclock_scale_delta(counter - snap->tsc_timestamp, snap->tsc_to_system_mul,
                             snap->tsc_shift);
}

/* Guest monotonic ns now: a consistent copy of the record around a counter
 * read by `read_counter` (rt_rdtime when NULL). `flags` (may be NULL) gets the
 * record's flags. */
uint64_t pvclock_read(const volatile struct pvclock_vcpu_time_info* rec,
                      uint64_t (*read_counter)(void), uint8_t* flags);
static inline uint64_t pvclock_read_ns(const volatile struct pvclock_vcpu_time_info* rec) {
  return pvclock_read(rec, 0, 0);
}
/* Clears GUEST_STOPPED atomically; returns 1 when it was set (the host paused
 * the VM since the last call: watchdogs should not count that time). */
int pvclock_take_guest_stopped(volatile struct pvclock_vcpu_time_info* rec);

#endif
