// Parses a RAM size the way QEMU's -m does: a plain number is MiB, or a number
// with a K/M/G/T suffix (binary units, case-insensitive, optional "iB"/"B").
#pragma once

#include <cstdint>
#include <string_view>

#include "vtime/time/result.h"

namespace vtime::cli {

inline constexpr uint64_t kMinRamBytes = 1ull << 20;   // 1 MiB
inline constexpr uint64_t kMaxRamBytes = 16ull << 30;  // 16 GiB: RAM ends below 2^35

Result<uint64_t> parse_memory_size(std::string_view text);

}  // namespace vtime::cli
