// CountdownTimer: a down-counter that reloads from a limit, with QEMU ptimer
// semantics: period in ns with a 32.32 fraction or a frequency,
// one-shot and periodic runs, begin/commit transactions that recompute the
// deadline once, the 10 µs minimum periodic countdown, and QEMU's six policy
// behaviours chosen by name. The counter is derived from VIRTUAL time on read;
// nothing ticks. The trigger callback runs inside a transaction, so it may call
// the mutators directly (they are re-evaluated after it returns, iteratively).
// Edges: a period of zero (whole and fraction) stops the timer with a guest
// error, as QEMU's ptimer does; any countdown lasts at least 1 ns, so a period
// under VIRTUAL's resolution can never re-arm at the instant it fired.
// Leaves out: migration state, the per-device clock tree (set_period_from_clock).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "vtime/devices/guest_log.h"
#include "vtime/time/frequency.h"
#include "vtime/time/result.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {

// QEMU's policy flags as named behaviours (none set = QEMU's "legacy").
struct CountdownPolicy {
  bool wrap_after_one_period = false;      // periodic: sit at 0 one extra period per wrap
  bool continuous_trigger = false;         // periodic, limit 0: trigger every period
  bool no_immediate_trigger = false;       // reaching or being set to 0 does not trigger at once
  bool no_immediate_reload = false;        // a 0 count reloads one period later, not at once
  bool no_counter_round_down = false;      // a running counter reads rounded up, not one less
  bool trigger_only_on_decrement = false;  // only counting down to 0 triggers, not a write/start

  // QEMU forbids no_immediate_trigger together with trigger_only_on_decrement.
  constexpr bool valid() const { return !(no_immediate_trigger && trigger_only_on_decrement); }
  friend constexpr bool operator==(const CountdownPolicy&, const CountdownPolicy&) = default;
};

// "legacy", or a comma-separated list of the member names above.
Result<CountdownPolicy> parse_countdown_policy(std::string_view names);
std::string countdown_policy_names(const CountdownPolicy& policy);

enum class CountdownMode : uint8_t { kStopped, kPeriodic, kOneShot };
// How count() divides the remaining time by a fractional period. Both round
// down; kQemu64 reproduces QEMU's 64-bit normalised division, which reads
// lower than the exact quotient for long countdowns with a fractional period.
enum class CountDivision : uint8_t { kExact, kQemu64 };
enum class LimitReload : uint8_t { kKeepCount, kReloadCount };

class CountdownTimer {
 public:
  using Trigger = std::function<void()>;
  struct Options {
    CountdownPolicy policy = {};
    // A periodic countdown shorter than this is stretched to it (QEMU's rate
    // clamp against host overload). Duration::zero() turns it off, as icount
    // and deterministic runs want. The stretched period keeps its 32.32
    // fraction (min / counts), so it never rounds to zero.
    Duration min_periodic_countdown = 10us;
    CountDivision division = CountDivision::kExact;
    GuestLog* log = nullptr;  // "period zero" guest errors
  };

  // `trigger` is required; the policy must be valid() (asserted).
  CountdownTimer(TimerGroup& group, Trigger trigger, Options options);
  CountdownTimer(const CountdownTimer&) = delete;
  CountdownTimer& operator=(const CountdownTimer&) = delete;

  // Every mutator must run between begin() and commit() (asserted); commit
  // recomputes the deadline once. Transactions do not nest.
  void begin();
  void commit();
  class Transaction {
   public:
    explicit Transaction(CountdownTimer& t) : t_(t) { t_.begin(); }
    ~Transaction() { t_.commit(); }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

   private:
    CountdownTimer& t_;
  };

  // --- Mutators (inside a transaction) -----------------------------------
  // Period of one count: `whole` plus `frac` / 2^32 ns. The current count is
  // kept; a running timer restarts its countdown from now (the elapsed part
  // of the current period is lost, as in QEMU).
  void set_period(Duration whole, uint32_t frac = 0);
  // Period = 1 s / freq in 32.32 fixed point, rounded down. Zero Hz: asserted.
  void set_frequency(Frequency freq);
  // kReloadCount also loads the counter (and restarts a running countdown);
  // kKeepCount only changes the value used at the next wrap.
  void set_limit(uint64_t limit, LimitReload reload);
  void set_count(uint64_t count);
  // Starts (kPeriodic or kOneShot). Switching the mode of a running timer keeps
  // its schedule. Starting with a zero period logs a guest error and stays stopped.
  void run(CountdownMode mode);
  // Freezes the counter at its current value (policy rounding applies).
  void stop();

  // --- Reads (anywhere) ----------------------------------------------------
  // The counter now: rounded down while running (one less than a naive
  // reading, QEMU's legacy quirk) unless no_counter_round_down.
  uint64_t count();
  uint64_t limit() const { return limit_; }
  CountdownMode mode() const { return mode_; }
  Duration period() const { return period_; }
  uint32_t period_frac() const { return frac_; }
  // The deadline of the running countdown (never() when stopped).
  GuestTime deadline() const { return timer_.expire_time(); }
  const CountdownPolicy& policy() const { return options_.policy; }

 private:
  enum class Adjust : int8_t { kExpiryFixed = -1, kCommit = 0, kExpiry = 1 };
  void on_expiry();
  void reload(Adjust adj);
  bool periodic() const { return mode_ == CountdownMode::kPeriodic; }
  // Period and fraction after the minimum-countdown clamp for `counts` counts.
  void effective_period(uint64_t counts, Duration& period, uint32_t& frac) const;
  GuestTime now() const;

  TimerGroup& group_;
  Trigger trigger_;
  Options options_;
  CountdownMode mode_ = CountdownMode::kStopped;
  uint64_t limit_ = 0;
  uint64_t delta_ = 0;  // count at the last (re)load; the live count when stopped
  Duration period_{0};
  uint32_t frac_ = 0;   // units of 2^-32 ns
  GuestTime last_event_;
  GuestTime next_event_;
  bool in_transaction_ = false;
  bool need_reload_ = false;
  GuestTimer timer_;
};

}  // namespace vtime
