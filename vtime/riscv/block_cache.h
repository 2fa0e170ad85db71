// BlockCache: basic blocks decoded once and kept by virtual PC (with the
// physical address they came from, see below), plus a record
// of which bytes of guest memory hold cached code (64-byte granules per page),
// so that a store into code can invalidate it. Lookup is one direct-mapped
// probe, then a hash map. Invalidation is all-at-once: rare (FENCE.I,
// self-modifying code, DMA), and it keeps the cache trivially consistent.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "vtime/riscv/op.h"

namespace vtime::riscv {

// Blocks are keyed by virtual pc (their Ops hold virtual pcs) and remember the
// physical address they were fetched from, so a lookup under a different
// mapping of that pc misses and rebuilds.
//
// Chaining: a block remembers the blocks it was last seen to continue into
// (link[0]: a jump's or taken branch's target, link[1]: the fall-through), so
// its last Op can enter the next block without going back to the dispatcher.
// Links are valid only while `link_gen` equals the hart's link generation,
// which moves whenever a block may have been freed or a translation changed;
// a stale link is never followed, so it never needs to be cleared eagerly.
struct Block {
  uint64_t pc = 0;       // virtual address of the first instruction (the key)
  uint64_t paddr = 0;    // physical address of the first instruction
  uint32_t count = 0;    // instructions, charged to the budget at once
  std::unique_ptr<Op[]> ops;  // count Ops, plus a fall-through Op when the last one does not end the block
  Block* link[2] = {nullptr, nullptr};
  uint64_t link_gen = 0;
  // PMP: the dispatcher checks a block's first instruction only, which covers
  // the whole block unless its first instruction straddles two PMP regions or
  // two pages. Such a block was checked when built at privilege `checked_for`
  // (a Priv value) and is rebuilt at another; kAnyPriv for all other blocks.
  static constexpr uint8_t kAnyPriv = 0xff;
  uint8_t checked_for = kAnyPriv;
};

class BlockCache {
 public:
  BlockCache();

  Block* find(uint64_t pc) {
    Block*& slot = direct_[slot_of(pc)];
    if (slot && slot->pc == pc) return slot;
    return find_slow(pc);
  }
  // Takes ownership (replacing a block with the same pc); the block covers
  // physical guest bytes [begin, end).
  Block* insert(std::unique_ptr<Block> block, uint64_t begin, uint64_t end);
  void clear();
  // Marks physical bytes [begin, end) as code (the second page of an
  // instruction that crosses a page boundary).
  void mark_code(uint64_t begin, uint64_t end);

  bool is_code_page(uint64_t page) const { return code_.count(page) != 0; }
  // Whether [paddr, paddr + size) touches bytes some cached block was built from.
  bool overlaps_code(uint64_t paddr, unsigned size) const;
  size_t size() const { return blocks_.size(); }
  // Ops held by all blocks, to bound the memory a guest can make the cache use.
  size_t op_count() const { return op_count_; }

 private:
  static constexpr size_t kDirectSlots = 4096;
  static size_t slot_of(uint64_t pc) { return (pc >> 1) & (kDirectSlots - 1); }
  Block* find_slow(uint64_t pc);

  std::array<Block*, kDirectSlots> direct_{};
  std::unordered_map<uint64_t, std::unique_ptr<Block>> blocks_;
  std::unordered_map<uint64_t, uint64_t> code_;  // page number -> granule bit mask
  size_t op_count_ = 0;
};

}  // namespace vtime::riscv
