#include "vtime/machine/board_config.h"

#include <map>

#include "vtime/time/printable.h"

namespace vtime {
namespace {

std::string on_off(bool b) { return b ? "on" : "off"; }

}  // namespace

// What must agree between the saving and the loading board: everything that
// shapes the machine or what its guest observes. Each entry names the option.
BoardConfig config_of(const BoardOptions& o) {
  const TimerDeviceOptions& t = o.timer_devices;
  std::string hpet = "off";
  if (t.hpet) hpet = *t.hpet == HpetDriftfix::kSlew ? "driftfix=slew" : "driftfix=none";
  return {{"harts (--smp)", std::to_string(o.harts)},
          {"RAM bytes (-m)", std::to_string(o.ram_bytes)},
          {"icount (--icount)", o.icount.mode == IcountMode::kOff ? "off" : format_icount_options(o.icount)},
          {"HPET (--hpet)", hpet},
          {"LAPIC timer", on_off(t.lapic_timer)},
          {"PV clock-event", on_off(t.pv_clockevent)},
          {"pvclock", on_off(t.pvclock)},
          {"RTC clock (-rtc clock=)", std::string(clock_name(o.rtc.clock))}};
}

void save_config(const BoardConfig& config, StateWriter& out) {
  out.u64(config.size());
  for (const auto& [name, value] : config) {
    for (const std::string* text : {&name, &value}) {
      out.blob({reinterpret_cast<const uint8_t*>(text->data()), text->size()});
    }
  }
}

std::string check_config(const BoardConfig& here, StateReader& in, const std::string& what,
                         const std::string& made) {
  std::map<std::string, std::string> saved;
  const uint64_t n = in.count(64, 16);
  for (uint64_t i = 0; i < n && in.ok(); ++i) {
    const std::vector<uint8_t> name = in.blob(256), value = in.blob(4096);
    saved[std::string(name.begin(), name.end())] = std::string(value.begin(), value.end());
  }
  if (Status s = in.finish(); !s.ok()) return s.error();
  for (const auto& [name, value] : here) {
    const auto it = saved.find(name);
    if (it == saved.end()) return what + " does not record its " + name + ".";
    if (it->second != value) {
      return what + " was " + made + " with " + name + " " + printable(it->second) + ", but this machine has " + value + ".";
    }
  }
  if (saved.size() != here.size()) return what + " records settings this vtime does not know.";
  return "";
}

}  // namespace vtime
