// Duration: a signed span of time in nanoseconds (+/-292 years), the one unit
// every layer of vtime uses for spans. It is std::chrono::nanoseconds, so
// literals (250us, 3ms) and chrono arithmetic work, and no raw integer converts
// to it implicitly.
#pragma once

#include <chrono>
#include <cstdint>

namespace vtime {

using Duration = std::chrono::nanoseconds;
using namespace std::chrono_literals;

inline constexpr Duration kNanosecond = Duration(1);
inline constexpr Duration kSecond = std::chrono::seconds(1);

// Saturating addition and subtraction: the result clamps to Duration::min()/max()
// instead of wrapping, so "far future" stays far future.
constexpr Duration saturating_add(Duration a, Duration b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a.count(), b.count(), &r)) {
    return b.count() > 0 ? Duration::max() : Duration::min();
  }
  return Duration(r);
}

constexpr Duration saturating_sub(Duration a, Duration b) {
  int64_t r = 0;
  if (__builtin_sub_overflow(a.count(), b.count(), &r)) {
    return b.count() < 0 ? Duration::max() : Duration::min();
  }
  return Duration(r);
}

}  // namespace vtime
