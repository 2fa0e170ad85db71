// D extension: double-precision floating point (unprivileged spec ch. 12) on
// RV64, including the conversions between single and double and the 64-bit
// moves between f and x registers. Arithmetic is in fpu.cc, the handler shapes
// in isa_fp.h; this file is the table.
#include "vtime/riscv/isa_fp.h"

namespace vtime::riscv {
namespace {

using namespace fp;  // NOLINT(google-build-using-namespace): handler templates and masks
using D = uint64_t;

// FCVT.S.D rounds; FCVT.D.S is exact but still has (and checks) an rm field.
const Op* exec_cvt_s_d(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  put<uint32_t>(h, frd(op), fpu::double_to_single(h.f(op->rs1), rm, flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}
const Op* exec_cvt_d_s(Hart& h, const Op* op) {
  fpu::Rm rm{};
  if (!h.fp_enabled() || !rounding(h, op, rm)) return h.illegal(op);
  uint8_t flags = 0;
  put<D>(h, frd(op), fpu::single_to_double(get<uint32_t>(h, op->rs1), flags));
  h.raise_fflags(flags);
  return next_op(h, op);
}

constexpr InsnSpec kRv64d[] = {
    {"fld", kMaskF3, 0x00003007, &exec_load<D>, Format::kI, Flow::kNext},
    {"fsd", kMaskF3, 0x00003027, &exec_store<D>, Format::kS, Flow::kNext},
    {"fmadd.d", kMaskR4, 0x02000043, &exec_fma<D, false, false>, Format::kU, Flow::kNext},
    {"fmsub.d", kMaskR4, 0x02000047, &exec_fma<D, false, true>, Format::kU, Flow::kNext},
    {"fnmsub.d", kMaskR4, 0x0200004b, &exec_fma<D, true, false>, Format::kU, Flow::kNext},
    {"fnmadd.d", kMaskR4, 0x0200004f, &exec_fma<D, true, true>, Format::kU, Flow::kNext},
    {"fadd.d", kMaskF7, 0x02000053, &exec_arith<D, fpu::add<D>>, Format::kU, Flow::kNext},
    {"fsub.d", kMaskF7, 0x0a000053, &exec_arith<D, fpu::sub<D>>, Format::kU, Flow::kNext},
    {"fmul.d", kMaskF7, 0x12000053, &exec_arith<D, fpu::mul<D>>, Format::kU, Flow::kNext},
    {"fdiv.d", kMaskF7, 0x1a000053, &exec_arith<D, fpu::div<D>>, Format::kU, Flow::kNext},
    {"fsqrt.d", kMaskF7Rs2, 0x5a000053, &exec_sqrt<D>, Format::kU, Flow::kNext},
    {"fsgnj.d", kMaskF7F3, 0x22000053, &exec_sgnj<D, Sgnj::kJ>, Format::kR, Flow::kNext},
    {"fsgnjn.d", kMaskF7F3, 0x22001053, &exec_sgnj<D, Sgnj::kJn>, Format::kR, Flow::kNext},
    {"fsgnjx.d", kMaskF7F3, 0x22002053, &exec_sgnj<D, Sgnj::kJx>, Format::kR, Flow::kNext},
    {"fmin.d", kMaskF7F3, 0x2a000053, &exec_minmax<D, fpu::min<D>>, Format::kR, Flow::kNext},
    {"fmax.d", kMaskF7F3, 0x2a001053, &exec_minmax<D, fpu::max<D>>, Format::kR, Flow::kNext},
    {"fcvt.s.d", kMaskF7Rs2, 0x40100053, &exec_cvt_s_d, Format::kU, Flow::kNext},
    {"fcvt.d.s", kMaskF7Rs2, 0x42000053, &exec_cvt_d_s, Format::kU, Flow::kNext},
    {"feq.d", kMaskF7F3, 0xa2002053, &exec_compare<D, fpu::eq<D>>, Format::kR, Flow::kNext},
    {"flt.d", kMaskF7F3, 0xa2001053, &exec_compare<D, fpu::lt<D>>, Format::kR, Flow::kNext},
    {"fle.d", kMaskF7F3, 0xa2000053, &exec_compare<D, fpu::le<D>>, Format::kR, Flow::kNext},
    {"fclass.d", kMaskF7Rs2F3, 0xe2001053, &exec_class<D>, Format::kR, Flow::kNext},
    {"fcvt.w.d", kMaskF7Rs2, 0xc2000053, &exec_to_int<D, fpu::to_w<D>>, Format::kU, Flow::kNext},
    {"fcvt.wu.d", kMaskF7Rs2, 0xc2100053, &exec_to_int<D, fpu::to_wu<D>>, Format::kU, Flow::kNext},
    {"fcvt.l.d", kMaskF7Rs2, 0xc2200053, &exec_to_int<D, fpu::to_l<D>>, Format::kU, Flow::kNext},
    {"fcvt.lu.d", kMaskF7Rs2, 0xc2300053, &exec_to_int<D, fpu::to_lu<D>>, Format::kU, Flow::kNext},
    {"fcvt.d.w", kMaskF7Rs2, 0xd2000053, &exec_from_int<D, fpu::from_w<D>>, Format::kU, Flow::kNext},
    {"fcvt.d.wu", kMaskF7Rs2, 0xd2100053, &exec_from_int<D, fpu::from_wu<D>>, Format::kU, Flow::kNext},
    {"fcvt.d.l", kMaskF7Rs2, 0xd2200053, &exec_from_int<D, fpu::from_l<D>>, Format::kU, Flow::kNext},
    {"fcvt.d.lu", kMaskF7Rs2, 0xd2300053, &exec_from_int<D, fpu::from_lu<D>>, Format::kU, Flow::kNext},
    {"fmv.x.d", kMaskF7Rs2F3, 0xe2000053, &exec_mv_to_x<D>, Format::kR, Flow::kNext},
    {"fmv.d.x", kMaskF7Rs2F3, 0xf2000053, &exec_mv_from_x<D>, Format::kR, Flow::kNext},
};

}  // namespace

std::span<const InsnSpec> rv64d_table() { return kRv64d; }

}  // namespace vtime::riscv
