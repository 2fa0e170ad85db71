// Table-driven F/D tests: one FP instruction with its x and f inputs,
// frm, memory, and the x/f registers, memory and fflags it must leave. The
// runner first enables the FP unit (csrs mstatus, x31 with FS = Initial) and
// sets frm (csrw frm, x30), so cases cannot use x30/x31 as operands.
#pragma once

#include <gtest/gtest.h>

#include <initializer_list>
#include <span>
#include <utility>
#include <vector>

#include "tests/riscv/isa_case.h"
#include "vtime/riscv/csr.h"

namespace vtime::riscv::test {

struct FpCase {
  const char* assembly;
  uint32_t word;
  unsigned len;
  std::vector<std::pair<unsigned, uint64_t>> x_in;
  std::vector<std::pair<unsigned, uint64_t>> f_in;
  unsigned frm;
  std::vector<std::pair<unsigned, uint64_t>> x_out;
  std::vector<std::pair<unsigned, uint64_t>> f_out;
  uint8_t fflags;
  std::vector<Mem> mem_in = {};
  std::vector<Mem> mem_out = {};
};

inline constexpr uint32_t kCsrsMstatusX31 = 0x300fa073;  // csrs mstatus, t6
inline constexpr uint32_t kCsrwFrmX30 = 0x002f1073;      // csrw frm, t5
inline constexpr uint64_t kFsInitial = uint64_t{1} << mstatus::kFsShift;

// Runs the two set-up instructions and `word`; returns the rig for more checks.
inline void run_fp_case(Rig& rig, const FpCase& c) {
  rig.env.put_words(kRamBase, {kCsrsMstatusX31, kCsrwFrmX30});
  rig.env.put(kRamBase + 8, c.len, c.word);
  for (const Mem& m : c.mem_in) rig.env.put(kData + m.offset, m.size, m.value);
  for (auto [r, v] : c.x_in) rig.hart.set_reg(r, v);
  for (auto [r, v] : c.f_in) rig.hart.set_f(r, v);
  rig.hart.set_reg(31, kFsInitial);
  rig.hart.set_reg(30, c.frm);
  EXPECT_EQ(rig.hart.run(3).executed, 3u);
}

// Runs `setup` (32-bit words, after csrw mtvec) then `word` (of `len` bytes),
// which must trap as illegal with its bits in mtval; the trap vector spins.
inline void expect_illegal(Rig& rig, std::initializer_list<uint32_t> setup, uint32_t word, unsigned len) {
  constexpr uint64_t kVector = kRamBase + 0x800;
  rig.env.put_words(kRamBase, {0x30529073});  // csrw mtvec, t0
  rig.env.put_words(kRamBase + 4, setup);
  const uint64_t at = kRamBase + 4 + 4 * setup.size();
  rig.env.put(at, len, word);
  rig.env.put_words(kVector, {0x0000006f});  // j .
  rig.hart.set_reg(5, kVector);
  EXPECT_EQ(rig.hart.run(setup.size() + 2).executed, setup.size() + 2);  // the trap does not retire
  EXPECT_EQ(rig.hart.csrs().mcause, cause::kIllegalInsn);
  EXPECT_EQ(rig.hart.csrs().mtval, word);
  EXPECT_EQ(rig.hart.csrs().mepc, at);
}

inline void run_fp_cases(std::span<const FpCase> cases) {
  for (const FpCase& c : cases) {
    SCOPED_TRACE(c.assembly);
    Rig rig;
    run_fp_case(rig, c);
    EXPECT_EQ(rig.hart.csrs().mcause, 0u) << "unexpected trap";
    for (auto [r, v] : c.x_out) EXPECT_EQ(rig.hart.reg(r), v) << "x" << r;
    for (auto [r, v] : c.f_out) EXPECT_EQ(rig.hart.f(r), v) << std::hex << "f" << r << " = " << rig.hart.f(r);
    for (const Mem& m : c.mem_out) EXPECT_EQ(rig.env.get(kData + m.offset, m.size), m.value);
    EXPECT_EQ(rig.hart.csrs().fflags, c.fflags);
    EXPECT_EQ(rig.hart.pc(), kRamBase + 8 + c.len);
  }
}

}  // namespace vtime::riscv::test
