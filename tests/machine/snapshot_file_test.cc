#include "vtime/machine/snapshot_file.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vtime/state/crc32.h"

namespace vtime {
namespace {

std::vector<SnapshotSection> sample() {
  std::vector<uint8_t> big(100'000, 0);
  for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<uint8_t>(i);
  return {{"CONF", {1, 2, 3}, SectionEncoding::kRaw},
          {"MEMO", big, SectionEncoding::kZstd},
          {"NONE", {}, SectionEncoding::kRaw}};
}

constexpr uint64_t kLimit = 1 << 20;

TEST(SnapshotFile, SectionsRoundTripRawAndCompressed) {
  const std::vector<uint8_t> file = encode_snapshot(sample());
  EXPECT_LT(file.size(), 20'000u) << "the mostly-zero section is compressed";
  const Result<std::vector<SnapshotSection>> back = decode_snapshot(file, kLimit);
  ASSERT_TRUE(back.ok()) << back.error();
  ASSERT_EQ(back->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*back)[i].tag, sample()[i].tag);
    EXPECT_EQ((*back)[i].bytes, sample()[i].bytes);
    EXPECT_EQ((*back)[i].encoding, sample()[i].encoding);
  }
}

std::string error_of(const std::vector<uint8_t>& file, uint64_t limit = kLimit) {
  const Result<std::vector<SnapshotSection>> r = decode_snapshot(file, limit);
  return r.ok() ? "" : r.error();
}

TEST(SnapshotFile, EveryTruncationIsRefused) {
  const std::vector<uint8_t> file = encode_snapshot(sample());
  for (size_t len = 0; len < file.size(); len += (len < 200 ? 1 : 997)) {
    const std::string e = error_of({file.begin(), file.begin() + static_cast<std::ptrdiff_t>(len)});
    EXPECT_FALSE(e.empty()) << len;
  }
  EXPECT_EQ(error_of({file.begin(), file.begin() + 30}), "it is truncated in section 1 of 3.");
}

TEST(SnapshotFile, AnyFlippedByteFailsAChecksumOrTheHeader) {
  const std::vector<uint8_t> file = encode_snapshot(sample());
  for (size_t pos = 0; pos < file.size(); pos += (pos < 200 ? 1 : 331)) {
    std::vector<uint8_t> bad = file;
    bad[pos] ^= 0x01;
    EXPECT_FALSE(error_of(bad).empty()) << pos;
  }
  std::vector<uint8_t> bad = file;
  bad.back() ^= 0x01;
  EXPECT_EQ(error_of(bad), "section 3 (NONE) fails its checksum.");  // its CRC is the last byte
}

TEST(SnapshotFile, OtherFilesVersionsAndTrailingBytesAreNamed) {
  std::vector<uint8_t> file = encode_snapshot(sample());
  EXPECT_EQ(error_of({'E', 'L', 'F'}), "it is not a vtime snapshot (no VTSNAPSH header).");
  std::vector<uint8_t> v2 = file;
  v2[8] = 2;  // version 2, with its header checksum recomputed
  const uint32_t crc = crc32(std::span<const uint8_t>(v2).first(16));
  for (int i = 0; i < 4; ++i) v2[16 + i] = static_cast<uint8_t>(crc >> (8 * i));
  EXPECT_EQ(error_of(v2), "it has format version 2; this vtime reads version 1.");
  file.push_back(0);
  EXPECT_EQ(error_of(file), "it has 1 bytes after its last section.");
}

TEST(SnapshotFile, ASectionLargerThanTheMachineAllowsIsRefusedBeforeDecompressing) {
  const std::vector<uint8_t> file = encode_snapshot(sample());
  EXPECT_EQ(error_of(file, 1000), "section 2 (MEMO) claims 100000 bytes, more than this machine's 1000.");
}

}  // namespace
}  // namespace vtime
