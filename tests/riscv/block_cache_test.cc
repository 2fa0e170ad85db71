#include "vtime/riscv/block_cache.h"

#include <gtest/gtest.h>

namespace vtime::riscv {
namespace {

std::unique_ptr<Block> block_at(uint64_t pc) {
  auto b = std::make_unique<Block>();
  b->pc = pc;
  b->count = 1;
  b->ops = std::make_unique<Op[]>(1);
  return b;
}

TEST(BlockCache, FindsBlocksByPhysicalPc) {
  BlockCache cache;
  EXPECT_EQ(cache.find(0x80000000), nullptr);
  Block* a = cache.insert(block_at(0x80000000), 0x80000000, 0x80000010);
  // Same direct-mapped slot (pc differs by a multiple of the slot count * 2).
  Block* b = cache.insert(block_at(0x80002000), 0x80002000, 0x80002004);
  EXPECT_EQ(cache.find(0x80000000), a);
  EXPECT_EQ(cache.find(0x80002000), b);
  EXPECT_EQ(cache.find(0x80000000), a);
  EXPECT_EQ(cache.size(), 2u);
}

TEST(BlockCache, KnowsWhichBytesHoldCodeAtSixtyFourByteGranules) {
  BlockCache cache;
  cache.insert(block_at(0x80000040), 0x80000040, 0x80000048);
  EXPECT_TRUE(cache.is_code_page(0x80000));
  EXPECT_FALSE(cache.is_code_page(0x80001));
  EXPECT_TRUE(cache.overlaps_code(0x80000050, 4));
  EXPECT_TRUE(cache.overlaps_code(0x8000003e, 4));   // straddles into the granule
  EXPECT_FALSE(cache.overlaps_code(0x80000080, 8));  // same page, other granule
  EXPECT_FALSE(cache.overlaps_code(0x8000003c, 4));
}

TEST(BlockCache, ClearForgetsBlocksAndCode) {
  BlockCache cache;
  cache.insert(block_at(0x80000000), 0x80000000, 0x80000004);
  cache.clear();
  EXPECT_EQ(cache.find(0x80000000), nullptr);
  EXPECT_FALSE(cache.is_code_page(0x80000));
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace vtime::riscv
