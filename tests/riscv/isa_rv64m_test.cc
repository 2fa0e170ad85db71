// M extension: one row per case (instruction word, inputs, expected), the asm leads each
// row. Words come from GNU as for rv64imac; expected values are worked by hand.
#include "tests/riscv/isa_case.h"

namespace vtime::riscv::test {
namespace {

const IsaCase kCases[] = {
    {"mul a0, a1, a2", 0x02c58533, 4, {{11, 0xfffffffffffffffd}, {12, 0x5}}, {{10, 0xfffffffffffffff1}}, {}, {}, 4},
    {"mulh a0, a1, a2", 0x02c59533, 4, {{11, 0xffffffffffffffff}, {12, 0x2}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"mulh a0, a1, a2", 0x02c59533, 4, {{11, 0x8000000000000000}, {12, 0x8000000000000000}}, {{10, 0x4000000000000000}}, {}, {}, 4},
    {"mulhsu a0, a1, a2", 0x02c5a533, 4, {{11, 0xffffffffffffffff}, {12, 0xffffffffffffffff}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"mulhu a0, a1, a2", 0x02c5b533, 4, {{11, 0xffffffffffffffff}, {12, 0xffffffffffffffff}}, {{10, 0xfffffffffffffffe}}, {}, {}, 4},
    {"div a0, a1, a2", 0x02c5c533, 4, {{11, 0xfffffffffffffff9}, {12, 0x2}}, {{10, 0xfffffffffffffffd}}, {}, {}, 4},
    {"div a0, a1, a2", 0x02c5c533, 4, {{11, 0x7}, {12, 0x0}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"div a0, a1, a2", 0x02c5c533, 4, {{11, 0x8000000000000000}, {12, 0xffffffffffffffff}}, {{10, 0x8000000000000000}}, {}, {}, 4},
    {"divu a0, a1, a2", 0x02c5d533, 4, {{11, 0x7}, {12, 0x0}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"divu a0, a1, a2", 0x02c5d533, 4, {{11, 0xffffffffffffffff}, {12, 0x2}}, {{10, 0x7fffffffffffffff}}, {}, {}, 4},
    {"rem a0, a1, a2", 0x02c5e533, 4, {{11, 0xfffffffffffffff9}, {12, 0x2}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"rem a0, a1, a2", 0x02c5e533, 4, {{11, 0x7}, {12, 0x0}}, {{10, 0x7}}, {}, {}, 4},
    {"rem a0, a1, a2", 0x02c5e533, 4, {{11, 0x8000000000000000}, {12, 0xffffffffffffffff}}, {{10, 0x0}}, {}, {}, 4},
    {"remu a0, a1, a2", 0x02c5f533, 4, {{11, 0x7}, {12, 0x0}}, {{10, 0x7}}, {}, {}, 4},
    {"remu a0, a1, a2", 0x02c5f533, 4, {{11, 0x7}, {12, 0x4}}, {{10, 0x3}}, {}, {}, 4},
    {"mulw a0, a1, a2", 0x02c5853b, 4, {{11, 0x10000}, {12, 0x8000}}, {{10, 0xffffffff80000000}}, {}, {}, 4},
    {"divw a0, a1, a2", 0x02c5c53b, 4, {{11, 0x80000000}, {12, 0xffffffffffffffff}}, {{10, 0xffffffff80000000}}, {}, {}, 4},
    {"divw a0, a1, a2", 0x02c5c53b, 4, {{11, 0x5}, {12, 0x100000000}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"divuw a0, a1, a2", 0x02c5d53b, 4, {{11, 0xfffffffe}, {12, 0x1}}, {{10, 0xfffffffffffffffe}}, {}, {}, 4},
    {"divuw a0, a1, a2", 0x02c5d53b, 4, {{11, 0x5}, {12, 0x0}}, {{10, 0xffffffffffffffff}}, {}, {}, 4},
    {"remw a0, a1, a2", 0x02c5e53b, 4, {{11, 0x80000000}, {12, 0xffffffffffffffff}}, {{10, 0x0}}, {}, {}, 4},
    {"remw a0, a1, a2", 0x02c5e53b, 4, {{11, 0x80000005}, {12, 0x0}}, {{10, 0xffffffff80000005}}, {}, {}, 4},
    {"remuw a0, a1, a2", 0x02c5f53b, 4, {{11, 0x80000005}, {12, 0x0}}, {{10, 0xffffffff80000005}}, {}, {}, 4},
    {"remuw a0, a1, a2", 0x02c5f53b, 4, {{11, 0xffffffff}, {12, 0x10}}, {{10, 0xf}}, {}, {}, 4},
};

TEST(Rv64m, MultiplyAndDivideIncludingDivisionEdgeCases) { run_isa_cases(kCases); }

}  // namespace
}  // namespace vtime::riscv::test
