#include "vtime/state/state_stream.h"

#include <gtest/gtest.h>

#include <vector>

namespace vtime {
namespace {

using namespace std::chrono_literals;

std::vector<uint8_t> sample() {
  StateWriter out;
  out.u8(0xab);
  out.u16(0xbeef);
  out.u32(0xdeadbeef);
  out.u64(0x0123456789abcdefULL);
  out.i64(-5);
  out.boolean(true);
  out.duration(-250ns);
  out.guest_time(GuestTime::never());
  out.blob(std::vector<uint8_t>{1, 2, 3});
  return out.take();
}

TEST(StateStream, ReadsBackExactlyWhatWasWritten) {
  const std::vector<uint8_t> bytes = sample();
  StateReader in(bytes, "the test section");
  EXPECT_EQ(in.u8(), 0xab);
  EXPECT_EQ(in.u16(), 0xbeef);
  EXPECT_EQ(in.u32(), 0xdeadbeefU);
  EXPECT_EQ(in.u64(), 0x0123456789abcdefULL);
  EXPECT_EQ(in.i64(), -5);
  EXPECT_TRUE(in.boolean());
  EXPECT_EQ(in.duration(), -250ns);
  EXPECT_TRUE(in.guest_time().is_never());
  EXPECT_EQ(in.blob(16), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_TRUE(in.finish().ok());
}

TEST(StateStream, IntegersAreLittleEndian) {
  StateWriter out;
  out.u32(0x11223344);
  EXPECT_EQ(out.bytes(), (std::vector<uint8_t>{0x44, 0x33, 0x22, 0x11}));
}

TEST(StateStream, ATruncatedStreamFailsOnceAndReadsZerosAfter) {
  std::vector<uint8_t> bytes = sample();
  bytes.resize(5);
  StateReader in(bytes, "the test section");
  EXPECT_EQ(in.u8(), 0xab);
  EXPECT_EQ(in.u16(), 0xbeef);
  EXPECT_EQ(in.u32(), 0u);  // only two bytes left
  EXPECT_FALSE(in.ok());
  EXPECT_EQ(in.u8(), 0);  // sticky: later reads give zeros, even with bytes left
  EXPECT_EQ(in.finish().error(), "the test section: it ends early (truncated).");
}

TEST(StateStream, LeftoverBytesAreAnError) {
  const std::vector<uint8_t> bytes = {1, 2, 3};
  StateReader in(bytes, "the test section");
  in.u8();
  EXPECT_EQ(in.finish().error(), "the test section: 2 bytes are left over.");
}

TEST(StateStream, AFlagOtherThanZeroOrOneIsRefused) {
  const std::vector<uint8_t> bytes = {2};
  StateReader in(bytes, "s");
  in.boolean();
  EXPECT_EQ(in.finish().error(), "s: a flag reads 2 instead of 0 or 1.");
}

TEST(StateStream, CountsAndBlobsCannotClaimMoreThanTheBytesLeftOrTheLimit) {
  StateWriter out;
  out.u64(1'000'000);  // a count, with nothing after it
  const std::vector<uint8_t> bytes = out.take();
  {
    StateReader in(bytes, "s");
    EXPECT_EQ(in.count(UINT64_MAX, 1), 0u);
    EXPECT_NE(in.finish().error().find("more than the bytes left can hold"), std::string::npos);
  }
  {
    StateReader in(bytes, "s");
    EXPECT_TRUE(in.blob(10).empty());
    EXPECT_NE(in.finish().error().find("more than allowed (10)"), std::string::npos);
  }
}

TEST(StateStream, ExpectEqualNamesTheValueThatDiffers) {
  const std::vector<uint8_t> bytes = {};
  StateReader in(bytes, "the CLINT section");
  in.expect_equal(2, 1, "the number of harts");
  EXPECT_EQ(in.finish().error(), "the CLINT section: the number of harts was 2 when saved but is 1 here.");
}

}  // namespace
}  // namespace vtime
