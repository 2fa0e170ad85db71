// RunState: whether the VM runs (VIRTUAL and VIRTUAL_RT advance) or is stopped
// (they are frozen). Its values appear in snapshots, so they never change.
#pragma once

#include <cstdint>

namespace vtime {

enum class RunState : uint8_t { kStopped = 0, kRunning = 1 };

}  // namespace vtime
