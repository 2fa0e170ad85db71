#include "vtime/devices/lost_tick_policy.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <string>

#include "vtime/time/round.h"

namespace vtime {

namespace {
constexpr std::array<std::pair<LostTickPolicy, std::string_view>, 5> kNames = {{
    {LostTickPolicy::kDiscard, "discard"},
    {LostTickPolicy::kDelay, "delay"},
    {LostTickPolicy::kMerge, "merge"},
    {LostTickPolicy::kSlew, "slew"},
    {LostTickPolicy::kCatchUp, "catchup"},
}};
}  // namespace

std::string_view policy_name(LostTickPolicy policy) {
  for (const auto& [p, name] : kNames) {
    if (p == policy) return name;
  }
  return "?";
}

Result<LostTickPolicy> parse_lost_tick_policy(std::string_view name) {
  for (const auto& [p, n] : kNames) {
    if (n == name) return p;
  }
  return Error{"unknown lost-tick policy '" + std::string(name) +
               "' (expected discard, delay, merge, slew or catchup)"};
}

uint32_t slew_extra_after(uint32_t extra, uint64_t newly_lost, uint64_t backlog,
                          const SlewParams& params) {
  if (backlog == 0) return 0;  // paid back: the next loss starts over at +1
  if (extra == 0) return std::min<uint32_t>(1, params.max_extra_per_period);
  if (newly_lost > 0) return std::min(extra + 1, params.max_extra_per_period);
  return extra;
}

uint32_t catch_up_extra_percent(Duration lag, bool catching_up, const CatchUpParams& params) {
  if (lag < params.stop_below) return 0;
  uint32_t percent = 0;
  for (const CatchUpStep& step : params.steps) {
    if (lag >= step.lag) percent = step.extra_percent;
  }
  // Between the stop threshold and the first step: keep going if already
  // catching up, at the first step's rate.
  if (percent == 0 && catching_up && !params.steps.empty()) {
    percent = params.steps.front().extra_percent;
  }
  return percent;
}

Duration spacing_at_rate(Duration period, uint64_t percent) {
  assert(period.count() > 0 && percent > 0);
  return Duration(static_cast<int64_t>(
      mul_div(static_cast<uint64_t>(period.count()), 100, percent, Round::kUp)));
}

}  // namespace vtime
