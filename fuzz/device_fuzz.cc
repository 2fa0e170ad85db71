// fuzz_device: one device on its own, driven by a decoded sequence of
// operations - register accesses (offset, size, value, read or write) for the
// MMIO devices, API calls for the timer models - with VIRTUAL advanced and due
// timers run between them (TimeBench checks the time invariants). The first
// byte picks the device, the next few its configuration (a board option, so
// any value the options allow). Accesses the bus would refuse are dropped.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <memory>

#include "fuzz/fuzz_input.h"
#include "fuzz/time_bench.h"
#include "vtime/devices/clint.h"
#include "vtime/devices/console_backend.h"
#include "vtime/devices/countdown_timer.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/hpet.h"
#include "vtime/devices/lapic_timer.h"
#include "vtime/devices/plic.h"
#include "vtime/devices/pv_clockevent.h"
#include "vtime/devices/pvclock.h"
#include "vtime/devices/reg_access.h"
#include "vtime/devices/goldfish_rtc.h"
#include "vtime/devices/sifive_test.h"
#include "vtime/devices/tick_source.h"
#include "vtime/devices/uart16550.h"
#include "vtime/devices/up_counter.h"

namespace vtime::fuzz {
namespace {

constexpr size_t kMaxOps = 4096;

// One device under test; op() applies one decoded operation.
class Bench {
 public:
  virtual ~Bench() = default;
  virtual void op(FuzzedDataProvider& in) = 0;
};

// A guest access to `dev`, shaped like one the bus lets through.
void mmio_access(MmioDevice& dev, FuzzedDataProvider& in) {
  const unsigned size = 1u << in.ConsumeIntegralInRange(0, 3);
  const uint64_t raw = in.ConsumeBool() ? in.ConsumeIntegral<uint16_t>() : in.ConsumeIntegral<uint32_t>();
  const uint64_t offset = (raw % dev.size()) & ~uint64_t{size - 1};
  const bool write = in.ConsumeBool();
  const uint64_t value = in.ConsumeIntegral<uint64_t>();
  const AccessSizes sizes = dev.sizes();
  if (reg_access::check(sizes, dev.size(), offset, size) != reg_access::Check::kOk) return;
  if (write) {
    reg_access::dispatch_write(dev, sizes, offset, size, value);
  } else {
    (void)reg_access::dispatch_read(dev, sizes, offset, size);
  }
}

class ClintBench final : public Bench {
 public:
  ClintBench(TimeBench& time, FuzzedDataProvider& in)
      : clint_(log_, time.timers(), {.harts = 2, .timebase = some_frequency(in, 34)}) {
    for (unsigned h = 0; h < 2; ++h) clint_.connect(h, msip_[h], mtip_[h]);
  }
  void op(FuzzedDataProvider& in) override {
    if (in.ConsumeBool()) {
      mmio_access(clint_.mtimer(), in);
    } else if (in.ConsumeBool()) {
      mmio_access(clint_.mswi(), in);
    } else {
      (void)clint_.instant_of(in.ConsumeIntegral<uint64_t>());
    }
  }

 private:
  GuestLog log_;
  std::array<LatchLine, 2> msip_, mtip_;
  Clint clint_;
};

class PlicBench final : public Bench {
 public:
  PlicBench() : plic_(log_, 2) {
    for (unsigned c = 0; c < plic_.contexts(); ++c) plic_.connect(c, outputs_[c]);
  }
  void op(FuzzedDataProvider& in) override {
    if (in.ConsumeIntegralInRange(0, 3) == 0) {
      plic_.source(in.ConsumeIntegralInRange<unsigned>(1, plic_reg::kSources - 1)).set_level(in.ConsumeBool());
    } else {
      mmio_access(plic_, in);
    }
  }

 private:
  GuestLog log_;
  std::array<LatchLine, 4> outputs_;
  Plic plic_;
};

class UartBench final : public Bench {
 public:
  UartBench() : uart_(log_, console_) { uart_.connect(irq_); }
  void op(FuzzedDataProvider& in) override {
    if (in.ConsumeIntegralInRange(0, 3) == 0) {
      console_.feed(in.ConsumeBytesAsString(in.ConsumeIntegralInRange(0, 20)));
      uart_.poll_input();
    } else {
      mmio_access(uart_, in);
    }
    if (console_.output().size() > 4096) console_.clear_output();
  }

 private:
  GuestLog log_;
  BufferConsole console_;
  LatchLine irq_;
  Uart16550 uart_;
};

class HpetBench final : public Bench {
 public:
  HpetBench(TimeBench& time, FuzzedDataProvider& in) {
    Hpet::Routes routes{};
    for (unsigned r = 0; r < routes.size(); ++r) {
      if (in.ConsumeBool()) routes[r] = &lines_[r];
    }
    Hpet::Options options;
    options.timers = in.ConsumeIntegralInRange(hpet_reg::kMinTimers, hpet_reg::kMaxTimers);
    options.driftfix = in.ConsumeBool() ? HpetDriftfix::kSlew : HpetDriftfix::kNone;
    hpet_ = std::make_unique<Hpet>(log_, time.timers(), routes, options);
  }
  void op(FuzzedDataProvider& in) override {
    if (in.ConsumeIntegralInRange(0, 7) == 0) {
      lines_[in.ConsumeIntegralInRange<size_t>(0, lines_.size() - 1)].set_level(false);  // the guest acks
    } else {
      mmio_access(*hpet_, in);
    }
  }

 private:
  GuestLog log_;
  std::array<LatchLine, hpet_reg::kRoutes> lines_;
  std::unique_ptr<Hpet> hpet_;
};

class LapicBench final : public Bench {
 public:
  LapicBench(TimeBench& time, FuzzedDataProvider& in)
      : lapic_(log_, time.timers(), {.bus = some_frequency(in, 34)}) {
    lapic_.connect(irq_);
  }
  void op(FuzzedDataProvider& in) override { mmio_access(lapic_, in); }

 private:
  GuestLog log_;
  LatchLine irq_;
  LapicTimer lapic_;
};

class PvClockEventBench final : public Bench {
 public:
  PvClockEventBench(TimeBench& time, FuzzedDataProvider& in)
      : pvce_(log_, time.timers(), {.timeline = {.zero = time.now() - short_span(in, 40)}}) {
    pvce_.connect(irq_);
  }
  void op(FuzzedDataProvider& in) override { mmio_access(pvce_, in); }

 private:
  GuestLog log_;
  LatchLine irq_;
  PvClockEvent pvce_;
};

class PvClockBench final : public Bench {
 public:
  PvClockBench(TimeBench& time, FuzzedDataProvider& in)
      : clocks_(time.clocks()),
        pvclock_(time.clocks(), {.counter_frequency = some_frequency(in, 34),
                                 .counter_offset = in.ConsumeIntegral<uint64_t>(),
                                 .timeline = {.zero = time.now() - short_span(in, 40)}}) {}
  void op(FuzzedDataProvider& in) override {
    const unsigned hart = in.ConsumeIntegralInRange(0, 1);
    switch (in.ConsumeIntegralInRange(0, 4)) {
      case 0: pvclock_.enable(hart, std::span(records_).subspan(hart * 32, 32)); break;
      case 1: pvclock_.disable(hart); break;
      case 2: pvclock_.set_counter_offset(in.ConsumeIntegral<uint64_t>()); break;
      case 3:
        clocks_.stop();
        pvclock_.update();
        clocks_.resume();
        break;
      default: (void)pvclock_.counter_at(clocks_.virtual_now()); break;
    }
  }

 private:
  VmClocks& clocks_;
  alignas(32) std::array<uint8_t, 64> records_{};
  PvClock pvclock_;
};

class SifiveTestBench final : public Bench {
 public:
  SifiveTestBench() : test_(log_, [](FinisherRequest) {}) {}
  void op(FuzzedDataProvider& in) override { mmio_access(test_, in); }

 private:
  GuestLog log_;
  SifiveTest test_;
};

CountdownPolicy some_policy(FuzzedDataProvider& in) {
  CountdownPolicy p{.wrap_after_one_period = in.ConsumeBool(),
                    .continuous_trigger = in.ConsumeBool(),
                    .no_immediate_trigger = in.ConsumeBool(),
                    .no_immediate_reload = in.ConsumeBool(),
                    .no_counter_round_down = in.ConsumeBool(),
                    .trigger_only_on_decrement = in.ConsumeBool()};
  if (!p.valid()) p.trigger_only_on_decrement = false;
  return p;
}

class CountdownBench final : public Bench {
 public:
  CountdownBench(TimeBench& time, FuzzedDataProvider& in)
      : timer_(time.timers(), [this] { ++triggers_; },
               {.policy = some_policy(in),
                .min_periodic_countdown = in.ConsumeBool() ? Duration::zero() : short_span(in, 20),
                .division = in.ConsumeBool() ? CountDivision::kQemu64 : CountDivision::kExact,
                .log = &log_}) {}
  void op(FuzzedDataProvider& in) override {
    if (in.ConsumeIntegralInRange(0, 3) == 0) {
      (void)timer_.count();
      return;
    }
    CountdownTimer::Transaction tx(timer_);
    const unsigned changes = in.ConsumeIntegralInRange(1, 3);
    for (unsigned i = 0; i < changes; ++i) {
      switch (in.ConsumeIntegralInRange(0, 6)) {
        case 0: timer_.set_period(short_span(in, 24), in.ConsumeIntegral<uint32_t>()); break;
        case 1: timer_.set_frequency(some_frequency(in, 36)); break;
        case 2:
          timer_.set_limit(in.ConsumeIntegral<uint64_t>() >> in.ConsumeIntegralInRange(0, 63),
                           in.ConsumeBool() ? LimitReload::kReloadCount : LimitReload::kKeepCount);
          break;
        case 3: timer_.set_count(in.ConsumeIntegral<uint64_t>() >> in.ConsumeIntegralInRange(0, 63)); break;
        case 4: timer_.run(in.ConsumeBool() ? CountdownMode::kPeriodic : CountdownMode::kOneShot); break;
        case 5: timer_.stop(); break;
        default: (void)timer_.count(); break;
      }
    }
  }

 private:
  GuestLog log_;
  uint64_t triggers_ = 0;
  CountdownTimer timer_;
};

class UpCounterBench final : public Bench {
 public:
  UpCounterBench(TimeBench& time, FuzzedDataProvider& in)
      : counter_(time.timers(), compare_, overflow_,
                 {.input = some_frequency(in, 40),
                  .prescaler = in.ConsumeIntegralInRange<uint32_t>(1, UINT32_MAX),
                  .width = in.ConsumeIntegralInRange(1u, 64u)}) {}
  void op(FuzzedDataProvider& in) override {
    switch (in.ConsumeIntegralInRange(0, 8)) {
      case 0: counter_.start(); break;
      case 1: counter_.stop(); break;
      case 2: counter_.set_value(in.ConsumeIntegral<uint64_t>()); break;
      case 3: counter_.set_prescaler(in.ConsumeIntegralInRange<uint32_t>(1, UINT32_MAX)); break;
      case 4: counter_.set_compare(in.ConsumeIntegral<uint64_t>()); break;
      case 5: counter_.set_enables({.compare = in.ConsumeBool(), .overflow = in.ConsumeBool()}); break;
      case 6: counter_.clear({.compare = in.ConsumeBool(), .overflow = in.ConsumeBool()}); break;
      default: (void)counter_.value(); break;
    }
  }

 private:
  LatchLine compare_, overflow_;
  UpCounter counter_;
};

Duration positive_span(FuzzedDataProvider& in) {
  const Duration d = short_span(in, 63);
  return d.count() == 0 ? Duration(1) : d;
}

class TickSourceBench final : public Bench {
 public:
  TickSourceBench(TimeBench& time, FuzzedDataProvider& in)
      : time_(time),
        ticks_(time.timers(), line_,
               {.policy = some_policy_kind(in), .min_spacing = short_span(in, 20)}) {}
  void op(FuzzedDataProvider& in) override {
    switch (in.ConsumeIntegralInRange(0, 6)) {
      case 0: {
        const Duration offset = short_span(in, 40);
        const GuestTime first = in.ConsumeBool() ? time_.now() + offset : time_.now() - offset;
        ticks_.start(first, positive_span(in));
        break;
      }
      case 1: ticks_.start_in(positive_span(in)); break;
      case 2: ticks_.stop(); break;
      case 3: ticks_.set_period(positive_span(in)); break;
      case 4: ticks_.set_policy(some_policy_kind(in)); break;
      default: line_.set_level(false); break;  // the guest acknowledges
    }
  }

 private:
  static LostTickPolicy some_policy_kind(FuzzedDataProvider& in) {
    return static_cast<LostTickPolicy>(in.ConsumeIntegralInRange(0, 4));
  }
  TimeBench& time_;
  LatchLine line_;
  TickSource ticks_;
};

class RtcBench final : public Bench {
 public:
  RtcBench(TimeBench& time, FuzzedDataProvider& in)
      : rtc_(log_, time.timers(),
             {.clock = in.ConsumeBool() ? ClockId::kVirtual : ClockId::kVirtualRt,
              .start_ns = in.ConsumeIntegral<uint64_t>()}) {
    rtc_.connect(irq_);
  }
  void op(FuzzedDataProvider& in) override { mmio_access(rtc_, in); }

 private:
  GuestLog log_;
  LatchLine irq_;
  GoldfishRtc rtc_;
};

std::unique_ptr<Bench> make_bench(unsigned which, TimeBench& time, FuzzedDataProvider& in) {
  switch (which) {
    case 0: return std::make_unique<ClintBench>(time, in);
    case 1: return std::make_unique<PlicBench>();
    case 2: return std::make_unique<UartBench>();
    case 3: return std::make_unique<HpetBench>(time, in);
    case 4: return std::make_unique<LapicBench>(time, in);
    case 5: return std::make_unique<PvClockEventBench>(time, in);
    case 6: return std::make_unique<PvClockBench>(time, in);
    case 7: return std::make_unique<CountdownBench>(time, in);
    case 8: return std::make_unique<UpCounterBench>(time, in);
    case 9: return std::make_unique<TickSourceBench>(time, in);
    case 10: return std::make_unique<RtcBench>(time, in);
    default: return std::make_unique<SifiveTestBench>();
  }
}
constexpr unsigned kBenches = 12;

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  TimeBench time;
  const std::unique_ptr<Bench> bench = make_bench(in.ConsumeIntegral<uint8_t>() % kBenches, time, in);
  for (size_t ops = 0; ops < kMaxOps && in.remaining_bytes() > 0 && time.has_budget(); ++ops) {
    switch (in.ConsumeIntegralInRange(0, 7)) {
      case 0: time.advance(short_span(in, 22)); break;
      case 1: time.skip(short_span(in, 12)); break;
      default:
        bench->op(in);
        time.settle();
        break;
    }
  }
  return 0;
}
