#include "vtime/icount/aligner.h"

#include <algorithm>

namespace vtime {

Aligner::Aligner(HostClock& host, Reference virtual_rt, Options options)
    : host_(host),
      virtual_rt_(std::move(virtual_rt)),
      options_(std::move(options)),
      late_(options_.threshold) {}

Duration Aligner::pace(GuestTime virtual_now) {
  const GuestTime reference = virtual_rt_();
  const Duration lead = virtual_now - reference;
  stats_.record_lead(lead);
  if (auto message = late_.check(reference, -lead)) {
    stats_.record_warning();
    if (options_.warn) options_.warn(*message);
  }
  if (!options_.align || lead <= options_.threshold) return Duration(0);
  // Ask for less than the lead by the wake-up latency seen so far, so the host
  // does not routinely overshoot and leave the guest late.
  const Duration ask = std::max(lead - latency_, Duration(0));
  const HostTime start = host_.now();
  host_.sleep_until(start + ask);
  const Duration slept = host_.now() - start;
  // Exponential average (weight 1/4) of the overshoot.
  const Duration overshoot = std::max(slept - ask, Duration(0));
  latency_ = (3 * latency_ + overshoot) / 4;
  stats_.record_sleep(slept);
  total_slept_ += slept;
  return slept;
}


void Aligner::save(StateWriter& out) const {
  stats_.save(out);
  late_.save(out);
  out.duration(latency_);
  out.duration(total_slept_);
}

void Aligner::load(StateReader& in) {
  AlignStats stats;
  stats.load(in);
  LateWarning late = late_;
  late.load(in);
  const Duration latency = in.duration(), slept = in.duration();
  if (!in.ok()) return;
  stats_ = stats;
  late_ = late;
  latency_ = latency;
  total_slept_ = slept;
}

}  // namespace vtime
