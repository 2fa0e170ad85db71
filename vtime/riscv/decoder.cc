#include "vtime/riscv/decoder.h"

#include "vtime/riscv/insn.h"

namespace vtime::riscv {

Decoder::Decoder() {
  for (auto table : kInsnTables) {
    for (const InsnSpec& row : table()) {
      // A row goes into every bucket whose key bits agree with the row's match
      // wherever the row's mask covers them.
      const unsigned mkey = key(row.mask);
      const unsigned rkey = key(row.match);
      for (unsigned k = 0; k < buckets_.size(); ++k) {
        if (((k ^ rkey) & mkey) == 0) buckets_[k].push_back(&row);
      }
    }
  }
  for (const CompressedSpec& row : rvc_table()) {
    const unsigned mkey = ckey(row.mask);
    const unsigned rkey = ckey(row.match);
    for (unsigned k = 0; k < cbuckets_.size(); ++k) {
      if (((k ^ rkey) & mkey) == 0) cbuckets_[k].push_back(&row);
    }
  }
}

const InsnSpec* Decoder::find(uint32_t word) const {
  for (const InsnSpec* row : buckets_[key(word)]) {
    if ((word & row->mask) == row->match) return row;
  }
  return nullptr;
}

const CompressedSpec* Decoder::find_compressed(uint16_t half) const {
  for (const CompressedSpec* row : cbuckets_[ckey(half)]) {
    if ((half & row->mask) == row->match) return row;
  }
  return nullptr;
}

Op Decoder::decode(uint32_t raw, unsigned len, uint64_t pc, bool& ends_block) const {
  Op op{.fn = &exec_illegal, .imm = 0, .pc = pc, .rd = kDiscard, .rs1 = 0, .rs2 = 0,
        .len = static_cast<uint8_t>(len), .raw = raw};
  ends_block = true;  // an illegal instruction always traps
  uint32_t word = raw;
  if (len == 2) {
    const CompressedSpec* c = find_compressed(static_cast<uint16_t>(raw));
    word = c ? c->expand(static_cast<uint16_t>(raw)) : 0;
    if (word == 0) return op;
  }
  const InsnSpec* row = find(word);
  if (!row) return op;
  const Insn i(word);
  op.fn = row->exec;
  op.rd = static_cast<uint8_t>(i.rd() == 0 ? kDiscard : i.rd());
  op.rs1 = static_cast<uint8_t>(i.rs1());
  op.rs2 = static_cast<uint8_t>(i.rs2());
  switch (row->format) {
    case Format::kR: op.imm = 0; break;
    case Format::kI: op.imm = i.imm_i(); break;
    case Format::kS: op.imm = i.imm_s(); break;
    case Format::kB: op.imm = i.imm_b(); break;
    case Format::kU: op.imm = i.imm_u(); break;
    case Format::kJ: op.imm = i.imm_j(); break;
    case Format::kCsr: op.imm = i.csr(); break;
  }
  ends_block = row->flow == Flow::kEndsBlock;
  return op;
}

const char* Decoder::mnemonic(uint32_t raw, unsigned len) const {
  uint32_t word = raw;
  if (len == 2) {
    const CompressedSpec* c = find_compressed(static_cast<uint16_t>(raw));
    if (!c) return "illegal";
    word = c->expand(static_cast<uint16_t>(raw));
    if (word == 0) return "illegal";
  }
  const InsnSpec* row = find(word);
  return row ? row->mnemonic : "illegal";
}

}  // namespace vtime::riscv
