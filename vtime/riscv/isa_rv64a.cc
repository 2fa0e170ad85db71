// A extension: LR/SC and the AMOs, 32- and 64-bit (unprivileged spec ch. 14).
// W forms sign-extend the loaded word into rd; min/max compare as signed or
// unsigned 32-bit values (both orders survive sign extension to 64 bits, which
// is how the operands reach these functions). aq/rl need no action here.
#include <algorithm>

#include "vtime/riscv/hart.h"
#include "vtime/riscv/isa.h"

namespace vtime::riscv {
namespace {

int64_t s(uint64_t v) { return static_cast<int64_t>(v); }

uint64_t swap(uint64_t, uint64_t b) { return b; }
uint64_t add(uint64_t a, uint64_t b) { return a + b; }
uint64_t xor_(uint64_t a, uint64_t b) { return a ^ b; }
uint64_t and_(uint64_t a, uint64_t b) { return a & b; }
uint64_t or_(uint64_t a, uint64_t b) { return a | b; }
uint64_t min(uint64_t a, uint64_t b) { return s(a) < s(b) ? a : b; }
uint64_t max(uint64_t a, uint64_t b) { return s(a) > s(b) ? a : b; }
uint64_t minu(uint64_t a, uint64_t b) { return std::min(a, b); }
uint64_t maxu(uint64_t a, uint64_t b) { return std::max(a, b); }

template <unsigned Size, Hart::AmoFn F>
const Op* exec_amo(Hart& h, const Op* op) { return h.amo(op, Size, F); }
template <unsigned Size>
const Op* exec_lr(Hart& h, const Op* op) { return h.load_reserved(op, Size); }
template <unsigned Size>
const Op* exec_sc(Hart& h, const Op* op) { return h.store_conditional(op, Size); }

constexpr uint32_t kAmo = 0xf800707f;  // funct5 + funct3 + opcode; aq/rl free
constexpr uint32_t kLr = 0xf9f0707f;   // and rs2 = 0

constexpr InsnSpec kRv64a[] = {
    {"lr.w", kLr, 0x1000202f, &exec_lr<4>, Format::kR, Flow::kNext},
    {"sc.w", kAmo, 0x1800202f, &exec_sc<4>, Format::kR, Flow::kNext},
    {"amoswap.w", kAmo, 0x0800202f, &exec_amo<4, swap>, Format::kR, Flow::kNext},
    {"amoadd.w", kAmo, 0x0000202f, &exec_amo<4, add>, Format::kR, Flow::kNext},
    {"amoxor.w", kAmo, 0x2000202f, &exec_amo<4, xor_>, Format::kR, Flow::kNext},
    {"amoand.w", kAmo, 0x6000202f, &exec_amo<4, and_>, Format::kR, Flow::kNext},
    {"amoor.w", kAmo, 0x4000202f, &exec_amo<4, or_>, Format::kR, Flow::kNext},
    {"amomin.w", kAmo, 0x8000202f, &exec_amo<4, min>, Format::kR, Flow::kNext},
    {"amomax.w", kAmo, 0xa000202f, &exec_amo<4, max>, Format::kR, Flow::kNext},
    {"amominu.w", kAmo, 0xc000202f, &exec_amo<4, minu>, Format::kR, Flow::kNext},
    {"amomaxu.w", kAmo, 0xe000202f, &exec_amo<4, maxu>, Format::kR, Flow::kNext},
    {"lr.d", kLr, 0x1000302f, &exec_lr<8>, Format::kR, Flow::kNext},
    {"sc.d", kAmo, 0x1800302f, &exec_sc<8>, Format::kR, Flow::kNext},
    {"amoswap.d", kAmo, 0x0800302f, &exec_amo<8, swap>, Format::kR, Flow::kNext},
    {"amoadd.d", kAmo, 0x0000302f, &exec_amo<8, add>, Format::kR, Flow::kNext},
    {"amoxor.d", kAmo, 0x2000302f, &exec_amo<8, xor_>, Format::kR, Flow::kNext},
    {"amoand.d", kAmo, 0x6000302f, &exec_amo<8, and_>, Format::kR, Flow::kNext},
    {"amoor.d", kAmo, 0x4000302f, &exec_amo<8, or_>, Format::kR, Flow::kNext},
    {"amomin.d", kAmo, 0x8000302f, &exec_amo<8, min>, Format::kR, Flow::kNext},
    {"amomax.d", kAmo, 0xa000302f, &exec_amo<8, max>, Format::kR, Flow::kNext},
    {"amominu.d", kAmo, 0xc000302f, &exec_amo<8, minu>, Format::kR, Flow::kNext},
    {"amomaxu.d", kAmo, 0xe000302f, &exec_amo<8, maxu>, Format::kR, Flow::kNext},
};

}  // namespace

std::span<const InsnSpec> rv64a_table() { return kRv64a; }

}  // namespace vtime::riscv
