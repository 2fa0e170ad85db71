// RV64I base integer instructions (unprivileged spec ch. 2 and 4), plus FENCE.
// Branches and jumps end their block; loads and stores fall through unless they
// trap or reach a device.
#include "vtime/riscv/hart.h"
#include "vtime/riscv/isa.h"

namespace vtime::riscv {
namespace {

uint64_t sext32(uint64_t v) { return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))); }
int64_t s(uint64_t v) { return static_cast<int64_t>(v); }

const Op* exec_lui(Hart& h, const Op* op) { h.set_x(op->rd, static_cast<uint64_t>(op->imm)); return next_op(h, op); }
const Op* exec_auipc(Hart& h, const Op* op) { h.set_x(op->rd, op->pc + static_cast<uint64_t>(op->imm)); return next_op(h, op); }

// Jumps and branches continue through Hart::jump(), which chains straight into
// the successor block when it can. JALR's one link is checked against the
// computed target, so a return to another call site simply misses.
const Op* exec_jal(Hart& h, const Op* op) {
  h.set_x(op->rd, op->pc + op->len);
  return h.jump(op, op->pc + static_cast<uint64_t>(op->imm), 0);
}
const Op* exec_jalr(Hart& h, const Op* op) {
  const uint64_t target = (h.x(op->rs1) + static_cast<uint64_t>(op->imm)) & ~uint64_t{1};
  h.set_x(op->rd, op->pc + op->len);
  return h.jump(op, target, 0);
}

template <bool (*Cond)(uint64_t, uint64_t)>
const Op* exec_branch(Hart& h, const Op* op) {
  if (Cond(h.x(op->rs1), h.x(op->rs2))) return h.jump(op, op->pc + static_cast<uint64_t>(op->imm), 0);
  return h.jump(op, op->pc + op->len, 1);
}
bool eq(uint64_t a, uint64_t b) { return a == b; }
bool ne(uint64_t a, uint64_t b) { return a != b; }
bool lt(uint64_t a, uint64_t b) { return s(a) < s(b); }
bool ge(uint64_t a, uint64_t b) { return s(a) >= s(b); }
bool ltu(uint64_t a, uint64_t b) { return a < b; }
bool geu(uint64_t a, uint64_t b) { return a >= b; }

template <class T>
const Op* exec_load(Hart& h, const Op* op) {
  return h.load<T>(op, h.x(op->rs1) + static_cast<uint64_t>(op->imm));
}
template <class T>
const Op* exec_store(Hart& h, const Op* op) {
  return h.store<T>(op, h.x(op->rs1) + static_cast<uint64_t>(op->imm), static_cast<T>(h.x(op->rs2)));
}

// Register-immediate and register-register ALU ops share one shape: a plain
// function of two operands, wrapped once for each operand source.
using Alu = uint64_t (*)(uint64_t a, uint64_t b);
template <Alu F>
const Op* exec_alu_imm(Hart& h, const Op* op) {
  h.set_x(op->rd, F(h.x(op->rs1), static_cast<uint64_t>(op->imm)));
  return next_op(h, op);
}
template <Alu F>
const Op* exec_alu(Hart& h, const Op* op) {
  h.set_x(op->rd, F(h.x(op->rs1), h.x(op->rs2)));
  return next_op(h, op);
}

uint64_t add(uint64_t a, uint64_t b) { return a + b; }
uint64_t sub(uint64_t a, uint64_t b) { return a - b; }
uint64_t slt(uint64_t a, uint64_t b) { return s(a) < s(b) ? 1 : 0; }
uint64_t sltu(uint64_t a, uint64_t b) { return a < b ? 1 : 0; }
uint64_t xor_(uint64_t a, uint64_t b) { return a ^ b; }
uint64_t or_(uint64_t a, uint64_t b) { return a | b; }
uint64_t and_(uint64_t a, uint64_t b) { return a & b; }
uint64_t sll(uint64_t a, uint64_t b) { return a << (b & 63); }
uint64_t srl(uint64_t a, uint64_t b) { return a >> (b & 63); }
uint64_t sra(uint64_t a, uint64_t b) { return static_cast<uint64_t>(s(a) >> (b & 63)); }
// W forms operate on the low 32 bits and sign-extend the 32-bit result.
uint64_t addw(uint64_t a, uint64_t b) { return sext32(a + b); }
uint64_t subw(uint64_t a, uint64_t b) { return sext32(a - b); }
uint64_t sllw(uint64_t a, uint64_t b) { return sext32(a << (b & 31)); }
uint64_t srlw(uint64_t a, uint64_t b) { return sext32(static_cast<uint32_t>(a) >> (b & 31)); }
uint64_t sraw(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(a) >> (b & 31)));
}

// FENCE orders memory between harts and devices; this interpreter performs every
// access in program order at once, so there is nothing to do.
const Op* exec_fence(Hart& h, const Op* op) { return next_op(h, op); }

constexpr uint32_t kOpcodeF3 = 0x0000707f;  // opcode + funct3
constexpr uint32_t kOpcodeOnly = 0x0000007f;
constexpr uint32_t kRType = 0xfe00707f;     // + funct7
constexpr uint32_t kShift64 = 0xfc00707f;   // + funct6 (6-bit shamt)

constexpr InsnSpec kRv64i[] = {
    {"lui", kOpcodeOnly, 0x00000037, &exec_lui, Format::kU, Flow::kNext},
    {"auipc", kOpcodeOnly, 0x00000017, &exec_auipc, Format::kU, Flow::kNext},
    {"jal", kOpcodeOnly, 0x0000006f, &exec_jal, Format::kJ, Flow::kEndsBlock},
    {"jalr", kOpcodeF3, 0x00000067, &exec_jalr, Format::kI, Flow::kEndsBlock},
    {"beq", kOpcodeF3, 0x00000063, &exec_branch<eq>, Format::kB, Flow::kEndsBlock},
    {"bne", kOpcodeF3, 0x00001063, &exec_branch<ne>, Format::kB, Flow::kEndsBlock},
    {"blt", kOpcodeF3, 0x00004063, &exec_branch<lt>, Format::kB, Flow::kEndsBlock},
    {"bge", kOpcodeF3, 0x00005063, &exec_branch<ge>, Format::kB, Flow::kEndsBlock},
    {"bltu", kOpcodeF3, 0x00006063, &exec_branch<ltu>, Format::kB, Flow::kEndsBlock},
    {"bgeu", kOpcodeF3, 0x00007063, &exec_branch<geu>, Format::kB, Flow::kEndsBlock},
    {"lb", kOpcodeF3, 0x00000003, &exec_load<int8_t>, Format::kI, Flow::kNext},
    {"lh", kOpcodeF3, 0x00001003, &exec_load<int16_t>, Format::kI, Flow::kNext},
    {"lw", kOpcodeF3, 0x00002003, &exec_load<int32_t>, Format::kI, Flow::kNext},
    {"ld", kOpcodeF3, 0x00003003, &exec_load<int64_t>, Format::kI, Flow::kNext},
    {"lbu", kOpcodeF3, 0x00004003, &exec_load<uint8_t>, Format::kI, Flow::kNext},
    {"lhu", kOpcodeF3, 0x00005003, &exec_load<uint16_t>, Format::kI, Flow::kNext},
    {"lwu", kOpcodeF3, 0x00006003, &exec_load<uint32_t>, Format::kI, Flow::kNext},
    {"sb", kOpcodeF3, 0x00000023, &exec_store<uint8_t>, Format::kS, Flow::kNext},
    {"sh", kOpcodeF3, 0x00001023, &exec_store<uint16_t>, Format::kS, Flow::kNext},
    {"sw", kOpcodeF3, 0x00002023, &exec_store<uint32_t>, Format::kS, Flow::kNext},
    {"sd", kOpcodeF3, 0x00003023, &exec_store<uint64_t>, Format::kS, Flow::kNext},
    {"addi", kOpcodeF3, 0x00000013, &exec_alu_imm<add>, Format::kI, Flow::kNext},
    {"slti", kOpcodeF3, 0x00002013, &exec_alu_imm<slt>, Format::kI, Flow::kNext},
    {"sltiu", kOpcodeF3, 0x00003013, &exec_alu_imm<sltu>, Format::kI, Flow::kNext},
    {"xori", kOpcodeF3, 0x00004013, &exec_alu_imm<xor_>, Format::kI, Flow::kNext},
    {"ori", kOpcodeF3, 0x00006013, &exec_alu_imm<or_>, Format::kI, Flow::kNext},
    {"andi", kOpcodeF3, 0x00007013, &exec_alu_imm<and_>, Format::kI, Flow::kNext},
    {"slli", kShift64, 0x00001013, &exec_alu_imm<sll>, Format::kI, Flow::kNext},
    {"srli", kShift64, 0x00005013, &exec_alu_imm<srl>, Format::kI, Flow::kNext},
    {"srai", kShift64, 0x40005013, &exec_alu_imm<sra>, Format::kI, Flow::kNext},
    {"add", kRType, 0x00000033, &exec_alu<add>, Format::kR, Flow::kNext},
    {"sub", kRType, 0x40000033, &exec_alu<sub>, Format::kR, Flow::kNext},
    {"sll", kRType, 0x00001033, &exec_alu<sll>, Format::kR, Flow::kNext},
    {"slt", kRType, 0x00002033, &exec_alu<slt>, Format::kR, Flow::kNext},
    {"sltu", kRType, 0x00003033, &exec_alu<sltu>, Format::kR, Flow::kNext},
    {"xor", kRType, 0x00004033, &exec_alu<xor_>, Format::kR, Flow::kNext},
    {"srl", kRType, 0x00005033, &exec_alu<srl>, Format::kR, Flow::kNext},
    {"sra", kRType, 0x40005033, &exec_alu<sra>, Format::kR, Flow::kNext},
    {"or", kRType, 0x00006033, &exec_alu<or_>, Format::kR, Flow::kNext},
    {"and", kRType, 0x00007033, &exec_alu<and_>, Format::kR, Flow::kNext},
    {"fence", kOpcodeF3, 0x0000000f, &exec_fence, Format::kI, Flow::kNext},
    {"addiw", kOpcodeF3, 0x0000001b, &exec_alu_imm<addw>, Format::kI, Flow::kNext},
    {"slliw", kRType, 0x0000101b, &exec_alu_imm<sllw>, Format::kI, Flow::kNext},
    {"srliw", kRType, 0x0000501b, &exec_alu_imm<srlw>, Format::kI, Flow::kNext},
    {"sraiw", kRType, 0x4000501b, &exec_alu_imm<sraw>, Format::kI, Flow::kNext},
    {"addw", kRType, 0x0000003b, &exec_alu<addw>, Format::kR, Flow::kNext},
    {"subw", kRType, 0x4000003b, &exec_alu<subw>, Format::kR, Flow::kNext},
    {"sllw", kRType, 0x0000103b, &exec_alu<sllw>, Format::kR, Flow::kNext},
    {"srlw", kRType, 0x0000503b, &exec_alu<srlw>, Format::kR, Flow::kNext},
    {"sraw", kRType, 0x4000503b, &exec_alu<sraw>, Format::kR, Flow::kNext},
};

}  // namespace

std::span<const InsnSpec> rv64i_table() { return kRv64i; }

}  // namespace vtime::riscv
