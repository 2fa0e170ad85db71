// M extension: multiply and divide (unprivileged spec ch. 13). Division never
// traps: by zero gives all ones (quotient) or the dividend (remainder), and the
// signed overflow -2^(XLEN-1) / -1 gives the dividend with remainder 0.
#include <limits>

#include "vtime/riscv/hart.h"
#include "vtime/riscv/isa.h"

namespace vtime::riscv {
namespace {

__extension__ using Int128 = __int128;
__extension__ using Uint128 = unsigned __int128;

int64_t s(uint64_t v) { return static_cast<int64_t>(v); }
uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }
uint64_t sext32(uint64_t v) { return u(static_cast<int32_t>(v)); }

using Alu = uint64_t (*)(uint64_t a, uint64_t b);
template <Alu F>
const Op* exec(Hart& h, const Op* op) {
  h.set_x(op->rd, F(h.x(op->rs1), h.x(op->rs2)));
  return next_op(h, op);
}

uint64_t mul(uint64_t a, uint64_t b) { return a * b; }
uint64_t mulh(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>((static_cast<Int128>(s(a)) * static_cast<Int128>(s(b))) >> 64);
}
uint64_t mulhsu(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>((static_cast<Int128>(s(a)) * static_cast<Int128>(Uint128{b})) >> 64);
}
uint64_t mulhu(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>((Uint128{a} * Uint128{b}) >> 64);
}
uint64_t div(uint64_t a, uint64_t b) {
  if (b == 0) return ~uint64_t{0};
  if (s(a) == std::numeric_limits<int64_t>::min() && s(b) == -1) return a;
  return u(s(a) / s(b));
}
uint64_t divu(uint64_t a, uint64_t b) { return b == 0 ? ~uint64_t{0} : a / b; }
uint64_t rem(uint64_t a, uint64_t b) {
  if (b == 0) return a;
  if (s(a) == std::numeric_limits<int64_t>::min() && s(b) == -1) return 0;
  return u(s(a) % s(b));
}
uint64_t remu(uint64_t a, uint64_t b) { return b == 0 ? a : a % b; }

int32_t w(uint64_t v) { return static_cast<int32_t>(v); }
uint32_t uw(uint64_t v) { return static_cast<uint32_t>(v); }
uint64_t mulw(uint64_t a, uint64_t b) { return sext32(a * b); }
uint64_t divw(uint64_t a, uint64_t b) {
  if (w(b) == 0) return ~uint64_t{0};
  if (w(a) == std::numeric_limits<int32_t>::min() && w(b) == -1) return sext32(a);
  return u(w(a) / w(b));
}
uint64_t divuw(uint64_t a, uint64_t b) { return uw(b) == 0 ? ~uint64_t{0} : sext32(uw(a) / uw(b)); }
uint64_t remw(uint64_t a, uint64_t b) {
  if (w(b) == 0) return sext32(a);
  if (w(a) == std::numeric_limits<int32_t>::min() && w(b) == -1) return 0;
  return u(w(a) % w(b));
}
uint64_t remuw(uint64_t a, uint64_t b) { return uw(b) == 0 ? sext32(a) : sext32(uw(a) % uw(b)); }

constexpr uint32_t kRType = 0xfe00707f;

constexpr InsnSpec kRv64m[] = {
    {"mul", kRType, 0x02000033, &exec<mul>, Format::kR, Flow::kNext},
    {"mulh", kRType, 0x02001033, &exec<mulh>, Format::kR, Flow::kNext},
    {"mulhsu", kRType, 0x02002033, &exec<mulhsu>, Format::kR, Flow::kNext},
    {"mulhu", kRType, 0x02003033, &exec<mulhu>, Format::kR, Flow::kNext},
    {"div", kRType, 0x02004033, &exec<div>, Format::kR, Flow::kNext},
    {"divu", kRType, 0x02005033, &exec<divu>, Format::kR, Flow::kNext},
    {"rem", kRType, 0x02006033, &exec<rem>, Format::kR, Flow::kNext},
    {"remu", kRType, 0x02007033, &exec<remu>, Format::kR, Flow::kNext},
    {"mulw", kRType, 0x0200003b, &exec<mulw>, Format::kR, Flow::kNext},
    {"divw", kRType, 0x0200403b, &exec<divw>, Format::kR, Flow::kNext},
    {"divuw", kRType, 0x0200503b, &exec<divuw>, Format::kR, Flow::kNext},
    {"remw", kRType, 0x0200603b, &exec<remw>, Format::kR, Flow::kNext},
    {"remuw", kRType, 0x0200703b, &exec<remuw>, Format::kR, Flow::kNext},
};

}  // namespace

std::span<const InsnSpec> rv64m_table() { return kRv64m; }

}  // namespace vtime::riscv
