// Shared by the Icount tests: one machine's time plumbing on a manual host clock.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "vtime/icount/icount.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::testing {

inline IcountOptions opts(std::string_view text) {
  auto r = parse_icount_options(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  return *r;
}

// One machine's time plumbing: the real VmClocks and TimerGroup, driven by a
// manual host clock. Icount is declared last so it goes first.
struct Rig {
  explicit Rig(std::string_view options, Icount::Options extra = {})
      : icount(clocks, timers, with(options, std::move(extra))) {}
  Icount::Options with(std::string_view options, Icount::Options extra) {
    extra.icount = opts(options);
    extra.warn = [this](std::string_view m) { warnings.emplace_back(m); };
    return extra;
  }
  ManualHostClock host;
  VmClocks clocks{host};
  TimerGroup timers{clocks};
  std::vector<std::string> warnings;
  Icount icount;
  GuestTime start = clocks.virtual_now();
  GuestTime now() { return clocks.virtual_now(); }
};

}  // namespace vtime::testing
