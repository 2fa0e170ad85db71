#include "vtime/devices/guest_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vtime {
namespace {

class CollectingSink final : public GuestErrorSink {
 public:
  void guest_error(std::string_view message) override { lines.emplace_back(message); }
  std::vector<std::string> lines;
};

TEST(GuestLog, CountsAndKeepsTheMostRecentMessages) {
  GuestLog log;
  for (int i = 0; i < 70; ++i) log.guest_error("uart: bad write {}", i);
  EXPECT_EQ(log.count(), 70u);
  ASSERT_EQ(log.recent().size(), 64u);
  EXPECT_EQ(log.recent().front(), "uart: bad write 6");
  EXPECT_EQ(log.recent().back(), "uart: bad write 69");
}

TEST(GuestLog, RoutesEveryMessageToTheSinkWhileOneIsSet) {
  GuestLog log;
  CollectingSink sink;
  log.guest_error("before {:#x}", 0x10);
  log.set_sink(&sink);
  log.guest_error("clint: read from reserved MTIMER offset {:#x}", 0x7ff8);
  log.set_sink(nullptr);
  log.guest_error("after");
  EXPECT_EQ(sink.lines, std::vector<std::string>{"clint: read from reserved MTIMER offset 0x7ff8"});
  EXPECT_EQ(log.count(), 3u);
}

}  // namespace
}  // namespace vtime
