#include "runtime/pvclock.h"

#include "runtime/csr.h"

uint64_t pvclock_read(const volatile struct pvclock_vcpu_time_info* rec,
                      uint64_t (*read_counter)(void), uint8_t* flags) {
  struct pvclock_vcpu_time_info snap;
  uint64_t counter;
  uint32_t version;
  do {
    version = rec->version;
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* fields after the version */
    snap.tsc_timestamp = rec->tsc_timestamp;
    snap.system_time = rec->system_time;
    snap.tsc_to_system_mul = rec->tsc_to_system_mul;
    snap.tsc_shift = rec->tsc_shift;
    snap.flags = rec->flags;
    counter = read_counter ? read_counter() : rt_rdtime();
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the version re-read last */
  } while ((version & 1u) != 0 || rec->version != version);
  if (flags) *flags = snap.flags;
  return pvclock_ns_at(&snap, counter);
}

int pvclock_take_guest_stopped(volatile struct pvclock_vcpu_time_info* rec) {
  /* flags is byte 1 of the aligned 32-bit word at offset 28 (little-endian). */
  volatile uint32_t* word = (volatile uint32_t*)((volatile uint8_t*)rec + 28);
  uint32_t old = __atomic_fetch_and(word, ~(PVCLOCK_GUEST_STOPPED << 8), __ATOMIC_ACQ_REL);
  return (old & (PVCLOCK_GUEST_STOPPED << 8)) != 0;
}
