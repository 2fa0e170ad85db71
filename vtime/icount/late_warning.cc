#include "vtime/icount/late_warning.h"

#include <fmt/format.h>

namespace vtime {

std::optional<std::string> LateWarning::check(GuestTime now, Duration late) {
  if (late <= quiet_) {
    band_ = 0;  // caught up: the next lateness is news again
    return std::nullopt;
  }
  if (have_printed_ && now - last_print_ < kMinInterval) return std::nullopt;
  const double late_s = static_cast<double>(late.count()) * 1e-9;
  const auto band = static_cast<double>(band_);
  if (band_ != 0 && late_s <= band && late_s >= band - kBandHysteresisS) return std::nullopt;
  band_ = late.count() / 1'000'000'000 + 1;
  have_printed_ = true;
  last_print_ = now;
  ++printed_;
  return fmt::format("The guest is now late by {:.1f} to {:.1f} seconds",
                     static_cast<double>(band_ - 1), static_cast<double>(band_));
}


void LateWarning::save(StateWriter& out) const {
  out.i64(band_);
  out.boolean(have_printed_);
  out.guest_time(last_print_);
  out.u64(printed_);
}

void LateWarning::load(StateReader& in) {
  const int64_t band = in.i64();
  const bool have_printed = in.boolean();
  const GuestTime last = in.guest_time();
  const uint64_t printed = in.u64();
  if (!in.ok()) return;
  band_ = band;
  have_printed_ = have_printed;
  last_print_ = last;
  printed_ = printed;
}

}  // namespace vtime
