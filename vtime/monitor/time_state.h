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
  std::string icount;                // QEMU syntax, "off"
  Duration time_warped{0};
  Duration time_slept_align{0};
  Duration host_minus_guest{0};      // icount only
  int cpu_throttle = 0;              // percent, 0 off
  uint64_t instructions = 0;
};

TimeState capture_time_state(Board& board);
std::string format_time_text(const TimeState& state);
nlohmann::json time_state_json(const TimeState& state);

}  // namespace vtime::monitor
