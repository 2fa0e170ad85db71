// Lost-tick policies of the periodic tick source (tick_source.h), and the pure
// arithmetic behind them: slew's rate controller and the graduated catch-up
// table. Kept apart from the timer plumbing so each rule is tested on its own.
// Background: QEMU's discard/delay/slew, the 2011 HPET driftfix RFC and
// VirtualBox's virtual-sync catch-up; see docs/devices/lost-ticks.md for
// when to use which.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "vtime/time/duration.h"
#include "vtime/time/result.h"

namespace vtime {

enum class LostTickPolicy : uint8_t {
  kDiscard,  // a tick that cannot be delivered on time is dropped
  kDelay,    // nothing dropped, nothing re-injected: the guest stays behind
  kMerge,    // all ticks missed by a late callback arrive as one (QEMU's HPET)
  kSlew,     // re-inject the backlog at an extra rate that grows while losses go on
  kCatchUp,  // re-inject at a rate graduated by how far behind (VirtualBox-like)
  kLast = kCatchUp,
};

std::string_view policy_name(LostTickPolicy policy);
// "discard", "delay", "merge", "slew", "catchup"; anything else is an error
// sentence for the command line.
Result<LostTickPolicy> parse_lost_tick_policy(std::string_view name);

// Slew: the extra rate starts at one additional tick per period when
// a backlog appears, grows by one each time more ticks are lost while it is
// being paid back, and is capped. The backlog itself is capped in time: ticks
// beyond it are given up.
struct SlewParams {
  uint32_t max_extra_per_period = 3;  // rate cap: at most 1 + this ticks per period
  Duration max_backlog = 60s;         // owed time beyond this is given up
};

// The extra ticks per period to use after an expiry that saw `newly_lost` ticks
// lost, with `backlog` ticks owed once it is done. 0 when nothing is owed.
uint32_t slew_extra_after(uint32_t extra, uint64_t newly_lost, uint64_t backlog,
                          const SlewParams& params);

// Graduated catch-up: while the guest is at least `lag` behind, deliver
// `1 + extra_percent / 100` ticks per period. Stop when the lag falls under
// `stop_below`; give the whole backlog up beyond `give_up_beyond`.
struct CatchUpStep {
  Duration lag;
  uint32_t extra_percent;
};
inline constexpr CatchUpStep kDefaultCatchUpSteps[] = {
    {750us, 5},   {1500us, 10}, {8ms, 25},   {30ms, 50},   {75ms, 75},
    {175ms, 100}, {350ms, 200}, {700ms, 300}, {3s, 400},   {10s, 500},
};
struct CatchUpParams {
  std::span<const CatchUpStep> steps = kDefaultCatchUpSteps;  // ascending lag
  Duration stop_below = 500us;
  Duration give_up_beyond = 60s;
};

// The extra percentage for a guest `lag` behind. `catching_up` says whether the
// previous answer was non-zero: between stop_below and the first step the
// current state is kept (hysteresis).
uint32_t catch_up_extra_percent(Duration lag, bool catching_up, const CatchUpParams& params);

// The spacing of ticks delivered at `percent`% of the base rate (100 = one per
// period), rounded up so the delivered rate never exceeds the one asked for.
Duration spacing_at_rate(Duration period, uint64_t percent);

}  // namespace vtime
