// ClockState's consistency rules and its version-1 blob:
//   0  "VTCK"            4  u32 version = 1     8  u32 payload length = 40
//   12 i64 VIRTUAL ns   20 i64 VIRTUAL_RT ns   28 u64 TSC   36 u64 TSC Hz
//   44 u8 run state     45 u8 enable bits (bit = ClockId)   46 6 reserved zero bytes
//   52 u32 CRC-32 of bytes 0..51
#include "vtime/clock/clock_state.h"

#include <cstddef>

#include "vtime/state/crc32.h"

namespace vtime {
namespace {

constexpr size_t kHeaderBytes = 12;
constexpr uint32_t kPayloadBytesV1 = 40;
constexpr size_t kCrcBytes = 4;
constexpr size_t kReservedBytes = 6;

void put(std::vector<uint8_t>& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

uint64_t get(std::span<const uint8_t> in, size_t at, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value |= static_cast<uint64_t>(in[at + i]) << (8 * i);
  return value;
}

bool valid_time(GuestTime t) { return t >= GuestTime::epoch() && !t.is_never(); }

}  // namespace

std::string check_consistent(const ClockState& state) {
  if (!valid_time(state.virtual_time)) return "the saved VIRTUAL time is negative or never().";
  if (!valid_time(state.virtual_rt)) return "the saved VIRTUAL_RT time is negative or never().";
  if (state.tsc_frequency.is_zero()) return "the saved guest TSC frequency is zero.";
  const uint64_t expected = state.tsc_frequency.ticks_in(state.virtual_time.since_epoch(), Round::kDown);
  if (state.tsc != expected) {
    return "the saved guest TSC (" + std::to_string(state.tsc) + ") does not match the saved VIRTUAL time (" +
           std::to_string(expected) + " ticks expected).";
  }
  if (state.run_state != RunState::kStopped && state.run_state != RunState::kRunning) {
    return "the saved run state is neither stopped nor running.";
  }
  return "";
}

std::vector<uint8_t> encode(const ClockState& state) {
  std::vector<uint8_t> out(kClockStateMagic.begin(), kClockStateMagic.end());
  put(out, kClockStateVersion, 4);
  put(out, kPayloadBytesV1, 4);
  put(out, static_cast<uint64_t>(state.virtual_time.since_epoch().count()), 8);
  put(out, static_cast<uint64_t>(state.virtual_rt.since_epoch().count()), 8);
  put(out, state.tsc, 8);
  put(out, state.tsc_frequency.hz(), 8);
  put(out, static_cast<uint8_t>(state.run_state), 1);
  uint64_t bits = 0;
  for (ClockId id : kAllClocks) bits |= (state.enabled[index_of(id)] ? 1U : 0U) << index_of(id);
  put(out, bits, 1);
  put(out, 0, kReservedBytes);
  put(out, crc32(out), 4);
  return out;
}

Result<ClockState> decode_clock_state(std::span<const uint8_t> blob) {
  if (blob.size() < kClockStateMagic.size()) {
    return Error{"clock state is truncated: " + std::to_string(blob.size()) + " bytes, too short for its header."};
  }
  for (size_t i = 0; i < kClockStateMagic.size(); ++i) {
    if (blob[i] != kClockStateMagic[i]) return Error{"not a vtime clock state: the magic is not \"VTCK\"."};
  }
  if (blob.size() < kHeaderBytes) {
    return Error{"clock state is truncated: " + std::to_string(blob.size()) + " bytes, too short for its header."};
  }
  const uint64_t version = get(blob, 4, 4);
  if (version != kClockStateVersion) {
    return Error{"clock state version " + std::to_string(version) + " is unknown (this build reads version " +
                 std::to_string(kClockStateVersion) + ")."};
  }
  const uint64_t length = get(blob, 8, 4);
  if (length != kPayloadBytesV1) {
    return Error{"clock state payload length " + std::to_string(length) + " is wrong for version 1 (expected " +
                 std::to_string(kPayloadBytesV1) + ")."};
  }
  const size_t total = kHeaderBytes + kPayloadBytesV1 + kCrcBytes;
  if (blob.size() < total) {
    return Error{"clock state is truncated: " + std::to_string(blob.size()) + " of " + std::to_string(total) +
                 " bytes."};
  }
  if (blob.size() > total) {
    return Error{"clock state has " + std::to_string(blob.size() - total) + " bytes of trailing garbage."};
  }
  const size_t crc_at = total - kCrcBytes;
  if (crc32(blob.first(crc_at)) != get(blob, crc_at, 4)) {
    return Error{"clock state is corrupt: its CRC-32 does not match its contents."};
  }
  const size_t p = kHeaderBytes;
  ClockState state;
  state.virtual_time = GuestTime::from_epoch(Duration(static_cast<int64_t>(get(blob, p, 8))));
  state.virtual_rt = GuestTime::from_epoch(Duration(static_cast<int64_t>(get(blob, p + 8, 8))));
  state.tsc = get(blob, p + 16, 8);
  state.tsc_frequency = Frequency::hz(get(blob, p + 24, 8));
  const uint64_t run = get(blob, p + 32, 1);
  if (run > static_cast<uint8_t>(RunState::kRunning)) {
    return Error{"clock state has an unknown run state " + std::to_string(run) + "."};
  }
  state.run_state = static_cast<RunState>(run);
  const uint64_t bits = get(blob, p + 33, 1);
  if ((bits >> kClockCount) != 0) return Error{"clock state enables clocks that do not exist."};
  for (ClockId id : kAllClocks) state.enabled[index_of(id)] = ((bits >> index_of(id)) & 1U) != 0;
  for (size_t i = 0; i < kReservedBytes; ++i) {
    if (blob[p + 34 + i] != 0) return Error{"clock state has non-zero reserved bytes."};
  }
  if (std::string why = check_consistent(state); !why.empty()) return Error{"clock state is inconsistent: " + why};
  return state;
}

}  // namespace vtime
