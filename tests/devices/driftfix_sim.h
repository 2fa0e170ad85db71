// The HPET driftfix scenario as an event-driven simulation, shared by the driftfix
// test and bench/driftfix_bench.cc. A guest keeps time by counting periodic
// timer interrupts (as Windows did with the HPET); the host runs timer
// callbacks late in bursts (overload: a deadline inside a burst is served at
// the burst's end, and the guest's vCPU does not run meanwhile). The guest
// counts one tick per interrupt it takes; its clock is ticks * period.
// Event-driven: time jumps from one deadline to the next, so a simulated hour
// costs well under a second of CPU.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "tests/devices/virtual_sim.h"
#include "vtime/devices/hpet.h"
#include "vtime/devices/recording_irq_line.h"
#include "vtime/devices/tick_source.h"

namespace vtime::testing {

// The host's overload pattern: calm phases and bursts of late callbacks,
// lengths drawn uniformly from a seeded generator (deterministic).
struct HostOverload {
  Duration calm_min = 500ms;
  Duration calm_max = 2500ms;
  Duration burst_min = 150ms;
  Duration burst_max = 850ms;
  // After a burst the vCPU may resume up to this much later than the timer
  // callbacks do, so some ticks arrive while the previous one is still pending.
  Duration guest_resume_max = 0ns;
  Duration settle = 10s;  // no burst starts this close to the end of the run
  uint64_t seed = 2011;
};

struct DriftfixRun {
  Duration length = std::chrono::hours(1);
  Duration period = 15625us;  // 64 Hz
  HostOverload host = {};
  Duration sample_every = 10s;
};

struct DriftSample {
  Duration at;     // since the start
  Duration error;  // guest tick clock minus true elapsed time (negative: behind)
};

struct DriftfixResult {
  uint64_t guest_ticks = 0;     // interrupts the guest took (its own count)
  uint64_t expected_slots = 0;  // periods elapsed up to the last timer pass (harness count)
  uint64_t rising_edges = 0;
  uint64_t coalesced_edges = 0;
  Duration final_error{0};
  Duration worst_error{0};                   // most negative error seen at a sample
  Duration min_spacing = Duration::max();    // between consecutive interrupts sent
  Duration overload{0};                      // time the host spent in bursts
  TickSource::Counters counters;
  std::vector<DriftSample> samples;
};

namespace driftfix_detail {

inline uint64_t next_random(uint64_t& state) {  // splitmix64
  uint64_t z = (state += 0x9E37'79B9'7F4A'7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58'476D'1CE4'E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D0'49BB'1331'11EBull;
  return z ^ (z >> 31);
}

inline Duration uniform(uint64_t& state, Duration lo, Duration hi) {
  if (hi <= lo) return lo;
  const auto span = static_cast<uint64_t>((hi - lo).count()) + 1;
  return lo + Duration(static_cast<int64_t>(next_random(state) % span));
}

// Drives the simulation; `counters` reads the device's engine at the end.
inline DriftfixResult drive(VirtualSim& sim, RecordingIrqLine& line, const DriftfixRun& run,
                            const std::function<TickSource::Counters()>& counters) {
  DriftfixResult result;
  const GuestTime start = sim.start();
  const GuestTime end = start + run.length;
  uint64_t rng = run.host.seed;
  GuestTime burst_start = start + uniform(rng, run.host.calm_min, run.host.calm_max);
  GuestTime burst_end = burst_start + uniform(rng, run.host.burst_min, run.host.burst_max);
  GuestTime guest_resume = start;
  GuestTime next_sample = start + run.sample_every;
  GuestTime last_pass = start;
  GuestTime last_edge = GuestTime::never();
  line.set_recording(true);

  for (;;) {
    if (burst_end > end - run.host.settle) burst_start = burst_end = GuestTime::never();
    const GuestTime due = sim.timers().next_virtual_deadline();
    const GuestTime serve = (due >= burst_start && due < burst_end) ? burst_end : due;
    GuestTime next = std::min(serve, next_sample);
    if (guest_resume > sim.now()) next = std::min(next, guest_resume);
    if (next > end) break;
    if (next > sim.now()) sim.skip(next - sim.now());
    const GuestTime now = sim.now();
    if (now >= serve && sim.timers().run_due(ClockId::kVirtual) > 0) last_pass = now;
    if (now >= burst_end) {
      result.overload += burst_end - burst_start;
      guest_resume = burst_end + uniform(rng, Duration::zero(), run.host.guest_resume_max);
      burst_start = burst_end + uniform(rng, run.host.calm_min, run.host.calm_max);
      burst_end = burst_start + uniform(rng, run.host.burst_min, run.host.burst_max);
    }
    for (const auto& e : line.events()) {
      if (!e.level) continue;
      if (!last_edge.is_never()) result.min_spacing = std::min(result.min_spacing, e.at - last_edge);
      last_edge = e.at;
    }
    line.clear_events();
    // The guest runs when the host is not overloaded: it takes a pending tick.
    const bool runnable = !(now >= burst_start && now < burst_end) && now >= guest_resume;
    if (runnable && line.awaiting_ack()) {
      ++result.guest_ticks;
      line.acknowledge();
    }
    if (now >= next_sample) {
      const Duration error = run.period * static_cast<int64_t>(result.guest_ticks) - (now - start);
      result.samples.push_back({now - start, error});
      result.worst_error = std::min(result.worst_error, error);
      next_sample += run.sample_every;
    }
  }
  sim.skip(end - sim.now());
  result.final_error = run.period * static_cast<int64_t>(result.guest_ticks) - run.length;
  result.expected_slots = static_cast<uint64_t>((last_pass - start) / run.period);
  result.rising_edges = line.rising_edges();
  result.coalesced_edges = line.coalesced();
  result.counters = counters();
  return result;
}

}  // namespace driftfix_detail

// The scenario on an HPET: timer 0 periodic, edge-triggered, on route 0.
inline DriftfixResult simulate_hpet(HpetDriftfix driftfix, const DriftfixRun& run,
                                    SlewParams slew = {}) {
  VirtualSim sim;
  GuestLog log;
  RecordingIrqLine line({.clocks = &sim.clocks()});
  Hpet::Routes routes{};
  routes[0] = &line;
  Hpet hpet(log, sim.timers(), routes, {.driftfix = driftfix, .slew = slew});
  const auto period_ticks = static_cast<uint64_t>(run.period / 10ns);
  hpet.write(hpet_reg::kGenConf, 8, hpet_reg::kEnableCnf);
  hpet.write(hpet_reg::kTimer0 + hpet_reg::kTnConfCap, 8,
             hpet_reg::kTnIntEnbCnf | hpet_reg::kTnTypeCnf | hpet_reg::kTnValSetCnf);
  hpet.write(hpet_reg::kTimer0 + hpet_reg::kTnComparator, 8, period_ticks);
  return driftfix_detail::drive(sim, line, run, [&] { return hpet.periodic_engine(0).counters(); });
}

// The scenario on a bare tick source with any policy.
inline DriftfixResult simulate_engine(const TickSource::Options& options, const DriftfixRun& run) {
  VirtualSim sim;
  RecordingIrqLine line({.clocks = &sim.clocks()});
  TickSource ticks(sim.timers(), line, options);
  ticks.start_in(run.period);
  return driftfix_detail::drive(sim, line, run, [&] { return ticks.counters(); });
}

}  // namespace vtime::testing
