// CPU time of this process so far (every thread, user + system), for the
// benchmarks that compare runs by the CPU they used rather than by wall time
// (the machine is shared, and preemption must not count).
#pragma once

#include <sys/resource.h>

#include "vtime/time/duration.h"

namespace vtime::bench {

inline Duration process_cpu_time() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto ns = [](const timeval& t) {
    return Duration(static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + static_cast<int64_t>(t.tv_usec) * 1'000);
  };
  return ns(u.ru_utime) + ns(u.ru_stime);
}

}  // namespace vtime::bench
