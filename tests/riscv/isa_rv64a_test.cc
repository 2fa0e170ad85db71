// A extension: one row per case (instruction word, inputs, expected), the asm leads each
// row. Words come from GNU as for rv64imac; expected values are worked by hand.
#include "tests/riscv/isa_case.h"

namespace vtime::riscv::test {
namespace {

const IsaCase kCases[] = {
    {"amoswap.w a0, a2, (a1)", 0x08c5a52f, 4, {{11, 0x80001000}, {12, 0x5}}, {{10, 0xffffffff80000000}}, {{0x0, 8, 0xaa80000000}}, {{0x0, 8, 0xaa00000005}}, 4},
    {"amoadd.w a0, a2, (a1)", 0x00c5a52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0x7fffffff}}, {{0x0, 4, 0x7fffffff}}, {{0x0, 8, 0x80000000}}, 4},
    {"amoxor.w a0, a2, (a1)", 0x20c5a52f, 4, {{11, 0x80001000}, {12, 0xff}}, {{10, 0xf0}}, {{0x0, 4, 0xf0}}, {{0x0, 4, 0xf}}, 4},
    {"amoand.w a0, a2, (a1)", 0x60c5a52f, 4, {{11, 0x80001000}, {12, 0x3c}}, {{10, 0xf0}}, {{0x0, 4, 0xf0}}, {{0x0, 4, 0x30}}, 4},
    {"amoor.w a0, a2, (a1)", 0x40c5a52f, 4, {{11, 0x80001000}, {12, 0xf}}, {{10, 0xf0}}, {{0x0, 4, 0xf0}}, {{0x0, 4, 0xff}}, 4},
    {"amomin.w a0, a2, (a1)", 0x80c5a52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 4, 0xffffffff}}, {{0x0, 4, 0xffffffff}}, 4},
    {"amomax.w a0, a2, (a1)", 0xa0c5a52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 4, 0xffffffff}}, {{0x0, 4, 0x1}}, 4},
    {"amominu.w a0, a2, (a1)", 0xc0c5a52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 4, 0xffffffff}}, {{0x0, 4, 0x1}}, 4},
    {"amomaxu.w a0, a2, (a1)", 0xe0c5a52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 4, 0xffffffff}}, {{0x0, 4, 0xffffffff}}, 4},
    {"amomin.w a0, a2, (a1)", 0x80c5a52f, 4, {{11, 0x80001000}, {12, 0x80000000}}, {{10, 0x5}}, {{0x0, 4, 0x5}}, {{0x0, 4, 0x80000000}}, 4},
    {"amominu.w a0, a2, (a1)", 0xc0c5a52f, 4, {{11, 0x80001000}, {12, 0xffffffff80000000}}, {{10, 0x5}}, {{0x0, 4, 0x5}}, {{0x0, 4, 0x5}}, 4},
    {"amoswap.d a0, a2, (a1)", 0x08c5b52f, 4, {{11, 0x80001000}, {12, 0x5}}, {{10, 0x8000000000000000}}, {{0x0, 8, 0x8000000000000000}}, {{0x0, 8, 0x5}}, 4},
    {"amoadd.d a0, a2, (a1)", 0x00c5b52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, {{0x0, 8, 0x0}}, 4},
    {"amoxor.d a0, a2, (a1)", 0x20c5b52f, 4, {{11, 0x80001000}, {12, 0xffffffffffffffff}}, {{10, 0x1}}, {{0x0, 8, 0x1}}, {{0x0, 8, 0xfffffffffffffffe}}, 4},
    {"amoand.d a0, a2, (a1)", 0x60c5b52f, 4, {{11, 0x80001000}, {12, 0x8000000000000000}}, {{10, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, {{0x0, 8, 0x8000000000000000}}, 4},
    {"amoor.d a0, a2, (a1)", 0x40c5b52f, 4, {{11, 0x80001000}, {12, 0x8000000000000000}}, {{10, 0x1}}, {{0x0, 8, 0x1}}, {{0x0, 8, 0x8000000000000001}}, 4},
    {"amomin.d a0, a2, (a1)", 0x80c5b52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, 4},
    {"amomax.d a0, a2, (a1)", 0xa0c5b52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, {{0x0, 8, 0x1}}, 4},
    {"amominu.d a0, a2, (a1)", 0xc0c5b52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, {{0x0, 8, 0x1}}, 4},
    {"amomaxu.d a0, a2, (a1)", 0xe0c5b52f, 4, {{11, 0x80001000}, {12, 0x1}}, {{10, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, {{0x0, 8, 0xffffffffffffffff}}, 4},
    {"lr.w a0, (a1)", 0x1005a52f, 4, {{11, 0x80001000}}, {{10, 0xffffffff80000000}}, {{0x0, 4, 0x80000000}}, {}, 4},
    {"lr.d a0, (a1)", 0x1005b52f, 4, {{11, 0x80001000}}, {{10, 0x1122334455667788}}, {{0x0, 8, 0x1122334455667788}}, {}, 4},
    {"sc.w a0, a2, (a1)", 0x18c5a52f, 4, {{11, 0x80001000}, {12, 0x7}}, {{10, 0x1}}, {{0x0, 4, 0x3}}, {{0x0, 4, 0x3}}, 4},
    {"sc.d a0, a2, (a1)", 0x18c5b52f, 4, {{11, 0x80001000}, {12, 0x7}}, {{10, 0x1}}, {{0x0, 8, 0x3}}, {{0x0, 8, 0x3}}, 4},
};

TEST(Rv64a, AmosReturnTheOldValueWithTheRightSignedness) { run_isa_cases(kCases); }

}  // namespace
}  // namespace vtime::riscv::test
