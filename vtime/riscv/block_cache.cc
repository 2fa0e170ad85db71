#include "vtime/riscv/block_cache.h"

#include "vtime/riscv/hart_env.h"

namespace vtime::riscv {

namespace {
constexpr unsigned kGranuleBits = 6;  // 64 granules of 64 bytes per 4 KiB page
}  // namespace

BlockCache::BlockCache() { direct_.fill(nullptr); }

Block* BlockCache::find_slow(uint64_t pc) {
  auto it = blocks_.find(pc);
  if (it == blocks_.end()) return nullptr;
  direct_[slot_of(pc)] = it->second.get();
  return it->second.get();
}

Block* BlockCache::insert(std::unique_ptr<Block> block, uint64_t begin, uint64_t end) {
  Block* b = block.get();
  mark_code(begin, end);
  op_count_ += b->count;
  std::unique_ptr<Block>& slot = blocks_[b->pc];
  if (slot) op_count_ -= slot->count;
  slot = std::move(block);
  direct_[slot_of(b->pc)] = b;
  return b;
}

void BlockCache::clear() {
  direct_.fill(nullptr);
  blocks_.clear();
  code_.clear();
  op_count_ = 0;
}

void BlockCache::mark_code(uint64_t begin, uint64_t end) {
  for (uint64_t g = begin >> kGranuleBits; g <= (end - 1) >> kGranuleBits; ++g) {
    const uint64_t page = g >> (kPageBits - kGranuleBits);
    code_[page] |= uint64_t{1} << (g & ((1u << (kPageBits - kGranuleBits)) - 1));
  }
}

bool BlockCache::overlaps_code(uint64_t paddr, unsigned size) const {
  for (uint64_t g = paddr >> kGranuleBits; g <= (paddr + size - 1) >> kGranuleBits; ++g) {
    auto it = code_.find(g >> (kPageBits - kGranuleBits));
    if (it == code_.end()) continue;
    if (it->second & (uint64_t{1} << (g & ((1u << (kPageBits - kGranuleBits)) - 1)))) return true;
  }
  return false;
}

}  // namespace vtime::riscv
