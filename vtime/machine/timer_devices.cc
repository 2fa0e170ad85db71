#include "vtime/machine/timer_devices.h"

#include <fmt/format.h>

namespace vtime {

using namespace timer_devices_map;

TimerDevices::TimerDevices(GuestLog& log, TimerGroup& timers, const TimerDeviceOptions& options,
                           unsigned harts, Frequency timebase)
    : log_(log), timers_(timers), options_(options), harts_(harts), timebase_(timebase) {}

TimerDevices::~TimerDevices() = default;

std::vector<ExtraDeviceNode> TimerDevices::device_tree_nodes(const TimerDeviceOptions& options,
                                                             unsigned harts) {
  std::vector<ExtraDeviceNode> nodes;
  if (options.hpet) {
    nodes.push_back({.node_name = "hpet",
                     .compatible = {"vtime,hpet", "intel,hpet"},
                     .base = kHpetBase,
                     .size = hpet_reg::kSize,
                     .plic_irq = kHpetIrq});
  }
  for (unsigned h = 0; h < harts; ++h) {
    if (options.lapic_timer) {
      nodes.push_back({.node_name = "lapic-timer",
                       .compatible = {"vtime,lapic-timer"},
                       .base = kLapicBase + h * kStride,
                       .size = lapic_reg::kSize,
                       .plic_irq = kLapicIrq + h,
                       .clock_frequency = LapicTimer::Options{}.bus.hz()});
    }
    if (options.pv_clockevent) {
      nodes.push_back({.node_name = "pv-clockevent",
                       .compatible = {"vtime,pv-clockevent"},
                       .base = kPvClockEventBase + h * kStride,
                       .size = pv_clockevent_reg::kSize,
                       .plic_irq = kPvClockEventIrq + h});
    }
  }
  if (options.pvclock) {
    nodes.push_back({.node_name = "pvclock",
                     .compatible = {"vtime,pvclock"},
                     .base = kPvClockBase,
                     .size = kStride,
                     .plic_irq = std::nullopt});
  }
  return nodes;
}

Status TimerDevices::attach(AddressMap& map, Plic& plic) {
  const PvTimeline timeline{.zero = GuestTime::epoch()};  // guest time starts at 0 at reset
  if (options_.hpet) {
    Hpet::Routes routes{};
    for (unsigned r = 0; r < routes.size(); ++r) routes[r] = &plic.source(kHpetIrq + r);
    Hpet::Options hpet_options;
    hpet_options.driftfix = *options_.hpet;
    hpet_ = std::make_unique<Hpet>(log_, timers_, routes, hpet_options);
    if (Status s = map.add_device(kHpetBase, *hpet_); !s.ok()) return s;
  }
  for (unsigned h = 0; h < harts_; ++h) {
    if (options_.lapic_timer) {
      auto& t = lapic_.emplace_back(std::make_unique<LapicTimer>(log_, timers_, LapicTimer::Options{}));
      t->connect(plic.source(kLapicIrq + h));
      if (Status s = map.add_device(kLapicBase + h * kStride, *t); !s.ok()) return s;
    }
    if (options_.pv_clockevent) {
      auto& d = pvce_.emplace_back(
          std::make_unique<PvClockEvent>(log_, timers_, PvClockEvent::Options{.timeline = timeline}));
      d->connect(plic.source(kPvClockEventIrq + h));
      if (Status s = map.add_device(kPvClockEventBase + h * kStride, *d); !s.ok()) return s;
    }
  }
  if (options_.pvclock) {
    if (Status s = map.add_ram("pvclock", kPvClockBase, kStride); !s.ok()) return s;
    pvclock_.emplace(timers_.clocks(), PvClock::Options{.counter_frequency = timebase_,
                                                        .counter_offset = 0,
                                                        .timeline = timeline});
    for (unsigned h = 0; h < harts_; ++h) {
      uint8_t* record = map.ram_pointer(kPvClockBase + h * kPvClockRecord, kPvClockRecord);
      if (record == nullptr) return Error{"pvclock: the records page is not mapped"};
      pvclock_->enable(h, std::span<uint8_t>(record, kPvClockRecord));
    }
  }
  return ok_status();
}

}  // namespace vtime
