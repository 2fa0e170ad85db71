// GoogleTest printers for vtime's time types, so failures show nanoseconds
// instead of raw bytes. Found by argument-dependent lookup.
#pragma once

#include <ostream>

#include "vtime/time/instant.h"

namespace vtime {

template <class Domain>
void PrintTo(const Instant<Domain>& t, std::ostream* os) {
  if (t.is_never()) *os << "never";
  else *os << t.since_epoch().count() << " ns";
}

}  // namespace vtime
