/* Physical memory protection as seen from S, U and M mode. M mode programs
 * the entries (TOR, NA4 and NAPOT; a locked one; W without R), runs single
 * accesses in S or U mode and prints one line per access: PASS or FAIL, then
 * what happened ("ok" or the access fault's mcause and mtval). Covered: the
 * lowest-numbered matching entry wins, an access must lie in one entry, an
 * S/U access no entry matches fails, M mode is checked only against locked
 * entries, page-table walks are S-mode reads, a PMP write or a privilege
 * change is seen by the very next access, and an S-mode read of the CLINT's
 * mtime faults once the CLINT is protected (as OpenSBI does). Also the CSRs'
 * WARL behaviour and the hpm counters, which read as zero. */
#include "runtime/rt.h"
#include "runtime/strap.h"

#define PMP_R 0x01ull
#define PMP_W 0x02ull
#define PMP_X 0x04ull
#define PMP_TOR 0x08ull
#define PMP_NA4 0x10ull
#define PMP_NAPOT 0x18ull
#define PMP_L 0x80ull
#define RWX (PMP_R | PMP_W | PMP_X)

#define SATP_SV39 (8ull << 60)
#define PTE_V 0x01ull
#define PTE_RWX 0x0eull
#define PTE_AD 0xc0ull

#define MTIME 0x0200bff8ull
#define CLINT 0x02000000ull

/* Eight test pages P(0)..P(7); see setup() for the entry covering each. */
static uint8_t area[8][4096] __attribute__((aligned(0x8000)));
#define P(i) ((uint64_t)(uintptr_t)area[i])

static uint64_t s_load32(uint64_t a) { return *(volatile uint32_t*)(uintptr_t)a; }
static uint64_t s_load64(uint64_t a) { return *(volatile uint64_t*)(uintptr_t)a; }
static uint64_t s_store32(uint64_t a) {
  *(volatile uint32_t*)(uintptr_t)a = 0x5a5a5a5a;
  return 0;
}
static uint64_t s_call(uint64_t a) { return ((uint64_t(*)(void))(uintptr_t)a)(); }
static uint64_t s_hpmcounter3(uint64_t a) {
  uint64_t v;
  __asm__ volatile("csrr %0, hpmcounter3" : "=r"(v));
  return v;
}

/* The access fault (if any) of the last probe. */
static volatile uint64_t fault_cause, fault_tval;
static void on_lower_fault(rt_trap_frame* f) {
  fault_cause = f->mcause;
  fault_tval = f->mtval;
  rt_lower_return_from(f);
}

static const char* name_of(uint64_t a) {
  static char buf[32];
  for (unsigned i = 0; i < 8; i++) {
    if (a >= P(i) && a < P(i) + 4096) {
      rt_snprintf(buf, sizeof buf, "P%u+0x%lx", i, a - P(i));
      return buf;
    }
  }
  rt_snprintf(buf, sizeof buf, "0x%lx", a);
  return buf;
}

/* Runs fn(addr) in `mode`; want_cause 0 = must succeed, else the access fault
 * it must raise, with mtval = want_tval (probe: addr). Returns what fn returned. */
static uint64_t probe_tval(const char* what, unsigned mode, uint64_t (*fn)(uint64_t),
                           uint64_t addr, uint64_t want_cause, uint64_t want_tval) {
  fault_cause = 0;
  fault_tval = 0;
  rt_set_exception_handler(CAUSE_FETCH_ACCESS, on_lower_fault);
  rt_set_exception_handler(CAUSE_LOAD_ACCESS, on_lower_fault);
  rt_set_exception_handler(CAUSE_STORE_ACCESS, on_lower_fault);
  uint64_t r = rt_run_lower(mode, fn, addr);
  rt_set_exception_handler(CAUSE_FETCH_ACCESS, 0);
  rt_set_exception_handler(CAUSE_LOAD_ACCESS, 0);
  rt_set_exception_handler(CAUSE_STORE_ACCESS, 0);
  const int pass = fault_cause == want_cause && (want_cause == 0 || fault_tval == want_tval);
  CHECK(what, pass);
  if (fault_cause == 0) {
    rt_printf("%s %s %s: ok\n", pass ? "PASS" : "FAIL", what, name_of(addr));
  } else {
    rt_printf("%s %s %s: mcause=%lu mtval=%s\n", pass ? "PASS" : "FAIL", what, name_of(addr),
              fault_cause, name_of(fault_tval));
  }
  return r;
}
static uint64_t probe(const char* what, unsigned mode, uint64_t (*fn)(uint64_t), uint64_t addr,
                      uint64_t want_cause) {
  return probe_tval(what, mode, fn, addr, want_cause, addr);
}

/* The same for an access made in M mode (no lower run: an expected trap). */
static void probe_m(const char* what, uint64_t (*fn)(uint64_t), uint64_t addr, uint64_t want_cause) {
  rt_expect_trap(0);
  fn(addr);
  rt_trap_record t = rt_expect_trap_end();
  const uint64_t cause = t.taken ? t.cause : 0;
  const int pass = cause == want_cause && (want_cause == 0 || t.tval == addr);
  CHECK(what, pass);
  if (cause == 0) {
    rt_printf("%s %s %s: ok\n", pass ? "PASS" : "FAIL", what, name_of(addr));
  } else {
    rt_printf("%s %s %s: mcause=%lu mtval=%s\n", pass ? "PASS" : "FAIL", what, name_of(addr), cause,
              name_of(t.tval));
  }
}

static uint64_t napot(uint64_t base, uint64_t size) { return (base >> 2) | ((size >> 3) - 1); }

static void fence_i(void) { __asm__ volatile("fence.i" ::: "memory"); }

/* Copies "li a0, 0x42; ret" to `at`. */
static void put_code(uint64_t at) {
  volatile uint32_t* p = (volatile uint32_t*)(uintptr_t)at;
  p[0] = 0x04200513; /* li a0, 0x42 */
  p[1] = 0x00008067; /* ret */
  fence_i();
}

/* E0 NA4 R at P0+0x100; E1 OFF (TOR base P1); E2 TOR P1 RW; E3 NAPOT P2 R;
 * E4 NAPOT CLINT none; E5 NAPOT P3 X; E6 NAPOT P4 RW; E7 NAPOT P5 R (locked
 * later); E8 NAPOT P6 W (later); E12 OFF (TOR base 0); E13 TOR [0, P7) RWX;
 * E14 OFF (TOR base P7 + 4 KiB); E15 TOR [P7 + 4 KiB, top) RWX. P7 matches nothing. */
static void setup(void) {
  csr_write(pmpaddr0, (P(0) + 0x100) >> 2);
  csr_write(pmpaddr1, P(1) >> 2);
  csr_write(pmpaddr2, P(2) >> 2);
  csr_write(pmpaddr3, napot(P(2), 4096));
  csr_write(pmpaddr4, napot(CLINT, 0x10000));
  csr_write(pmpaddr5, napot(P(3), 4096));
  csr_write(pmpaddr6, napot(P(4), 4096));
  csr_write(pmpaddr7, napot(P(5), 4096));
  csr_write(pmpaddr8, napot(P(6), 4096));
  csr_write(pmpaddr12, 0);
  csr_write(pmpaddr13, P(7) >> 2);
  csr_write(pmpaddr14, (P(7) + 4096) >> 2);
  csr_write(pmpaddr15, ~0ull);
  csr_write(pmpcfg2, ((PMP_TOR | RWX) << 56) | ((PMP_TOR | RWX) << 40));
  csr_write(pmpcfg0, ((PMP_NAPOT | PMP_R) << 56) | ((PMP_NAPOT | PMP_R | PMP_W) << 48) |
                         ((PMP_NAPOT | PMP_X) << 40) | (PMP_NAPOT << 32) |
                         ((PMP_NAPOT | PMP_R) << 24) | ((PMP_TOR | PMP_R | PMP_W) << 16) |
                         (PMP_NA4 | PMP_R));
}

static void test_csrs(void) {
  rt_check_group("pmp csrs");
  rt_printf("pmpcfg0 = 0x%lx\n", csr_read(pmpcfg0));
  rt_printf("pmpcfg2 = 0x%lx\n", csr_read(pmpcfg2));
  rt_printf("pmpaddr3 = 0x%lx (NAPOT 4 KiB at P2)\n", csr_read(pmpaddr3) - (P(2) >> 2));
  /* pmpaddr holds address bits 55:2 (54 bits on RV64); the bits above are
   * not compared (QEMU keeps them, the spec makes them read zero). */
  rt_printf("pmpaddr15 after writing ~0, bits 53:0 = 0x%lx\n",
            (unsigned long)(csr_read(pmpaddr15) & ((1ull << 54) - 1)));
  /* An OFF entry keeps R/W/X and L (bits 5-6 are reserved: not printed). */
  uint64_t cfg2 = csr_read(pmpcfg2);
  csr_write(pmpcfg2, cfg2 | (0x61ull << 8));
  rt_printf("entry 9 after writing 0x61 = 0x%lx\n", (unsigned long)((csr_read(pmpcfg2) >> 8) & 0x9f));
  csr_write(pmpcfg2, cfg2);
  rt_expect_trap(0);
  __asm__ volatile("csrr t0, pmpcfg1" ::: "t0");
  rt_trap_record t = rt_expect_trap_end();
  CHECK_EQ("pmpcfg1 (odd, RV32 only) is illegal", t.taken ? t.cause : 0, CAUSE_ILLEGAL_INSN);
  rt_check_group_end();
}

static void test_matching(void) {
  rt_check_group("matching");
  probe("S load NA4 R", RT_MODE_S, s_load32, P(0) + 0x100, 0);
  probe("S store NA4 R", RT_MODE_S, s_store32, P(0) + 0x100, CAUSE_STORE_ACCESS);
  probe("S store next to NA4 (TOR RWX)", RT_MODE_S, s_store32, P(0) + 0x104, 0);
  probe("S store before NA4 (TOR RWX)", RT_MODE_S, s_store32, P(0) + 0xfc, 0);
  probe("S load64 half in NA4", RT_MODE_S, s_load64, P(0) + 0x100, CAUSE_LOAD_ACCESS);
  probe("S load64 misaligned, NA4 and below", RT_MODE_S, s_load64, P(0) + 0xfc, CAUSE_LOAD_ACCESS);
  probe("S load64 just below NA4", RT_MODE_S, s_load64, P(0) + 0xf8, 0);
  probe("S load64 just above NA4", RT_MODE_S, s_load64, P(0) + 0x108, 0);
  probe("S store TOR RW", RT_MODE_S, s_store32, P(1), 0);
  probe("S load TOR RW end", RT_MODE_S, s_load32, P(1) + 0xffc, 0);
  probe("U load TOR RW", RT_MODE_U, s_load32, P(1) + 0x800, 0);
  probe("S load NAPOT R", RT_MODE_S, s_load32, P(2) + 0x10, 0);
  probe("S store NAPOT R", RT_MODE_S, s_store32, P(2) + 0x10, CAUSE_STORE_ACCESS);
  probe("U store NAPOT R", RT_MODE_U, s_store32, P(2) + 0xffc, CAUSE_STORE_ACCESS);
  probe("S load NAPOT R start", RT_MODE_S, s_load32, P(2), 0);
  probe_m("M store NAPOT R (not locked)", s_store32, P(2) + 0x20, 0);
  probe("S load unmatched", RT_MODE_S, s_load32, P(7) + 0x40, CAUSE_LOAD_ACCESS);
  probe("U store unmatched", RT_MODE_U, s_store32, P(7), CAUSE_STORE_ACCESS);
  probe_m("M store unmatched", s_store32, P(7), 0);
  probe("S load above the gap (TOR to the top)", RT_MODE_S, s_load32, P(7) + 4096, 0);
  rt_check_group_end();
}

static void test_fetch(void) {
  rt_check_group("fetch");
  put_code(P(3));
  put_code(P(4));
  CHECK_EQ("S runs X-only code", probe("S fetch NAPOT X", RT_MODE_S, s_call, P(3), 0), 0x42);
  probe("S fetch NAPOT RW", RT_MODE_S, s_call, P(4), CAUSE_FETCH_ACCESS);
  probe("U fetch NAPOT RW", RT_MODE_U, s_call, P(4), CAUSE_FETCH_ACCESS);
  probe("S load NAPOT X", RT_MODE_S, s_load32, P(3), CAUSE_LOAD_ACCESS);
  probe("S fetch unmatched", RT_MODE_S, s_call, P(7), CAUSE_FETCH_ACCESS);
  rt_check_group_end();
}

static void test_clint(void) {
  rt_check_group("clint");
  uint64_t before = mmio_read64(MTIME);
  probe("S load64 mtime", RT_MODE_S, s_load64, MTIME, CAUSE_LOAD_ACCESS);
  CHECK("M reads mtime", mmio_read64(MTIME) >= before);
  rt_check_group_end();
}

/* A PMP write and a privilege change must reach the very next access, even
 * right after the same page was accessed. */
static void test_changes(void) {
  rt_check_group("changes");
  probe("S load NAPOT R", RT_MODE_S, s_load32, P(2) + 0x40, 0);
  uint64_t cfg0 = csr_read(pmpcfg0);
  csr_write(pmpcfg0, cfg0 & ~(0xffull << 24));  /* E3 OFF: P2 falls to E13 (RWX) */
  probe("S store after E3 OFF", RT_MODE_S, s_store32, P(2) + 0x40, 0);
  csr_write(pmpcfg0, cfg0 & ~(0x07ull << 24));  /* E3 NAPOT, no permission */
  probe("S load after E3 lost R", RT_MODE_S, s_load32, P(2) + 0x40, CAUSE_LOAD_ACCESS);
  csr_write(pmpcfg0, cfg0);
  probe_m("M store", s_store32, P(2) + 0x80, 0);
  probe("S store after M stored", RT_MODE_S, s_store32, P(2) + 0x80, CAUSE_STORE_ACCESS);
  csr_write(pmpaddr3, napot(P(2), 8192));  /* E3 now also covers P3 (R) */
  probe("S fetch after pmpaddr3 grew", RT_MODE_S, s_call, P(3), CAUSE_FETCH_ACCESS);
  csr_write(pmpaddr3, napot(P(2), 4096));
  CHECK_EQ("S runs X-only code again", probe("S fetch NAPOT X", RT_MODE_S, s_call, P(3), 0), 0x42);
  rt_check_group_end();
}

/* The walk reads PTEs as S-mode loads: tables where S may not read fault
 * with an access fault for the access that walked. */
static void test_walk(void) {
  rt_check_group("page-table walk");
  uint64_t* root = (uint64_t*)(uintptr_t)P(1);
  uint64_t* bad_root = (uint64_t*)(uintptr_t)P(7);
  uint64_t* bad_l1 = bad_root; /* P7: no entry matches */
  for (int i = 0; i < 512; i++) root[i] = bad_root[i] = 0;
  /* Gigapage 2: identity for 0x8000_0000..0xbfff_ffff, RWX, A and D set.
   * Gigapage 3 (0xc000_0000..): a level-1 table in P7 whose entry 0 is a
   * megapage onto RAM. */
  root[2] = bad_root[2] = ((0x80000000ull >> 12) << 10) | PTE_AD | PTE_RWX | PTE_V;
  root[3] = ((P(7) >> 12) << 10) | PTE_V;
  bad_l1[0] = ((0x80000000ull >> 12) << 10) | PTE_AD | PTE_RWX | PTE_V;
  csr_write(satp, SATP_SV39 | (P(1) >> 12));
  __asm__ volatile("sfence.vma" ::: "memory");
  probe("S load through a table in TOR RW", RT_MODE_S, s_load32, P(2) + 0x10, 0);
  probe("S load through an unmatched level-1 table", RT_MODE_S, s_load32, 0xc0000000ull + 0x40,
        CAUSE_LOAD_ACCESS);
  csr_write(satp, SATP_SV39 | (P(7) >> 12));
  __asm__ volatile("sfence.vma" ::: "memory");
  probe_tval("S fetch through an unmatched root", RT_MODE_S, s_load32, P(2),
             CAUSE_FETCH_ACCESS, (uint64_t)(uintptr_t)s_load32);
  csr_write(satp, 0);
  __asm__ volatile("sfence.vma" ::: "memory");
  rt_check_group_end();
}

/* W without R (reserved), then the L bit: locked entries hold their values
 * and bind M mode too; a locked TOR entry also holds the pmpaddr below it. */
static void test_w_only_and_lock(void) {
  rt_check_group("W only");
  uint64_t cfg2 = csr_read(pmpcfg2);
  csr_write(pmpcfg2, cfg2 | (PMP_NAPOT | PMP_W));
  rt_printf("pmpcfg2 after writing W-only to entry 8 = 0x%lx\n", csr_read(pmpcfg2));
  const uint64_t w_only = (csr_read(pmpcfg2) & 3) == PMP_W;
  probe("S store W-only", RT_MODE_S, s_store32, P(6), w_only ? 0 : CAUSE_STORE_ACCESS);
  probe("S load W-only", RT_MODE_S, s_load32, P(6), CAUSE_LOAD_ACCESS);
  rt_check_group_end();

  rt_check_group("locked");
  uint64_t cfg0 = csr_read(pmpcfg0);
  csr_write(pmpcfg0, cfg0 | (PMP_L << 56) | (PMP_L << 16));  /* lock E7 (NAPOT R) and E2 (TOR RW) */
  uint64_t locked = csr_read(pmpcfg0);
  rt_printf("pmpcfg0 after locking entries 2 and 7 = 0x%lx\n", locked);
  probe_m("M load locked R", s_load32, P(5), 0);
  probe_m("M store locked R", s_store32, P(5) + 0x10, CAUSE_STORE_ACCESS);
  probe("S load locked R", RT_MODE_S, s_load32, P(5) + 0x20, 0);
  probe("S store locked R", RT_MODE_S, s_store32, P(5) + 0x20, CAUSE_STORE_ACCESS);
  probe_m("M store locked TOR RW", s_store32, P(1) + 0x10, 0);
  csr_write(pmpcfg0, locked & ~(0xffull << 56) & ~(0xffull << 16) & ~0xffull);
  rt_printf("pmpcfg0 after clearing entries 0, 2 and 7 = 0x%lx\n", csr_read(pmpcfg0));
  uint64_t a7 = csr_read(pmpaddr7), a1 = csr_read(pmpaddr1), a2 = csr_read(pmpaddr2);
  csr_write(pmpaddr7, 0);
  csr_write(pmpaddr1, 0);
  csr_write(pmpaddr2, 0);
  CHECK_EQ("pmpaddr7 (locked) kept", csr_read(pmpaddr7), a7);
  CHECK_EQ("pmpaddr2 (locked) kept", csr_read(pmpaddr2), a2);
  CHECK_EQ("pmpaddr1 (below a locked TOR) kept", csr_read(pmpaddr1), a1);
  probe_m("M store locked R, after the writes", s_store32, P(5) + 0x30, CAUSE_STORE_ACCESS);
  probe("S store where NA4 was, entry 0 OFF", RT_MODE_S, s_store32, P(0) + 0x100, 0);
  rt_check_group_end();
}

static void test_hpm(void) {
  rt_check_group("hpm counters");
  CHECK_EQ("mhpmcounter3", csr_read(mhpmcounter3), 0);
  CHECK_EQ("mhpmevent3", csr_read(mhpmevent3), 0);
  CHECK_EQ("hpmcounter3 in M", csr_read(hpmcounter3), 0);
  csr_write(mcounteren, ~0ull);
  /* mcounteren is a 32-bit register (QEMU keeps 64 bits). */
  rt_printf("mcounteren after writing ~0, bits 31:0 = 0x%lx\n",
            (unsigned long)(csr_read(mcounteren) & 0xffffffff));
  rt_expect_trap(0);
  uint64_t v = rt_run_lower(RT_MODE_S, s_hpmcounter3, 0);
  rt_trap_record t = rt_expect_trap_end();
  rt_printf("S hpmcounter3 with mcounteren ~0: %s, value %lu\n", t.taken ? "trapped" : "read", v);
  csr_write(mcounteren, 0);
  rt_check_group_end();
}

int guest_main(void) {
  rt_printf("pmp: TOR, NA4, NAPOT, L, priority, unmatched, walks, CLINT, hpm counters\n");
  clint_disarm(0);
  rt_lower_install();
  setup();
  test_csrs();
  test_matching();
  test_fetch();
  test_clint();
  test_changes();
  test_walk();
  test_hpm();
  test_w_only_and_lock();
  return rt_check_summary("pmp");
}
