// C extension, integer forms for RV64 (unprivileged spec ch. 16): each row
// expands a 16-bit instruction to the 32-bit instruction it stands for, which
// then runs through the 32-bit tables with length 2. Reserved encodings expand
// to 0 (illegal); HINTs expand to their harmless 32-bit meaning. Encodings that
// share a row (c.lui/c.addi16sp, c.jr/c.mv, c.ebreak/c.jalr/c.add) differ only
// in register fields that a mask cannot express. The D extension's forms
// c.fld/c.fsd/c.fldsp/c.fsdsp are here too (RV64 has no c.flw/c.fsw).
#include "vtime/riscv/isa.h"

namespace vtime::riscv {
namespace {

uint32_t bits(uint16_t c, unsigned hi, unsigned lo) { return (c >> lo) & ((1u << (hi - lo + 1)) - 1); }
uint32_t bit(uint16_t c, unsigned n) { return (c >> n) & 1; }
uint32_t rd_full(uint16_t c) { return bits(c, 11, 7); }
uint32_t rs2_full(uint16_t c) { return bits(c, 6, 2); }
uint32_t rd_prime(uint16_t c) { return 8 + bits(c, 4, 2); }   // also rs2'
uint32_t rs1_prime(uint16_t c) { return 8 + bits(c, 9, 7); }  // also rd'
// The 6-bit immediate imm[5] = bit 12, imm[4:0] = bits 6:2, sign-extended.
int32_t imm6(uint16_t c) {
  const uint32_t v = (bit(c, 12) << 5) | bits(c, 6, 2);
  return static_cast<int32_t>(v << 26) >> 26;
}
uint32_t shamt6(uint16_t c) { return (bit(c, 12) << 5) | bits(c, 6, 2); }

// 32-bit encoders.
uint32_t i_type(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc) {
  return (static_cast<uint32_t>(imm) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
uint32_t s_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t opc) {
  const auto u = static_cast<uint32_t>(imm);
  return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) | opc;
}
uint32_t r_type(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t opc) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}
uint32_t b_type(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3) {
  const auto u = static_cast<uint32_t>(imm);
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
         (f3 << 12) | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
uint32_t j_type(int32_t imm, uint32_t rd) {
  const auto u = static_cast<uint32_t>(imm);
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) |
         (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}
constexpr uint32_t kOpImm = 0x13, kOpImm32 = 0x1b, kOp = 0x33, kOp32 = 0x3b;
constexpr uint32_t kLoad = 0x03, kStore = 0x23, kLui = 0x37, kJalr = 0x67;
constexpr uint32_t kLoadFp = 0x07, kStoreFp = 0x27;
constexpr uint32_t kSp = 2;

// Quadrant 0.
uint32_t c_addi4spn(uint16_t c) {
  const uint32_t imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
  return imm == 0 ? 0 : i_type(static_cast<int32_t>(imm), kSp, 0, rd_prime(c), kOpImm);
}
uint32_t lw_offset(uint16_t c) { return (bits(c, 12, 10) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6); }
uint32_t ld_offset(uint16_t c) { return (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6); }
uint32_t c_lw(uint16_t c) { return i_type(static_cast<int32_t>(lw_offset(c)), rs1_prime(c), 2, rd_prime(c), kLoad); }
uint32_t c_ld(uint16_t c) { return i_type(static_cast<int32_t>(ld_offset(c)), rs1_prime(c), 3, rd_prime(c), kLoad); }
uint32_t c_sw(uint16_t c) { return s_type(static_cast<int32_t>(lw_offset(c)), rd_prime(c), rs1_prime(c), 2, kStore); }
uint32_t c_sd(uint16_t c) { return s_type(static_cast<int32_t>(ld_offset(c)), rd_prime(c), rs1_prime(c), 3, kStore); }
uint32_t c_fld(uint16_t c) { return i_type(static_cast<int32_t>(ld_offset(c)), rs1_prime(c), 3, rd_prime(c), kLoadFp); }
uint32_t c_fsd(uint16_t c) { return s_type(static_cast<int32_t>(ld_offset(c)), rd_prime(c), rs1_prime(c), 3, kStoreFp); }

// Quadrant 1.
uint32_t c_addi(uint16_t c) { return i_type(imm6(c), rd_full(c), 0, rd_full(c), kOpImm); }
uint32_t c_addiw(uint16_t c) {
  return rd_full(c) == 0 ? 0 : i_type(imm6(c), rd_full(c), 0, rd_full(c), kOpImm32);
}
uint32_t c_li(uint16_t c) { return i_type(imm6(c), 0, 0, rd_full(c), kOpImm); }
uint32_t c_lui_addi16sp(uint16_t c) {
  if (rd_full(c) == kSp) {
    const uint32_t v = (bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6) | (bits(c, 4, 3) << 7) |
                       (bit(c, 2) << 5);
    const int32_t imm = static_cast<int32_t>(v << 22) >> 22;
    return imm == 0 ? 0 : i_type(imm, kSp, 0, kSp, kOpImm);
  }
  const int32_t imm = imm6(c);
  if (imm == 0) return 0;
  return (static_cast<uint32_t>(imm) << 12) | (rd_full(c) << 7) | kLui;
}
uint32_t c_srli(uint16_t c) { return i_type(static_cast<int32_t>(shamt6(c)), rs1_prime(c), 5, rs1_prime(c), kOpImm); }
uint32_t c_srai(uint16_t c) {
  return i_type(static_cast<int32_t>(shamt6(c) | 0x400), rs1_prime(c), 5, rs1_prime(c), kOpImm);
}
uint32_t c_andi(uint16_t c) { return i_type(imm6(c), rs1_prime(c), 7, rs1_prime(c), kOpImm); }
template <uint32_t F7, uint32_t F3, uint32_t Opc>
uint32_t c_alu(uint16_t c) { return r_type(F7, rd_prime(c), rs1_prime(c), F3, rs1_prime(c), Opc); }
uint32_t c_j(uint16_t c) {
  const uint32_t v = (bit(c, 12) << 11) | (bit(c, 11) << 4) | (bits(c, 10, 9) << 8) | (bit(c, 8) << 10) |
                     (bit(c, 7) << 6) | (bit(c, 6) << 7) | (bits(c, 5, 3) << 1) | (bit(c, 2) << 5);
  return j_type(static_cast<int32_t>(v << 20) >> 20, 0);
}
int32_t branch_offset(uint16_t c) {
  const uint32_t v = (bit(c, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) | (bits(c, 4, 3) << 1) |
                     (bit(c, 2) << 5);
  return static_cast<int32_t>(v << 23) >> 23;
}
uint32_t c_beqz(uint16_t c) { return b_type(branch_offset(c), 0, rs1_prime(c), 0); }
uint32_t c_bnez(uint16_t c) { return b_type(branch_offset(c), 0, rs1_prime(c), 1); }

// Quadrant 2.
uint32_t c_slli(uint16_t c) { return i_type(static_cast<int32_t>(shamt6(c)), rd_full(c), 1, rd_full(c), kOpImm); }
uint32_t c_lwsp(uint16_t c) {
  const uint32_t off = (bit(c, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6);
  return rd_full(c) == 0 ? 0 : i_type(static_cast<int32_t>(off), kSp, 2, rd_full(c), kLoad);
}
uint32_t c_ldsp(uint16_t c) {
  const uint32_t off = (bit(c, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
  return rd_full(c) == 0 ? 0 : i_type(static_cast<int32_t>(off), kSp, 3, rd_full(c), kLoad);
}
// Unlike c.ldsp, c.fldsp may load f0.
uint32_t c_fldsp(uint16_t c) {
  const uint32_t off = (bit(c, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6);
  return i_type(static_cast<int32_t>(off), kSp, 3, rd_full(c), kLoadFp);
}
uint32_t c_jr_mv(uint16_t c) {
  if (rs2_full(c) != 0) return r_type(0, rs2_full(c), 0, 0, rd_full(c), kOp);  // c.mv
  return rd_full(c) == 0 ? 0 : i_type(0, rd_full(c), 0, 0, kJalr);             // c.jr
}
uint32_t c_ebreak_jalr_add(uint16_t c) {
  if (rs2_full(c) != 0) return r_type(0, rs2_full(c), rd_full(c), 0, rd_full(c), kOp);  // c.add
  if (rd_full(c) == 0) return 0x00100073;                                               // c.ebreak
  return i_type(0, rd_full(c), 0, 1, kJalr);                                            // c.jalr
}
uint32_t c_swsp(uint16_t c) {
  const uint32_t off = (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6);
  return s_type(static_cast<int32_t>(off), rs2_full(c), kSp, 2, kStore);
}
uint32_t c_sdsp(uint16_t c) {
  const uint32_t off = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
  return s_type(static_cast<int32_t>(off), rs2_full(c), kSp, 3, kStore);
}
uint32_t c_fsdsp(uint16_t c) {
  const uint32_t off = (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6);
  return s_type(static_cast<int32_t>(off), rs2_full(c), kSp, 3, kStoreFp);
}

constexpr uint16_t kF3 = 0xe003;     // funct3 + quadrant
constexpr uint16_t kF4 = 0xf003;     // funct4 + quadrant
constexpr uint16_t kArith = 0xfc63;  // c.sub ... c.addw
constexpr uint16_t kShift = 0xec03;  // c.srli / c.srai / c.andi

constexpr CompressedSpec kRvc[] = {
    {"c.addi4spn", kF3, 0x0000, &c_addi4spn},
    {"c.fld", kF3, 0x2000, &c_fld},
    {"c.lw", kF3, 0x4000, &c_lw},
    {"c.ld", kF3, 0x6000, &c_ld},
    {"c.fsd", kF3, 0xa000, &c_fsd},
    {"c.sw", kF3, 0xc000, &c_sw},
    {"c.sd", kF3, 0xe000, &c_sd},
    {"c.addi", kF3, 0x0001, &c_addi},
    {"c.addiw", kF3, 0x2001, &c_addiw},
    {"c.li", kF3, 0x4001, &c_li},
    {"c.lui/c.addi16sp", kF3, 0x6001, &c_lui_addi16sp},
    {"c.srli", kShift, 0x8001, &c_srli},
    {"c.srai", kShift, 0x8401, &c_srai},
    {"c.andi", kShift, 0x8801, &c_andi},
    {"c.sub", kArith, 0x8c01, &c_alu<0x20, 0, kOp>},
    {"c.xor", kArith, 0x8c21, &c_alu<0, 4, kOp>},
    {"c.or", kArith, 0x8c41, &c_alu<0, 6, kOp>},
    {"c.and", kArith, 0x8c61, &c_alu<0, 7, kOp>},
    {"c.subw", kArith, 0x9c01, &c_alu<0x20, 0, kOp32>},
    {"c.addw", kArith, 0x9c21, &c_alu<0, 0, kOp32>},
    {"c.j", kF3, 0xa001, &c_j},
    {"c.beqz", kF3, 0xc001, &c_beqz},
    {"c.bnez", kF3, 0xe001, &c_bnez},
    {"c.slli", kF3, 0x0002, &c_slli},
    {"c.fldsp", kF3, 0x2002, &c_fldsp},
    {"c.lwsp", kF3, 0x4002, &c_lwsp},
    {"c.ldsp", kF3, 0x6002, &c_ldsp},
    {"c.jr/c.mv", kF4, 0x8002, &c_jr_mv},
    {"c.ebreak/c.jalr/c.add", kF4, 0x9002, &c_ebreak_jalr_add},
    {"c.fsdsp", kF3, 0xa002, &c_fsdsp},
    {"c.swsp", kF3, 0xc002, &c_swsp},
    {"c.sdsp", kF3, 0xe002, &c_sdsp},
};

}  // namespace

std::span<const CompressedSpec> rvc_table() { return kRvc; }

}  // namespace vtime::riscv
