#include "vtime/time/host_clock.h"

#include <gtest/gtest.h>

#include "vtime/time/manual_host_clock.h"

namespace vtime {
namespace {

TEST(HostClock, ListenersAreToldInRegistrationOrder) {
  ManualHostClock host;
  std::string order;
  host.add_wall_step_listener([&](Duration) { order += 'a'; });
  host.add_wall_step_listener([&](Duration) { order += 'b'; });
  host.step_wall(1s);
  EXPECT_EQ(order, "ab");
}

TEST(HostClock, AListenerMayRemoveItselfWhileBeingTold) {
  ManualHostClock host;
  int calls = 0;
  HostClock::ListenerId id = 0;
  id = host.add_wall_step_listener([&](Duration) {
    ++calls;
    host.remove_wall_step_listener(id);
  });
  host.step_wall(1s);
  host.step_wall(1s);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace vtime
