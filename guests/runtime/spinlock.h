/* Test-and-set spinlock on amoswap.w with acquire/release ordering. */
#ifndef GUESTS_RUNTIME_SPINLOCK_H
#define GUESTS_RUNTIME_SPINLOCK_H

#include <stdint.h>

typedef struct {
  volatile uint32_t locked;
} rt_spinlock;

static inline void rt_spin_lock(rt_spinlock* l) {
  uint32_t old;
  do {
    __asm__ volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1u), "r"(&l->locked)
                     : "memory");
  } while (old != 0);
}

static inline void rt_spin_unlock(rt_spinlock* l) {
  __asm__ volatile("amoswap.w.rl zero, zero, (%0)" ::"r"(&l->locked) : "memory");
}

#endif
