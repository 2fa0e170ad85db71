// TimeState: the state of time on a board at one instant, as the monitor
// reports it (HMP `info time`, QMP `x-vtime-query-time`): the four clocks, the
// run state, icount's settings and totals, the timers armed per clock with
// their next deadline, and the CPU throttle. One capture, two renderings.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>

#include "vtime/clock/clock_id.h"
#include "vtime/machine/board.h"

namespace vtime::monitor {

struct TimeState {
  struct Clock {
    ClockId id;
    Duration now{0};                 // the clock's reading (since its epoch)
    size_t timers_armed = 0;
    std::optional<Duration> next;    // earliest deadline (since the epoch), if any
  };
  std::array<Clock, kClockCount> clocks{};
  bool running = false;              // VIRTUAL and VIRTUAL_RT advance
  bool paused = false;               // stopped by the monitor
  BoardStats board;                  // icount, warps, align, throttle, instructions
};

TimeState capture_time_state(Board& board);
std::string format_time_text(const TimeState& state);
nlohmann::json time_state_json(const TimeState& state);

}  // namespace vtime::monitor
