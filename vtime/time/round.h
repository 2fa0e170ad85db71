// Rounding direction for every tick<->time conversion. Rule of thumb: counters
// that the guest reads round down, deadlines round up, so a timer never fires
// before the counter has reached its compare value.
#pragma once

#include <cstdint>

namespace vtime {

enum class Round { kDown, kUp };

__extension__ typedef unsigned __int128 Uint128;

// a * b / c with a 128-bit intermediate, rounded as asked; saturates at
// UINT64_MAX when the quotient does not fit. Precondition: c != 0.
constexpr uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c, Round round) {
  const Uint128 product = static_cast<Uint128>(a) * b;
  Uint128 quotient = product / c;
  if (round == Round::kUp && product % c != 0) ++quotient;
  if (quotient > UINT64_MAX) return UINT64_MAX;
  return static_cast<uint64_t>(quotient);
}

}  // namespace vtime
