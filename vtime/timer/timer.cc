#include "vtime/timer/timer.h"

#include "vtime/timer/timer_list.h"

namespace vtime {

// TimerBase(TimerGroup&, ...) and clock_now_raw() live in timer_group.cc, the
// one file that needs VmClocks, so a stand-alone list links without it.

TimerBase::TimerBase(TimerList& list, RawCallback callback, TimerOptions options)
    : list_(&list), options_(options), callback_(std::move(callback)) {
  assert(callback_ && "a timer needs a callback");
  list_->attach(*this);
}

TimerBase::~TimerBase() { list_->detach(*this); }

ClockId TimerBase::clock() const { return list_->clock(); }

const TimerOptions& TimerBase::options() const { return options_; }

void TimerBase::cancel() { list_->cancel(*this); }

bool TimerBase::pending() const {
  return due_.load(std::memory_order_relaxed) != Duration::max().count();
}

void TimerBase::arm_raw(Duration due) { list_->arm(*this, due); }

bool TimerBase::arm_earlier_only_raw(Duration due) { return list_->arm_earlier_only(*this, due); }

Duration TimerBase::expire_raw() const { return Duration(due_.load(std::memory_order_relaxed)); }

}  // namespace vtime
