// RtcOptions: QEMU's `-rtc base=utc|localtime|DATE,clock=host|rt|vm` for the
// board's goldfish RTC. `base` is the RTC's value at guest time zero: the host's
// wall clock (utc), that plus the host's offset from UTC (localtime), or a fixed
// UTC date "2006-06-17T16:01:21" or "2006-06-17". `clock` is what the counter
// follows: HOST (the host wall clock), VIRTUAL_RT or VIRTUAL.
// Leaves out: driftfix (an x86 RTC's periodic-tick catch-up).
#pragma once

#include <cstdint>
#include <string_view>

#include "vtime/clock/clock_id.h"
#include "vtime/time/instant.h"
#include "vtime/time/result.h"

namespace vtime {

enum class RtcBase : uint8_t { kUtc, kLocaltime, kDate };

struct RtcOptions {
  RtcBase base = RtcBase::kUtc;
  WallTime date{};  // RtcBase::kDate: the instant, whole seconds since the Unix epoch
  ClockId clock = ClockId::kHost;
};

// Parses comma-separated base= and clock= fields, each at most once, in any
// order; a missing one keeps its default (base=utc, clock=host). Errors are
// one sentence without the option's name (the caller prefixes it).
Result<RtcOptions> parse_rtc_options(std::string_view spec);

// The RTC's value at guest time zero in ns since the Unix epoch, for a board
// built when the host's wall clock reads `host_now`, `utc_offset` east of UTC.
// A value before the epoch reads as 0.
uint64_t rtc_start_ns(const RtcOptions& options, WallTime host_now, Duration utc_offset);

// The host's local offset from UTC at `at` (positive east of Greenwich).
Duration host_utc_offset(WallTime at);

}  // namespace vtime
