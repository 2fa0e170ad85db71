// TurnScheduler: which hart runs next when the harts of a machine take turns
// on one host thread. Every choice follows from guest events only - a hart
// using up its quantum, a hart starting to wait for an interrupt - so under
// icount sleep=off a run is the same whatever the host does.
//
// A round visits the harts in index order and gives each runnable one a turn
// (Icount::begin_turn: one quantum of instructions). A run that ends for any
// other reason - a VIRTUAL deadline, a host-clock deadline, a kick from a host
// event - does not end the turn: the next call to current() returns the same
// hart, which goes on with what is left of its quantum. Which harts are
// runnable is sampled only where a turn or a round starts, and the round start
// also sets the per-instruction charge (Icount::set_runnable_harts).
// Without icount every run is a whole turn (no quantum to count).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "vtime/state/state_stream.h"
#include "vtime/icount/icount.h"

namespace vtime {

class TurnScheduler {
 public:
  // `runnable(h)`: hart h is not waiting for an interrupt, or has one pending.
  using Runnable = std::function<bool(size_t)>;

  // `icount` may be null (no instruction counting); it must outlive this.
  TurnScheduler(size_t harts, Icount* icount, Runnable runnable);

  // The hart to run now: the open turn's, or the next runnable hart's (a new
  // turn; past the last hart, a new round). std::nullopt when every hart waits
  // for an interrupt: the caller idles, then asks again.
  std::optional<size_t> current();
  // After the run of current()'s hart: with icount, Icount::finish() has
  // already been called for it.
  void ran(HartStop why);
  // Back to the start of a round with no turn open (a machine reset).
  void reset();

  size_t harts() const { return harts_; }
  // A turn was opened by current() and has not ended yet.
  bool turn_open() const { return open_; }
  // Rounds started so far (reset() does not clear it).
  uint64_t rounds() const { return rounds_; }
  // Snapshot: the open turn and the round count (docs/snapshot.md).
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  std::optional<size_t> first_runnable_from(size_t first) const;
  bool start_round();

  size_t harts_;
  Icount* icount_;
  Runnable runnable_;
  size_t turn_ = 0;  // the hart whose turn is open, or where the search for the next one starts
  bool open_ = false;
  uint64_t rounds_ = 0;
};

}  // namespace vtime
