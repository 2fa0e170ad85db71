// ClockState: what a snapshot of one machine's clocks holds - VIRTUAL,
// VIRTUAL_RT and the guest TSC at the moment of capture, the run state and the
// per-clock enable flags - and its versioned binary encoding (format in
// docs/time-model.md). Host times are deliberately absent: a restored VM resumes
// from these guest values whatever the new host's clocks read.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtime/clock/clock_id.h"
#include "vtime/clock/run_state.h"
#include "vtime/time/frequency.h"
#include "vtime/time/instant.h"
#include "vtime/time/result.h"

namespace vtime {

struct ClockState {
  GuestTime virtual_time;
  GuestTime virtual_rt;
  uint64_t tsc = 0;                       // = tsc_frequency ticks in virtual_time, rounded down
  Frequency tsc_frequency = Frequency::ghz(1);
  RunState run_state = RunState::kStopped;
  std::array<bool, kClockCount> enabled = {true, true, true, true};  // by index_of(ClockId)

  friend bool operator==(const ClockState&, const ClockState&) = default;
};

// "" if the fields agree with each other (times not negative or never(), TSC
// frequency not zero, tsc equal to the frequency's ticks in virtual_time
// rounded down); otherwise one sentence naming the first disagreement.
std::string check_consistent(const ClockState& state);

// Blob layout, all integers little-endian:
//   magic "VTCK" | u32 version | u32 payload length | payload | u32 CRC-32
// The CRC (IEEE 802.3, as zlib's crc32) covers everything before it.
inline constexpr std::array<uint8_t, 4> kClockStateMagic = {'V', 'T', 'C', 'K'};
inline constexpr uint32_t kClockStateVersion = 1;

std::vector<uint8_t> encode(const ClockState& state);
// Rejects a wrong magic, an unknown version, a truncated blob, trailing bytes,
// a CRC mismatch and inconsistent fields, each with one sentence.
Result<ClockState> decode_clock_state(std::span<const uint8_t> blob);

}  // namespace vtime
