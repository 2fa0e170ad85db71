// IcountOptions: the `--icount` option in QEMU's syntax, parsed and
// checked once at the command boundary:
//   shift=N|auto  align=on|off  sleep=on|off      (QEMU; a bare first item is the shift)
//   auto=qemu|pi  align-threshold=<span>  quantum=<span>    (vtime extensions)
// Defaults are QEMU's (sleep on, align off, adaptive start at shift 3). Each
// contradiction is rejected with one sentence, including the two QEMU documents
// but does not enforce. rr=/rrfile=/rrsnapshot= are recognised and refused
// until record/replay exists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vtime/time/duration.h"
#include "vtime/time/result.h"

namespace vtime {

enum class IcountMode : uint8_t {
  kOff,       // VIRTUAL is host running time (no shift given)
  kFixed,     // shift=N: every instruction is worth 2^N ns
  kAdaptive,  // shift=auto: the rate follows the host (see RateControllerKind)
};

enum class RateControllerKind : uint8_t {
  kQemu,  // QEMU's: integer shift, +/-1 per adjust with a 100 ms wobble
  kPi,    // vtime's: fractional ns per instruction, proportional-integral loop
};

struct IcountOptions {
  static constexpr int kMaxShift = 10;
  static constexpr int kAdaptiveInitialShift = 3;
  static constexpr Duration kDefaultAlignThreshold = 3ms;
  static constexpr Duration kDefaultQuantum = 1ms;

  IcountMode mode = IcountMode::kOff;
  int shift = 0;  // kFixed: 0..10; kAdaptive: the starting shift (3)
  RateControllerKind controller = RateControllerKind::kQemu;
  bool align = false;  // pace the guest so it never leads the host by more than align_threshold
  bool sleep = true;   // idle harts: follow host time (on) or jump to the next deadline (off)
  Duration align_threshold = kDefaultAlignThreshold;
  // Round-robin slice per hart in VIRTUAL time when several harts are runnable.
  Duration quantum = kDefaultQuantum;
};

// Parses "shift=3,sleep=off" etc. The empty string is an error (the option
// needs at least a shift). Never throws; the error is one sentence.
Result<IcountOptions> parse_icount_options(std::string_view text);

// Checks a programmatically built IcountOptions with the same sentences.
Status validate(const IcountOptions& options);

// Canonical text that parse_icount_options() reads back to the same options
// (IcountMode::kOff formats as "off", which is not an option string).
std::string format_icount_options(const IcountOptions& options);

}  // namespace vtime
