// HartEnv: everything a hart needs from the board it sits in - the physical bus,
// direct host pointers to RAM/ROM pages, the `time` source, and the
// instruction-exact sync hook the icount engine uses. The board implements it;
// tests implement it over a plain byte buffer. vtime/riscv knows nothing else of
// the machine. Leaves out: PMA attributes (every host page is cacheable and
// supports atomics; everything else is a device). PMP is the hart's own (pmp.h).
#pragma once

#include <cstdint>

namespace vtime::riscv {

inline constexpr unsigned kPageBits = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageBits;

enum class BusResult : uint8_t { kOk, kAccessFault };

// What the hart wants to do with a host page.
enum class PageAccess : uint8_t { kRead, kWrite, kFetch };

class HartEnv {
 public:
  virtual ~HartEnv() = default;

  // A host pointer to the start of the 4 KiB physical page `page_paddr`
  // (page-aligned) when that page is plain memory usable for `access`, else
  // nullptr (the hart then uses load()/store()). The pointer must stay valid
  // until the board calls Hart::flush_tlb() or destroys the hart. Instruction
  // fetch works only from pages returned here (kFetch); elsewhere it faults.
  virtual uint8_t* host_page(uint64_t page_paddr, PageAccess access) = 0;

  // A physical access of 1, 2, 4 or 8 bytes at a naturally aligned address,
  // little-endian, outside the host pages. kAccessFault makes the hart take a
  // load / store access fault. sync() has been called just before.
  virtual BusResult load(uint64_t paddr, unsigned size, uint64_t& value) = 0;
  virtual BusResult store(uint64_t paddr, unsigned size, uint64_t value) = 0;

  // The `time` CSR: the board's mtime. sync() has been called just before.
  virtual uint64_t read_time() = 0;

  // The hart retired `retired` more instructions since the previous sync() (or
  // since run() began). Called before every load()/store()/read_time() and once
  // at the end of run() when anything is unreported, so the sum of the values
  // over one run() equals RunResult::executed. The instruction about to access
  // the device is not included: the device sees time exactly at that
  // instruction. Inside sync() and the access that follows, the board may call
  // Hart::shrink_budget() or Hart::set_pending().
  virtual void sync(uint64_t retired) = 0;

  // Sstc: the hart's supervisor timer compare changed (a stimecmp write, or
  // menvcfg.STCE turning on or off; kNoStimecmp while STCE is off). The board
  // keeps irq::kStip raised through Hart::set_pending() exactly while
  // mtime >= value, from this instruction on (sync() has been called just
  // before, so the board's time is exact), and lowers it for kNoStimecmp. The
  // default ignores it: a board without Sstc timers (stimecmp then never fires).
  static constexpr uint64_t kNoStimecmp = ~uint64_t{0};
  virtual void set_stimecmp(uint64_t value) { (void)value; }
};

}  // namespace vtime::riscv
