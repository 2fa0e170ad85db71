#include "vtime/clock/seqlock.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace vtime {
namespace {

struct Odd {  // not a multiple of 8 bytes: the last word is partly padding
  int32_t a = 0;
  int16_t b = 0;
  uint8_t c = 0;
};

struct Pair {
  int64_t x = 0;
  int64_t y = 0;
};

TEST(Seqlock, ReadsTheInitialValue) {
  Seqlock<Pair> lock(Pair{3, 4});
  EXPECT_EQ(lock.read().x, 3);
  EXPECT_EQ(lock.read().y, 4);
  EXPECT_EQ(lock.writes(), 0U);
}

TEST(Seqlock, ReadsTheLastWrittenValue) {
  Seqlock<Pair> lock;
  lock.write(Pair{1, 2});
  lock.write(Pair{5, 6});
  EXPECT_EQ(lock.read().x, 5);
  EXPECT_EQ(lock.read().y, 6);
  EXPECT_EQ(lock.writes(), 2U);
}

TEST(Seqlock, CopiesValuesThatAreNotWholeWords) {
  Seqlock<Odd> lock;
  lock.write(Odd{-7, 300, 200});
  const Odd v = lock.read();
  EXPECT_EQ(v.a, -7);
  EXPECT_EQ(v.b, 300);
  EXPECT_EQ(v.c, 200);
}

TEST(Seqlock, ASnapshotIsInvalidatedByALaterWrite) {
  Seqlock<Pair> lock;
  const uint64_t seq = lock.read_begin();
  EXPECT_TRUE(lock.read_valid(seq));
  lock.write(Pair{1, 1});
  EXPECT_FALSE(lock.read_valid(seq));
  EXPECT_TRUE(lock.read_valid(lock.read_begin()));
}

TEST(Seqlock, UpdateComputesTheValueWhileEarlierSnapshotsAreAlreadyInvalid) {
  Seqlock<Pair> lock(Pair{1, 1});
  const uint64_t seq = lock.read_begin();
  lock.update([&] {
    EXPECT_FALSE(lock.read_valid(seq));  // the count is odd while make() runs
    return Pair{2, 3};
  });
  EXPECT_EQ(lock.read().y, 3);
  EXPECT_EQ(lock.writes(), 1U);
}

}  // namespace
}  // namespace vtime
