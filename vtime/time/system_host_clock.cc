#include "vtime/time/system_host_clock.h"

#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace vtime {
namespace {

Duration read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return std::chrono::seconds(ts.tv_sec) + Duration(ts.tv_nsec);
}

timespec to_timespec(Duration d) {
  if (d < Duration(0)) d = Duration(0);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(d);
  return timespec{.tv_sec = static_cast<time_t>(secs.count()),
                  .tv_nsec = static_cast<long>((d - secs).count())};
}

// Linux stretches a thread's timed waits by its timer slack (50 us by
// default) to batch wake-ups; a guest timer waits with 1 ns of slack instead.
// The slack is per thread, so each waiting thread sets its own, once.
void use_minimal_timer_slack() {
  thread_local bool done = false;
  if (done) return;
  done = true;
  prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
}

}  // namespace

SystemHostClock::SystemHostClock() {
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  step_fd_ = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
  last_offset_ = wall_minus_monotonic();
  arm_step_detector();
}

SystemHostClock::~SystemHostClock() {
  if (wake_fd_ >= 0) close(wake_fd_);
  if (step_fd_ >= 0) close(step_fd_);
}

HostTime SystemHostClock::now() { return HostTime::from_epoch(read_clock(CLOCK_MONOTONIC)); }

WallTime SystemHostClock::wall_now() { return WallTime::from_epoch(read_clock(CLOCK_REALTIME)); }

Duration SystemHostClock::wall_minus_monotonic() {
  return read_clock(CLOCK_REALTIME) - read_clock(CLOCK_MONOTONIC);
}

void SystemHostClock::arm_step_detector() {
  if (step_fd_ < 0) return;
  // An absolute timer far in the future: it never expires, but the kernel
  // cancels it (read() fails with ECANCELED) whenever CLOCK_REALTIME is set.
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(INT32_MAX);
  timerfd_settime(step_fd_, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr);
}

void SystemHostClock::handle_step_detector() {
  uint64_t expirations = 0;
  const ssize_t n = read(step_fd_, &expirations, sizeof expirations);
  if (n >= 0 || errno != ECANCELED) return;
  Duration step{0};
  {
    std::lock_guard lock(step_mutex_);
    const Duration offset = wall_minus_monotonic();
    step = offset - last_offset_;
    last_offset_ = offset;
    arm_step_detector();
  }
  if (step != Duration(0)) report_wall_step(step);
}

bool SystemHostClock::set_punctual(bool on) {
  thread_local int normal_policy = -1;  // the thread's own policy, saved when it was first raised
  thread_local bool refused = false;
  if (on) {
    if (refused) return false;
    if (normal_policy < 0) normal_policy = sched_getscheduler(0);
    const sched_param rt{.sched_priority = sched_get_priority_min(SCHED_FIFO)};
    if (sched_setscheduler(0, SCHED_FIFO, &rt) != 0) {
      refused = true;  // not permitted here: plain waits from now on
      return false;
    }
    return true;
  }
  if (normal_policy >= 0 && !refused) {
    const sched_param normal{.sched_priority = 0};
    sched_setscheduler(0, normal_policy == SCHED_FIFO ? SCHED_OTHER : normal_policy, &normal);
  }
  return false;
}

void SystemHostClock::poll_wall_step() {
  if (step_fd_ >= 0) handle_step_detector();
}

void SystemHostClock::sleep_until(HostTime t) {
  const timespec ts = to_timespec(t.since_epoch());
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

WakeReason SystemHostClock::wait_until(HostTime deadline) {
  use_minimal_timer_slack();
  for (;;) {
    pollfd fds[2] = {{.fd = wake_fd_, .events = POLLIN, .revents = 0},
                     {.fd = step_fd_, .events = POLLIN, .revents = 0}};
    timespec timeout{};
    timespec* timeout_ptr = nullptr;
    if (!deadline.is_never()) {
      const HostTime t = now();
      if (deadline <= t) return WakeReason::kDeadline;
      timeout = to_timespec(deadline - t);
      timeout_ptr = &timeout;
    }
    const int ready = ppoll(fds, step_fd_ >= 0 ? 2 : 1, timeout_ptr, nullptr);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      if (deadline.is_never()) continue;
      if (now() >= deadline) return WakeReason::kDeadline;
      continue;  // ppoll rounds; go round until the deadline has really passed
    }
    if (fds[1].revents != 0) handle_step_detector();
    if (fds[0].revents != 0 && take_wake()) return WakeReason::kWoken;
  }
}

bool SystemHostClock::take_wake() {
  uint64_t count = 0;
  bool woken = false;
  while (read(wake_fd_, &count, sizeof count) > 0) woken = true;
  return woken;
}

WakeReason SystemHostClock::spin_until(HostTime t) {
  // One non-blocking read of the eventfd per look at the clock: a spin lasts
  // microseconds, and a wake() during it must not wait for the next wait_until().
  while (now() < t) {
    if (take_wake()) return WakeReason::kWoken;
  }
  return WakeReason::kDeadline;
}

void SystemHostClock::wake() {
  const uint64_t one = 1;
  // The eventfd counter saturates harmlessly; a failed write means one is pending.
  [[maybe_unused]] const ssize_t n = write(wake_fd_, &one, sizeof one);
}

}  // namespace vtime
