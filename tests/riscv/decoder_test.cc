#include "vtime/riscv/decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vtime::riscv {
namespace {

template <class Row>
bool overlap(const Row& a, const Row& b) {
  return ((a.match ^ b.match) & a.mask & b.mask) == 0;
}

std::vector<const InsnSpec*> all_rows() {
  std::vector<const InsnSpec*> rows;
  for (auto table : kInsnTables) {
    for (const InsnSpec& r : table()) rows.push_back(&r);
  }
  return rows;
}

TEST(InsnTable, NoTwoEncodingsOverlap) {
  const auto rows = all_rows();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = i + 1; j < rows.size(); ++j) {
      EXPECT_FALSE(overlap(*rows[i], *rows[j])) << rows[i]->mnemonic << " vs " << rows[j]->mnemonic;
    }
  }
}

TEST(InsnTable, NoTwoCompressedEncodingsOverlap) {
  const auto rows = rvc_table();
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t j = i + 1; j < rows.size(); ++j) {
      EXPECT_FALSE(overlap(rows[i], rows[j])) << rows[i].mnemonic << " vs " << rows[j].mnemonic;
    }
  }
}

TEST(InsnTable, MatchBitsLieInsideTheMask) {
  for (const InsnSpec* r : all_rows()) EXPECT_EQ(r->match & ~r->mask, 0u) << r->mnemonic;
  for (const CompressedSpec& r : rvc_table()) EXPECT_EQ(r.match & ~r.mask, 0) << r.mnemonic;
  for (const CompressedSpec& r : rvc_table()) EXPECT_EQ(r.match & 3, r.match & 3 & 3) << r.mnemonic;
}

TEST(Decoder, FindsEveryRowFromItsOwnMatchWord) {
  const Decoder d;
  for (const InsnSpec* r : all_rows()) EXPECT_EQ(d.find(r->match), r) << r->mnemonic;
  for (const CompressedSpec& r : rvc_table()) EXPECT_EQ(d.find_compressed(r.match), &r) << r.mnemonic;
}

TEST(Decoder, NamesInstructionsByTheirRowMnemonic) {
  const Decoder d;
  EXPECT_EQ(std::string(d.mnemonic(0x00b50533, 4)), "add");      // add a0, a0, a1
  EXPECT_EQ(std::string(d.mnemonic(0x9532, 2)), "add");          // c.add a0, a2
  EXPECT_EQ(std::string(d.mnemonic(0x0000, 2)), "illegal");      // all-zero halfword
  EXPECT_EQ(std::string(d.mnemonic(0xffffffff, 4)), "illegal");
  EXPECT_EQ(std::string(d.mnemonic(0x10200073, 4)), "sret");
  EXPECT_EQ(std::string(d.mnemonic(0x12b50073, 4)), "sfence.vma");  // sfence.vma a0, a1
}

TEST(Decoder, UnpacksOperandsOnceWithX0WritesDiscarded) {
  const Decoder d;
  bool ends = false;
  // addi x0, a1, -5
  const Op op = d.decode(0xffb58013, 4, 0x80000000, ends);
  EXPECT_EQ(op.rd, kDiscard);
  EXPECT_EQ(op.rs1, 11);
  EXPECT_EQ(op.imm, -5);
  EXPECT_EQ(op.len, 4);
  EXPECT_FALSE(ends);
  // beq a1, a2, .+16 ends its block
  d.decode(0x00c58863, 4, 0x80000000, ends);
  EXPECT_TRUE(ends);
}

TEST(Decoder, ReservedCompressedEncodingsAreIllegal) {
  const Decoder d;
  bool ends = false;
  EXPECT_EQ(d.decode(0x0000, 2, 0, ends).fn, &exec_illegal);  // c.addi4spn with imm 0
  EXPECT_EQ(d.decode(0x2001, 2, 0, ends).fn, &exec_illegal);  // c.addiw x0
  EXPECT_EQ(d.decode(0x6101, 2, 0, ends).fn, &exec_illegal);  // c.addi16sp 0
  EXPECT_EQ(d.decode(0x8002, 2, 0, ends).fn, &exec_illegal);  // c.jr x0
  EXPECT_EQ(d.decode(0x4002, 2, 0, ends).fn, &exec_illegal);  // c.lwsp x0
}

}  // namespace
}  // namespace vtime::riscv
