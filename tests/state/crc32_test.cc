#include "vtime/state/crc32.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>
#include <vector>

namespace vtime {
namespace {

std::vector<uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

TEST(Crc32, MatchesTheStandardCheckValue) {
  // The CRC-32/ISO-HDLC catalogue check value (same as zlib's crc32).
  EXPECT_EQ(crc32(bytes_of("123456789")), 0xCBF43926U);
}

TEST(Crc32, OfNothingIsZero) { EXPECT_EQ(crc32({}), 0U); }

TEST(Crc32, MatchesKnownValuesForShortInputs) {
  EXPECT_EQ(crc32(bytes_of("a")), 0xE8B7BE43U);
  EXPECT_EQ(crc32(bytes_of("The quick brown fox jumps over the lazy dog")), 0x414FA339U);
}

TEST(Crc32, CanBeComputedInPieces) {
  const std::vector<uint8_t> all = bytes_of("123456789");
  const std::span<const uint8_t> span(all);
  EXPECT_EQ(crc32(span.subspan(4), crc32(span.first(4))), crc32(span));
}

TEST(Crc32, ChangesWhenOneBitFlips) {
  std::vector<uint8_t> data = bytes_of("snapshot");
  const uint32_t before = crc32(data);
  data[3] ^= 0x10;
  EXPECT_NE(crc32(data), before);
}

}  // namespace
}  // namespace vtime
