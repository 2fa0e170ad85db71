#include "vtime/icount/turn_scheduler.h"

#include <cassert>
#include <string>

namespace vtime {

TurnScheduler::TurnScheduler(size_t harts, Icount* icount, Runnable runnable)
    : harts_(harts), icount_(icount), runnable_(std::move(runnable)) {
  assert(harts_ > 0 && runnable_);
}

std::optional<size_t> TurnScheduler::first_runnable_from(size_t first) const {
  for (size_t h = first; h < harts_; ++h) {
    if (runnable_(h)) return h;
  }
  return std::nullopt;
}

bool TurnScheduler::start_round() {
  turn_ = 0;
  uint32_t count = 0;
  for (size_t h = 0; h < harts_; ++h) count += runnable_(h) ? 1 : 0;
  if (count == 0) return false;
  ++rounds_;
  if (icount_ != nullptr) icount_->set_runnable_harts(count);
  return true;
}

std::optional<size_t> TurnScheduler::current() {
  if (open_) return turn_;
  // Hart 0 opens every round, so the runnable count is taken there; later in
  // the round the search goes on from the hart after the last turn.
  std::optional<size_t> next = turn_ > 0 ? first_runnable_from(turn_) : std::nullopt;
  if (!next) {
    if (!start_round()) return std::nullopt;
    next = first_runnable_from(0);
  }
  turn_ = *next;
  open_ = true;
  if (icount_ != nullptr) icount_->begin_turn();
  return turn_;
}

void TurnScheduler::ran(HartStop why) {
  assert(open_);
  const bool over =
      icount_ == nullptr || why == HartStop::kWaitForInterrupt || icount_->turn_over();
  if (!over) return;
  open_ = false;
  ++turn_;  // past the last hart: the next current() starts a round
}

void TurnScheduler::reset() {
  turn_ = 0;
  open_ = false;
}


void TurnScheduler::save(StateWriter& out) const {
  out.u64(harts_);
  out.u64(turn_);
  out.boolean(open_);
  out.u64(rounds_);
}

void TurnScheduler::load(StateReader& in) {
  in.expect_equal(in.u64(), harts_, "the number of harts taking turns");
  const uint64_t turn = in.u64();
  const bool open = in.boolean();
  const uint64_t rounds = in.u64();
  // Past the last hart is where a round ends, but no turn is open there.
  if (in.ok() && (turn > harts_ || (open && turn == harts_))) {
    in.fail("the turn belongs to hart " + std::to_string(turn) + ", which does not exist");
  }
  if (!in.ok()) return;
  turn_ = static_cast<size_t>(turn);
  open_ = open;
  rounds_ = rounds;
}

}  // namespace vtime
