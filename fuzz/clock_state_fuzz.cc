// fuzz_clock_state: the clock state blob and VmClocks::restore(). The first
// byte picks the mode: a raw blob as given, or a blob whose header and CRC are
// made valid so the field checks behind them are reached, or a ClockState built
// from fields and restored directly. Asserts: a decoded blob is consistent and
// encodes back to the same bytes; a refused blob or state gets one non-empty
// line and leaves the clocks exactly as they were; an accepted restore makes
// the clocks read exactly the restored values.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "vtime/clock/clock_state.h"
#include "vtime/state/crc32.h"
#include "vtime/clock/vm_clocks.h"
#include "vtime/time/manual_host_clock.h"

namespace vtime::fuzz {
namespace {

constexpr size_t kBlobBytes = 56;  // header 12, payload 40, CRC 4

// Restores `state` into fresh clocks running at `tsc` and checks the outcome.
void restore_into_fresh_clocks(const ClockState& state, Frequency tsc, Duration host_run) {
  ManualHostClock host;
  VmClocks clocks(host, {.tsc = tsc});
  host.advance(host_run);
  const ClockState before = clocks.save();
  const Status restored = clocks.restore(state);
  const ClockState after = clocks.save();
  if (!restored.ok()) {
    check_one_line(restored.error());
    if (after != before) fail("a refused restore ({}) changed the clocks", restored.error());
    return;
  }
  if (!check_consistent(state).empty()) fail("restore accepted an inconsistent state: {}", check_consistent(state));
  if (after != state) {
    fail("restored VIRTUAL {} ns, TSC {} but the clocks read {} ns, TSC {}",
         state.virtual_time.since_epoch().count(), state.tsc, after.virtual_time.since_epoch().count(),
         after.tsc);
  }
}

void put_u32(std::vector<uint8_t>& blob, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) blob[at + i] = static_cast<uint8_t>(value >> (8 * i));
}

void fuzz_blob(std::vector<uint8_t> blob, bool make_framing_valid, Duration host_run) {
  if (make_framing_valid) {
    blob.resize(kBlobBytes);
    for (size_t i = 0; i < kClockStateMagic.size(); ++i) blob[i] = kClockStateMagic[i];
    put_u32(blob, 4, kClockStateVersion);
    put_u32(blob, 8, 40);
    put_u32(blob, kBlobBytes - 4, crc32(std::span(blob).first(kBlobBytes - 4)));
  }
  const Result<ClockState> decoded = decode_clock_state(blob);
  if (!decoded) return check_one_line(decoded.error());
  if (!check_consistent(*decoded).empty()) fail("decoded an inconsistent state: {}", check_consistent(*decoded));
  if (encode(*decoded) != blob) fail("a decoded blob does not encode back to the same bytes");
  restore_into_fresh_clocks(*decoded, decoded->tsc_frequency, host_run);
}

void fuzz_fields(FuzzedDataProvider& in, Duration host_run) {
  ClockState state;
  state.virtual_time = GuestTime::from_epoch(Duration(in.ConsumeIntegral<int64_t>()));
  state.virtual_rt = GuestTime::from_epoch(Duration(in.ConsumeIntegral<int64_t>()));
  const Frequency tsc = Frequency::hz(in.ConsumeIntegralInRange<uint64_t>(0, uint64_t{1} << 40));
  state.tsc_frequency = in.ConsumeBool() ? tsc : Frequency::ghz(1);
  // Mostly the consistent TSC, so the checks after it are reached too.
  const uint64_t ns = static_cast<uint64_t>(std::max<int64_t>(0, state.virtual_time.since_epoch().count()));
  state.tsc = in.ConsumeBool() || state.tsc_frequency.is_zero()
                  ? in.ConsumeIntegral<uint64_t>()
                  : state.tsc_frequency.ticks_in(Duration(static_cast<int64_t>(ns)), Round::kDown);
  state.run_state = in.ConsumeBool() ? RunState::kRunning : RunState::kStopped;
  for (bool& e : state.enabled) e = in.ConsumeBool();
  restore_into_fresh_clocks(state, in.ConsumeBool() ? Frequency::ghz(1) : Frequency::mhz(10), host_run);
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  const uint8_t mode = in.ConsumeIntegral<uint8_t>() % 3;
  const Duration host_run(in.ConsumeIntegralInRange<int64_t>(0, int64_t{1} << 50));
  if (mode == 2) {
    fuzz_fields(in, host_run);
  } else {
    fuzz_blob(in.ConsumeRemainingBytes<uint8_t>(), mode == 1, host_run);
  }
  return 0;
}
