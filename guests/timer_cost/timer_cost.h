/* The timer-programming cost experiment: one timer event at a time, N
 * times per path, through six ways of programming a timer on vtime's board.
 * Board-only: needs --lapic-timer --pv-clockevent --pvclock (QEMU has none of
 * them). Shared between the driver (timer_cost.c), the measured loops
 * (timer_cost_paths.c), the trap handlers (timer_cost_traps.c) and the
 * assembly entries (timer_cost_entry.S). See docs/paravirt.md. */
#ifndef GUESTS_TIMER_COST_TIMER_COST_H
#define GUESTS_TIMER_COST_TIMER_COST_H

/* The reference clock every handler stamps on entry: the LAPIC's guest TSC
 * register (1 GHz, i.e. VIRTUAL ns). The entry stubs use the address as a
 * constant; setup checks the device tree puts the LAPIC there. */
#define TC_LAPIC_BASE 0x06010000
#define TC_LAPIC_TSC_OFFSET 0x408
#define TC_LAPIC_TSC_HI 0x6010 /* lui immediate of TC_LAPIC_BASE */

/* Trap frame of both entries: x1..x31 at 8*n, then the entry stamp. */
#define TC_FRAME_STAMP 256
#define TC_FRAME_SIZE 272

/* SBI-style calls from S mode to the M-mode firmware in this program: the
 * SBI TIME extension's set_timer (EID "TIME", FID 0, a0 = absolute mtime
 * ticks) and a private "return to M mode" call that ends tc_call_smode. */
#define TC_SBI_EID_TIME 0x54494D45
#define TC_EID_LEAVE_SMODE 0x0A000000

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef enum {
  TC_PATH_NONE,          /* baseline: the loop without a timer */
  TC_PATH_LAPIC_ONESHOT, /* (a) */
  TC_PATH_LAPIC_TSC_DEADLINE, /* (b) */
  TC_PATH_CLINT_M,       /* (c) */
  TC_PATH_SBI_S,         /* (d) */
  TC_PATH_SSTC_S,        /* (e) */
  TC_PATH_PV,            /* (f) */
  TC_PATHS
} tc_path;

/* ns -> ticks rounding up: ticks = (ns * mult + 2^shift - 1) >> shift, with
 * mult = ceil(hz * 2^shift / 1e9) < 2^32, so ns below 2^32 (4.29 s) cannot
 * overflow and the result is never below the exact tick count. */
typedef struct {
  uint64_t mult;
  unsigned shift;
} tc_scale;
tc_scale tc_scale_for(uint64_t hz);
static inline uint64_t tc_ns_to_ticks_up(uint64_t ns, tc_scale s) {
  return (ns * s.mult + ((1ull << s.shift) - 1)) >> s.shift;
}

/* What the loops need to know about the board. */
typedef struct {
  uintptr_t lapic;        /* LAPIC window of hart 0 */
  uintptr_t pvce;         /* PV clock-event window of hart 0 */
  uintptr_t pvclock;      /* hart 0's pvclock record */
  uint32_t lapic_irq;     /* PLIC sources */
  uint32_t pvce_irq;
  uint64_t tsc_hz;        /* read from the LAPIC */
  uint64_t bus_hz;
  uint64_t timebase_hz;   /* /cpus/timebase-frequency (mtime, `time`) */
  tc_scale bus_scale, tsc_scale, timebase_scale;
  uint64_t tsc_ns_per_tick, timebase_ns_per_tick; /* 0 unless a tick is whole ns */
} tc_board;

typedef struct {
  uint64_t iterations;
  uint64_t delay_ns;
  uint64_t programs; /* programmings per event (the last one counts) */
  uint64_t early_ns; /* test only: program this much before the requested time */
} tc_config;

typedef struct {
  uint64_t events;
  uint64_t insns;       /* summed over every programming */
  uint64_t now_insns;   /* summed over every read of "now" */
  uint64_t prog_traps;  /* traps taken inside the programming sequences */
  uint64_t event_traps; /* traps per delivered event (interrupts, forwarding) */
  uint64_t early;       /* events delivered before the requested time */
  uint64_t extra;       /* interrupts beyond one per event */
  int64_t err_min, err_max;
  int64_t err_sum;
} tc_result;

/* Runs `path` (in S mode for the S paths) and fills `r`. */
void tc_run_path(tc_path path, const tc_board* b, const tc_config* c, tc_result* r);

/* Trap side (timer_cost_traps.c). */
void tc_traps_install(const tc_board* b);
void tc_traps_set_path(tc_path path);
extern volatile uint64_t tc_trap_count;  /* every trap, M and S */
extern volatile uint64_t tc_fired;       /* timer events seen by the path's handler */
extern volatile uint64_t tc_fired_stamp; /* reference time at that handler's entry */

/* Assembly (timer_cost_entry.S). */
extern char tc_mtrap[];
extern char tc_strap[];
/* Runs fn() in S mode (MPP = S, mret) and returns in M mode when it returns. */
void tc_call_smode(void (*fn)(void));

#endif
#endif
