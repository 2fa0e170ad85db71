#include "vtime/devices/sifive_test.h"

#include <gtest/gtest.h>

#include <vector>

namespace vtime {
namespace {

using Kind = FinisherRequest::Kind;

struct Fixture {
  GuestLog log;
  std::vector<FinisherRequest> seen;
  SifiveTest dev{log, [this](FinisherRequest r) { seen.push_back(r); }};
};

TEST(SifiveTest, PassValueReportsSuccess) {
  Fixture f;
  f.dev.write(0, 4, 0x5555);
  ASSERT_EQ(f.seen.size(), 1u);
  EXPECT_EQ(f.seen[0], (FinisherRequest{.kind = Kind::kPass}));
  EXPECT_EQ(f.seen[0].exit_status(), 0);
}

TEST(SifiveTest, FailValueCarriesTheExitCodeInTheHighHalf) {
  Fixture f;
  f.dev.write(0, 4, (42u << 16) | 0x3333);
  ASSERT_EQ(f.seen.size(), 1u);
  EXPECT_EQ(f.seen[0].kind, Kind::kFail);
  EXPECT_EQ(f.seen[0].exit_status(), 42);
}

TEST(SifiveTest, ResetValueAsksForAReboot) {
  Fixture f;
  f.dev.write(0, 4, 0x7777);
  ASSERT_EQ(f.seen.size(), 1u);
  EXPECT_EQ(f.seen[0].kind, Kind::kReset);
}

TEST(SifiveTest, UnknownValueIsAGuestErrorAndDoesNothing) {
  Fixture f;
  f.dev.write(0, 4, 0x1234);
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(f.log.count(), 1u);
}

TEST(SifiveTest, WriteToAnotherOffsetIsAGuestError) {
  Fixture f;
  f.dev.write(8, 4, 0x5555);
  EXPECT_TRUE(f.seen.empty());
  EXPECT_EQ(f.log.count(), 1u);
}

TEST(SifiveTest, ReadsAsZero) {
  Fixture f;
  EXPECT_EQ(f.dev.read(0, 4), 0u);
  EXPECT_EQ(f.log.count(), 0u);
}

}  // namespace
}  // namespace vtime
