#include "vtime/clock/clock_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/clock/test_printers.h"
#include "vtime/state/crc32.h"

namespace vtime {
namespace {

using ::testing::HasSubstr;

constexpr size_t kBlobBytes = 56;
constexpr size_t kCrcAt = 52;

ClockState sample() {
  ClockState s;
  s.virtual_time = GuestTime::from_epoch(123'456'789ns);
  s.virtual_rt = GuestTime::from_epoch(987'654'321ns);
  s.tsc_frequency = Frequency::mhz(10);
  s.tsc = 1'234'567;  // 123.456789 ms at 10 MHz, rounded down
  s.run_state = RunState::kRunning;
  s.enabled = {true, false, true, false};
  return s;
}

// Patches a blob and fixes its CRC, so the check under test is the one that fires.
std::vector<uint8_t> patched(std::vector<uint8_t> blob, size_t at, uint8_t value) {
  blob[at] = value;
  const uint32_t crc = crc32(std::span<const uint8_t>(blob).first(kCrcAt));
  for (int i = 0; i < 4; ++i) blob[kCrcAt + i] = static_cast<uint8_t>(crc >> (8 * i));
  return blob;
}

std::string decode_error(const std::vector<uint8_t>& blob) {
  const Result<ClockState> r = decode_clock_state(blob);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error();
}

TEST(ClockState, RoundTripsThroughTheBlob) {
  const Result<ClockState> back = decode_clock_state(encode(sample()));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(*back, sample());
}

TEST(ClockState, BlobHasTheDocumentedLayout) {
  const std::vector<uint8_t> blob = encode(sample());
  ASSERT_EQ(blob.size(), kBlobBytes);
  EXPECT_EQ(std::vector<uint8_t>(blob.begin(), blob.begin() + 12),
            (std::vector<uint8_t>{'V', 'T', 'C', 'K', 1, 0, 0, 0, 40, 0, 0, 0}));
  // VIRTUAL 123456789 = 0x075BCD15, little-endian.
  EXPECT_EQ(std::vector<uint8_t>(blob.begin() + 12, blob.begin() + 20),
            (std::vector<uint8_t>{0x15, 0xCD, 0x5B, 0x07, 0, 0, 0, 0}));
  EXPECT_EQ(blob[44], 1);       // running
  EXPECT_EQ(blob[45], 0b0101);  // REALTIME and HOST enabled
}

TEST(ClockState, DefaultStateIsConsistent) { EXPECT_EQ(check_consistent(ClockState{}), ""); }

TEST(ClockState, RejectsEmptyAndShortBlobsAsTruncated) {
  EXPECT_THAT(decode_error({}), HasSubstr("truncated"));
  EXPECT_THAT(decode_error({'V', 'T'}), HasSubstr("truncated"));
  const std::vector<uint8_t> blob = encode(sample());
  EXPECT_THAT(decode_error({blob.begin(), blob.begin() + 11}), HasSubstr("truncated"));
  EXPECT_THAT(decode_error({blob.begin(), blob.end() - 1}), HasSubstr("truncated: 55 of 56 bytes"));
}

TEST(ClockState, RejectsAWrongMagic) {
  std::vector<uint8_t> blob = encode(sample());
  blob[0] = 'X';
  EXPECT_THAT(decode_error(blob), HasSubstr("not a vtime clock state"));
}

TEST(ClockState, RejectsAnUnknownVersion) {
  EXPECT_THAT(decode_error(patched(encode(sample()), 4, 2)), HasSubstr("version 2 is unknown"));
}

TEST(ClockState, RejectsAPayloadLengthThatDoesNotFitTheVersion) {
  EXPECT_THAT(decode_error(patched(encode(sample()), 8, 39)), HasSubstr("payload length 39"));
}

TEST(ClockState, RejectsTrailingGarbage) {
  std::vector<uint8_t> blob = encode(sample());
  blob.push_back(0);
  EXPECT_THAT(decode_error(blob), HasSubstr("1 bytes of trailing garbage"));
}

TEST(ClockState, RejectsACorruptedByte) {
  for (size_t at = 12; at < kBlobBytes; ++at) {
    std::vector<uint8_t> blob = encode(sample());
    blob[at] ^= 0x01;
    EXPECT_THAT(decode_error(blob), HasSubstr("CRC-32 does not match")) << "byte " << at;
  }
}

TEST(ClockState, RejectsATscThatDisagreesWithVirtual) {
  ClockState s = sample();
  s.tsc += 1;
  EXPECT_THAT(decode_error(encode(s)), HasSubstr("inconsistent: the saved guest TSC (1234568)"));
}

TEST(ClockState, RejectsAZeroTscFrequency) {
  ClockState s = sample();
  s.tsc_frequency = Frequency::hz(0);
  EXPECT_THAT(decode_error(encode(s)), HasSubstr("frequency is zero"));
}

TEST(ClockState, RejectsNegativeOrNeverTimes) {
  ClockState s = sample();
  s.virtual_rt = GuestTime::from_epoch(-1ns);
  EXPECT_THAT(decode_error(encode(s)), HasSubstr("VIRTUAL_RT time is negative"));
  s = sample();
  s.virtual_time = GuestTime::never();
  EXPECT_THAT(decode_error(encode(s)), HasSubstr("VIRTUAL time is negative or never"));
}

TEST(ClockState, RejectsAnUnknownRunState) {
  EXPECT_THAT(decode_error(patched(encode(sample()), 44, 7)), HasSubstr("unknown run state 7"));
}

TEST(ClockState, RejectsEnableBitsForClocksThatDoNotExist) {
  EXPECT_THAT(decode_error(patched(encode(sample()), 45, 0x10)), HasSubstr("do not exist"));
}

TEST(ClockState, RejectsNonZeroReservedBytes) {
  EXPECT_THAT(decode_error(patched(encode(sample()), 50, 1)), HasSubstr("reserved"));
}

TEST(ClockState, EveryErrorIsOneSentence) {
  const std::vector<std::vector<uint8_t>> bad = {
      {}, patched(encode(sample()), 4, 9), patched(encode(sample()), 44, 3)};
  for (const auto& blob : bad) {
    const std::string e = decode_error(blob);
    EXPECT_EQ(e.back(), '.') << e;
    EXPECT_EQ(e.find(". "), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace vtime
