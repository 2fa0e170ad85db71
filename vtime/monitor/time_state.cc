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
  s.board = board.stats();
  return s;
}

std::string format_time_text(const TimeState& s) {
  std::string out = fmt::format("run state           {}\n", s.paused ? "paused" : s.running ? "running" : "stopped");
  out += fmt::format("icount              {}\n", s.board.icount_text);
  for (const TimeState::Clock& c : s.clocks) {
    out += fmt::format("{:<19} {}  {} timer(s) armed, next {}\n", clock_name(c.id), seconds(c.now), c.timers_armed,
                       c.next ? seconds(*c.next) : std::string("none"));
  }
  out += fmt::format("time warped         {}\n", seconds(s.board.time_warped));
  out += fmt::format("time slept (align)  {}\n", seconds(s.board.time_slept_align));
  out += fmt::format("cpu throttle        {}\n", s.board.cpu_throttle > 0 ? fmt::format("{} %", s.board.cpu_throttle) : "off");
  out += fmt::format("instructions        {}\n", s.board.instructions);
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
          {"icount", s.board.icount_text},
          {"clocks", clocks},
          {"time-warped-ns", s.board.time_warped.count()},
          {"time-slept-align-ns", s.board.time_slept_align.count()},
          {"host-minus-guest-ns", s.board.alignment ? nlohmann::json(s.board.alignment->host_minus_guest.count())
                                             : nlohmann::json(nullptr)},
          {"cpu-throttle-percent", s.board.cpu_throttle},
          {"instructions", s.board.instructions}};
}

}  // namespace vtime::monitor
