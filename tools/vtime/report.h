// The timekeeping report `vtime run` prints at exit: how guest time tracked host
// time: how the run ended and the board's statistics (BoardStats, which holds
// the icount engine's alignment summary), formatted as text (QEMU `info jit` style lines, and more) or JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "vtime/machine/board.h"
#include "vtime/time/duration.h"

namespace vtime::cli {

struct TimekeepingReport {
  std::string exit_reason;  // "poweroff", "exit code 3", "time limit", ...
  int exit_status = 0;
  unsigned harts = 1;
  BoardStats board;         // the board's totals at exit

  // Host time the harts ran: the run's, less idle waits and pacing sleeps.
  Duration running_time() const;
  // Instructions per microsecond of running_time() (idle time does not dilute it).
  double mips() const;
};

std::string format_text(const TimekeepingReport& report);
std::string format_json(const TimekeepingReport& report);

}  // namespace vtime::cli
