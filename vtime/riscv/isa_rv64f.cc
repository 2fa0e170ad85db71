// F extension: single-precision floating point (unprivileged spec ch. 11), on
// RV64 with NaN-boxed values in the 64-bit f registers. Arithmetic is in fpu.cc,
// the handler shapes in isa_fp.h; this file is the table.
#include "vtime/riscv/isa_fp.h"

namespace vtime::riscv {
namespace {

using namespace fp;  // NOLINT(google-build-using-namespace): handler templates and masks
using S = uint32_t;

constexpr InsnSpec kRv64f[] = {
    {"flw", kMaskF3, 0x00002007, &exec_load<S>, Format::kI, Flow::kNext},
    {"fsw", kMaskF3, 0x00002027, &exec_store<S>, Format::kS, Flow::kNext},
    {"fmadd.s", kMaskR4, 0x00000043, &exec_fma<S, false, false>, Format::kU, Flow::kNext},
    {"fmsub.s", kMaskR4, 0x00000047, &exec_fma<S, false, true>, Format::kU, Flow::kNext},
    {"fnmsub.s", kMaskR4, 0x0000004b, &exec_fma<S, true, false>, Format::kU, Flow::kNext},
    {"fnmadd.s", kMaskR4, 0x0000004f, &exec_fma<S, true, true>, Format::kU, Flow::kNext},
    {"fadd.s", kMaskF7, 0x00000053, &exec_arith<S, fpu::add<S>>, Format::kU, Flow::kNext},
    {"fsub.s", kMaskF7, 0x08000053, &exec_arith<S, fpu::sub<S>>, Format::kU, Flow::kNext},
    {"fmul.s", kMaskF7, 0x10000053, &exec_arith<S, fpu::mul<S>>, Format::kU, Flow::kNext},
    {"fdiv.s", kMaskF7, 0x18000053, &exec_arith<S, fpu::div<S>>, Format::kU, Flow::kNext},
    {"fsqrt.s", kMaskF7Rs2, 0x58000053, &exec_sqrt<S>, Format::kU, Flow::kNext},
    {"fsgnj.s", kMaskF7F3, 0x20000053, &exec_sgnj<S, Sgnj::kJ>, Format::kR, Flow::kNext},
    {"fsgnjn.s", kMaskF7F3, 0x20001053, &exec_sgnj<S, Sgnj::kJn>, Format::kR, Flow::kNext},
    {"fsgnjx.s", kMaskF7F3, 0x20002053, &exec_sgnj<S, Sgnj::kJx>, Format::kR, Flow::kNext},
    {"fmin.s", kMaskF7F3, 0x28000053, &exec_minmax<S, fpu::min<S>>, Format::kR, Flow::kNext},
    {"fmax.s", kMaskF7F3, 0x28001053, &exec_minmax<S, fpu::max<S>>, Format::kR, Flow::kNext},
    {"fcvt.w.s", kMaskF7Rs2, 0xc0000053, &exec_to_int<S, fpu::to_w<S>>, Format::kU, Flow::kNext},
    {"fcvt.wu.s", kMaskF7Rs2, 0xc0100053, &exec_to_int<S, fpu::to_wu<S>>, Format::kU, Flow::kNext},
    {"fcvt.l.s", kMaskF7Rs2, 0xc0200053, &exec_to_int<S, fpu::to_l<S>>, Format::kU, Flow::kNext},
    {"fcvt.lu.s", kMaskF7Rs2, 0xc0300053, &exec_to_int<S, fpu::to_lu<S>>, Format::kU, Flow::kNext},
    {"fmv.x.w", kMaskF7Rs2F3, 0xe0000053, &exec_mv_to_x<S>, Format::kR, Flow::kNext},
    {"feq.s", kMaskF7F3, 0xa0002053, &exec_compare<S, fpu::eq<S>>, Format::kR, Flow::kNext},
    {"flt.s", kMaskF7F3, 0xa0001053, &exec_compare<S, fpu::lt<S>>, Format::kR, Flow::kNext},
    {"fle.s", kMaskF7F3, 0xa0000053, &exec_compare<S, fpu::le<S>>, Format::kR, Flow::kNext},
    {"fclass.s", kMaskF7Rs2F3, 0xe0001053, &exec_class<S>, Format::kR, Flow::kNext},
    {"fcvt.s.w", kMaskF7Rs2, 0xd0000053, &exec_from_int<S, fpu::from_w<S>>, Format::kU, Flow::kNext},
    {"fcvt.s.wu", kMaskF7Rs2, 0xd0100053, &exec_from_int<S, fpu::from_wu<S>>, Format::kU, Flow::kNext},
    {"fcvt.s.l", kMaskF7Rs2, 0xd0200053, &exec_from_int<S, fpu::from_l<S>>, Format::kU, Flow::kNext},
    {"fcvt.s.lu", kMaskF7Rs2, 0xd0300053, &exec_from_int<S, fpu::from_lu<S>>, Format::kU, Flow::kNext},
    {"fmv.w.x", kMaskF7Rs2F3, 0xf0000053, &exec_mv_from_x<S>, Format::kR, Flow::kNext},
};

}  // namespace

std::span<const InsnSpec> rv64f_table() { return kRv64f; }

}  // namespace vtime::riscv
