#include "vtime/monitor/time_state.h"

#include <fmt/format.h>

#include "vtime/clock/vm_clocks.h"
#include "vtime/icount/cpu_throttle.h"
#include "vtime/timer/timer_group.h"
#include "vtime/timer/timer_list.h"

namespace vtime::monitor {
namespace {

std::string seconds(Duration d) { return fmt::format("{:.9f} s", static_cast<double>(d.count()) / 1e9); }

}  // namespace

TimeState capture_time_state(Board& board) {
  TimeState s;
  VmClocks& clocks = board.clocks();
  TimerGroup& timers = board.timers();
  for (size_t i = 0; i < kClockCount; ++i) {
    const ClockId id = kAllClocks[i];
    const Duration next = timers.next_deadline(id);
    s.clocks[i] = {.id = id,
                   .now = clocks.read(id),
                   .timers_armed = timers.list(id).pending_count(),
                   .next = next == kNoDeadline ? std::nullopt : std::optional<Duration>(next)};
  }
  s.running = clocks.running();
  s.paused = board.paused();
  const BoardStats stats = board.stats();
  s.icount = stats.icount_text;
  s.time_warped = stats.time_warped;
  s.time_slept_align = stats.time_slept_align;
  s.host_minus_guest = stats.host_minus_guest;
  s.cpu_throttle = stats.cpu_throttle;
  s.instructions = stats.instructions;
  return s;
}

std::string format_time_text(const TimeState& s) {
  std::string out = fmt::format("run state           {}\n", s.paused ? "paused" : s.running ? "running" : "stopped");
  out += fmt::format("icount              {}\n", s.icount);
  for (const TimeState::Clock& c : s.clocks) {
    out += fmt::format("{:<19} {}  {} timer(s) armed, next {}\n", clock_name(c.id), seconds(c.now), c.timers_armed,
                       c.next ? seconds(*c.next) : std::string("none"));
  }
  out += fmt::format("time warped         {}\n", seconds(s.time_warped));
  out += fmt::format("time slept (align)  {}\n", seconds(s.time_slept_align));
  out += fmt::format("cpu throttle        {}\n", s.cpu_throttle > 0 ? fmt::format("{} %", s.cpu_throttle) : "off");
  out += fmt::format("instructions        {}\n", s.instructions);
  return out;
}

nlohmann::json time_state_json(const TimeState& s) {
  nlohmann::json clocks = nlohmann::json::object();
  for (const TimeState::Clock& c : s.clocks) {
    clocks[std::string(clock_name(c.id))] = {
        {"now-ns", c.now.count()},
        {"timers-armed", c.timers_armed},
        {"next-deadline-ns", c.next ? nlohmann::json(c.next->count()) : nlohmann::json(nullptr)}};
  }
  return {{"running", s.running},
          {"paused", s.paused},
          {"icount", s.icount},
          {"clocks", clocks},
          {"time-warped-ns", s.time_warped.count()},
          {"time-slept-align-ns", s.time_slept_align.count()},
          {"host-minus-guest-ns", s.host_minus_guest.count()},
          {"cpu-throttle-percent", s.cpu_throttle},
          {"instructions", s.instructions}};
}

}  // namespace vtime::monitor
