// The timekeeping report `vtime run` prints at exit: how guest time tracked host
// time. Filled by the run from the board, the icount engine and the aligner;
// formatted as text (QEMU `info jit` style lines, and more) or JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vtime/machine/board.h"
#include "vtime/time/duration.h"

namespace vtime::cli {

struct TimekeepingReport {
  std::string exit_reason;        // "poweroff", "exit code 3", "time limit", ...
  int exit_status = 0;
  unsigned harts = 1;
  std::string icount;             // settings in QEMU syntax, "off" when disabled
  Duration guest_time{0};         // VIRTUAL at exit
  Duration host_time{0};          // REALTIME elapsed during the run
  Duration host_idle{0};          // of which every hart waited for an interrupt
  uint64_t instructions = 0;      // retired, all harts
  uint64_t timers_fired = 0;
  Duration time_warped{0};        // VIRTUAL skipped while every hart was idle
  Duration time_slept_align{0};   // host time slept by align pacing
  int cpu_throttle = 0;           // throttle percentage at exit, 0 when off
  Duration time_slept_throttle{0};  // host time slept for the CPU throttle
  // host - guest clock (positive: guest behind). Present when icount is on.
  std::optional<Duration> host_minus_guest;
  std::optional<Duration> max_delay;    // most behind the guest has been
  std::optional<Duration> max_advance;  // most ahead the guest has been
  std::optional<Duration> p50_abs_difference;
  std::optional<Duration> p99_abs_difference;
  std::optional<Duration> max_abs_difference;
  BoardStats::IdleWaits idle;     // host waits while every hart idled

  // Host time the harts ran: the run's, less idle waits and pacing sleeps.
  Duration running_time() const;
  // Instructions per microsecond of running_time() (idle time does not dilute it).
  double mips() const;
};

std::string format_text(const TimekeepingReport& report);
std::string format_json(const TimekeepingReport& report);

}  // namespace vtime::cli
