// Table-driven ISA tests: one instruction, its input registers and
// memory, and what it must leave behind. The runner executes exactly one
// instruction at kRamBase with a budget of 1.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <utility>
#include <vector>

#include "tests/riscv/test_env.h"

namespace vtime::riscv::test {

struct Mem {
  uint64_t offset;  // from kData
  unsigned size;
  uint64_t value;
};

struct IsaCase {
  const char* assembly;
  uint32_t word;
  unsigned len;
  std::vector<std::pair<unsigned, uint64_t>> in;
  std::vector<std::pair<unsigned, uint64_t>> out;
  std::vector<Mem> mem_in;
  std::vector<Mem> mem_out;
  int64_t next_pc;  // relative to the instruction
};

inline void run_isa_cases(std::span<const IsaCase> cases) {
  for (const IsaCase& c : cases) {
    SCOPED_TRACE(c.assembly);
    Rig rig;
    rig.env.put(kRamBase, c.len, c.word);
    for (const Mem& m : c.mem_in) rig.env.put(kData + m.offset, m.size, m.value);
    for (auto [r, v] : c.in) rig.hart.set_reg(r, v);
    const RunResult result = rig.hart.run(1);
    EXPECT_EQ(result.executed, 1u);
    EXPECT_EQ(rig.hart.csrs().mcause, 0u) << "unexpected trap";
    for (auto [r, v] : c.out) EXPECT_EQ(rig.hart.reg(r), v) << "x" << r;
    for (const Mem& m : c.mem_out) EXPECT_EQ(rig.env.get(kData + m.offset, m.size), m.value);
    EXPECT_EQ(rig.hart.pc(), kRamBase + static_cast<uint64_t>(c.next_pc));
  }
}

}  // namespace vtime::riscv::test
