// Whether a run records what the host feeds it, replays a recording, or
// neither (docs/replay.md).
#pragma once

#include <cstdint>

namespace vtime {

enum class ReplayMode : uint8_t { kOff, kRecord, kReplay };

}  // namespace vtime
