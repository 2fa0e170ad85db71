// VmClocks state capture: save() reads the guest-visible state; restore() keeps
// the internal time lines where they are (they never go back) and moves the
// eras, so the clocks read exactly the saved values on whatever host this is.
#include <string>

#include "vtime/clock/vm_clocks.h"

namespace vtime {

ClockState VmClocks::save() {
  ClockState state;
  state.virtual_time = virtual_now();
  state.virtual_rt = virtual_rt_now();
  state.tsc = tsc_.ticks_in(state.virtual_time.since_epoch(), Round::kDown);
  state.tsc_frequency = tsc_;
  state.run_state = owner_.running != 0 ? RunState::kRunning : RunState::kStopped;
  for (ClockId id : kAllClocks) state.enabled[index_of(id)] = enabled(id);
  return state;
}

Status VmClocks::restore(const ClockState& state) {
  if (std::string why = check_consistent(state); !why.empty()) return Error{why};
  if (state.tsc_frequency != tsc_) {
    return Error{"the saved guest TSC runs at " + std::to_string(state.tsc_frequency.hz()) +
                 " Hz but this machine's runs at " + std::to_string(tsc_.hz()) + " Hz."};
  }
  const RunState before = owner_.running != 0 ? RunState::kRunning : RunState::kStopped;
  // One update: readers see the old clocks or the restored ones, nothing between.
  timebase_.update([&] {
    if (owner_.running != 0) freeze();
    // Keep the internal lines where they are (they never go back) and move
    // the eras so that the reported values are exactly the saved ones.
    line(Guest::kVirtual).era =
        saturating_sub(Duration(owner_.virtual_line.base), state.virtual_time.since_epoch()).count();
    line(Guest::kVirtualRt).era =
        saturating_sub(Duration(owner_.rt_line.base), state.virtual_rt.since_epoch()).count();
    if (state.run_state == RunState::kRunning) thaw();
    return owner_;
  });
  for (ClockId id : kAllClocks) {
    enabled_[index_of(id)].store(state.enabled[index_of(id)], std::memory_order_release);
  }
  if (before != state.run_state) notify_run_state(state.run_state);
  for (ClockId id : kAllClocks) notify_change(id);
  return ok_status();
}

}  // namespace vtime
