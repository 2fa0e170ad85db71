// Zicsr, Zifencei and the privileged instructions: ECALL, EBREAK, MRET, SRET,
// WFI, SFENCE.VMA. All of them end their block.
#include "vtime/riscv/hart.h"
#include "vtime/riscv/isa.h"

namespace vtime::riscv {
namespace {

using CsrOp = Hart::CsrOp;

template <CsrOp Kind>
const Op* exec_csr_reg(Hart& h, const Op* op) { return h.csr_op(op, Kind, h.x(op->rs1)); }
template <CsrOp Kind>
const Op* exec_csr_imm(Hart& h, const Op* op) { return h.csr_op(op, Kind, op->rs1); }

const Op* exec_ecall(Hart& h, const Op* op) { return h.ecall(op); }
const Op* exec_ebreak(Hart& h, const Op* op) { return h.ebreak(op); }
const Op* exec_mret(Hart& h, const Op* op) { return h.mret(op); }
const Op* exec_sret(Hart& h, const Op* op) { return h.sret(op); }
const Op* exec_sfence_vma(Hart& h, const Op* op) { return h.sfence_vma(op); }
const Op* exec_wfi(Hart& h, const Op* op) { return h.wfi(op); }
const Op* exec_fence_i(Hart& h, const Op* op) { return h.fence_i(op); }

constexpr uint32_t kOpcodeF3 = 0x0000707f;
constexpr uint32_t kExact = 0xffffffff;

constexpr InsnSpec kSystem[] = {
    {"csrrw", kOpcodeF3, 0x00001073, &exec_csr_reg<CsrOp::kWrite>, Format::kCsr, Flow::kEndsBlock},
    {"csrrs", kOpcodeF3, 0x00002073, &exec_csr_reg<CsrOp::kSet>, Format::kCsr, Flow::kEndsBlock},
    {"csrrc", kOpcodeF3, 0x00003073, &exec_csr_reg<CsrOp::kClear>, Format::kCsr, Flow::kEndsBlock},
    {"csrrwi", kOpcodeF3, 0x00005073, &exec_csr_imm<CsrOp::kWrite>, Format::kCsr, Flow::kEndsBlock},
    {"csrrsi", kOpcodeF3, 0x00006073, &exec_csr_imm<CsrOp::kSet>, Format::kCsr, Flow::kEndsBlock},
    {"csrrci", kOpcodeF3, 0x00007073, &exec_csr_imm<CsrOp::kClear>, Format::kCsr, Flow::kEndsBlock},
    {"ecall", kExact, 0x00000073, &exec_ecall, Format::kR, Flow::kEndsBlock},
    {"ebreak", kExact, 0x00100073, &exec_ebreak, Format::kR, Flow::kEndsBlock},
    {"mret", kExact, 0x30200073, &exec_mret, Format::kR, Flow::kEndsBlock},
    {"sret", kExact, 0x10200073, &exec_sret, Format::kR, Flow::kEndsBlock},
    {"sfence.vma", 0xfe007fff, 0x12000073, &exec_sfence_vma, Format::kR, Flow::kEndsBlock},
    {"wfi", kExact, 0x10500073, &exec_wfi, Format::kR, Flow::kEndsBlock},
    {"fence.i", kOpcodeF3, 0x0000100f, &exec_fence_i, Format::kI, Flow::kEndsBlock},
};

}  // namespace

std::span<const InsnSpec> system_table() { return kSystem; }

const Op* exec_illegal(Hart& h, const Op* op) { return h.illegal(op); }

}  // namespace vtime::riscv
