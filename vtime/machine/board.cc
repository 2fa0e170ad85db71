#include "vtime/machine/board.h"

#include <fmt/format.h>

#include "vtime/machine/board_parts.h"
#include "vtime/machine/virt_map.h"
#include "vtime/riscv/isa.h"

namespace vtime {
namespace {

constexpr Duration kConsolePollPeriod = 10ms;       // host time
constexpr Duration kConsolePollGuestPeriod = 1ms;   // guest time

// The board's clocks start stopped: guest time begins when run() resumes
// them, so host time spent building the board never leaks into the guest
// (under icount sleep=off, VIRTUAL at reset is exactly 0).
VmClocks::Options stopped_clocks() {
  VmClocks::Options options;
  options.initial_state = RunState::kStopped;
  return options;
}

}  // namespace

Board::Parts::Parts(HostClock& host_clock, ConsoleBackend& console_backend,
                    const BoardOptions& opts)
    : host(host_clock),
      console(console_backend),
      options(opts),
      clocks(host_clock, stopped_clocks()),
      timers(clocks) {}

Board::Board(std::unique_ptr<Parts> parts) : p_(std::move(parts)) {}
Board::~Board() = default;

namespace {

Status validate_board_options(const BoardOptions& options) {
  if (const Status s = validate(options.icount); !s.ok()) return s;
  if (options.replay != ReplayMode::kOff && options.icount.mode != IcountMode::kFixed) {
    return Error{"record and replay need icount with a fixed shift (shift=N, not auto or off)"};
  }
  if (options.replay != ReplayMode::kOff && options.rtc.clock != ClockId::kVirtual) {
    return Error{"record and replay need the RTC on guest time (-rtc clock=vm)"};
  }
  if (options.cpu_throttle < 0 || options.cpu_throttle > CpuThrottle::kMaxPercent) {
    return Error{fmt::format("the CPU throttle must be 0 (off) or 1 to 99 percent, not {}",
                             options.cpu_throttle)};
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<Board>> Board::create(HostClock& host, ConsoleBackend& console,
                                             const BoardOptions& options,
                                             const BootImages& images) {
  if (const Status s = validate_board_options(options); !s.ok()) return Error{s.error()};
  auto parts = std::make_unique<Parts>(host, console, options);
  Parts& p = *parts;
  p.log.set_sink(options.guest_error_sink);
  p.images = images;
  if (const Status s = p.build_platform(); !s.ok()) return Error{s.error()};
  p.build_time_engine();
  p.build_harts();
  const Result<BootPlan> plan = p.platform->prepare_boot(images);
  if (!plan) return Error{plan.error()};
  for (auto& hart : p.harts) hart->invalidate_code();
  p.arm_console_polls();
  if (options.cpu_throttle > 0) p.throttle.set(options.cpu_throttle);
  p.replay.record_rtc_base(p.platform->rtc().time_ns());
  return std::unique_ptr<Board>(new Board(std::move(parts)));
}

// The virt platform (RAM, ROM, CLINT, PLIC, UART, test device) and the
// optional timer devices on its bus.
Status Board::Parts::build_platform() {
  PlatformOptions platform_options;
  platform_options.ram_bytes = options.ram_bytes;
  platform_options.harts = options.harts;
  platform_options.hart_isa = riscv::kIsaString;  // what the harts implement
  platform_options.mmu_type = "riscv,sv48";
  platform_options.bootargs = options.bootargs;
  const WallTime wall = host.wall_now();
  platform_options.rtc = {.clock = options.rtc.clock,
                          .start_ns = rtc_start_ns(options.rtc, wall, host_utc_offset(wall))};
  platform_options.extra_devices =
      TimerDevices::device_tree_nodes(options.timer_devices, options.harts);
  Result<std::unique_ptr<VirtPlatform>> created = VirtPlatform::create(
      log, timers, console_out, platform_options, [this](FinisherRequest request) {
        finish = request;
        if (running != nullptr) running->request_exit();
      });
  if (!created) return Error{created.error()};
  platform = std::move(created).value();
  timer_devices = std::make_unique<TimerDevices>(log, timers, options.timer_devices, options.harts,
                                                 virt_map::kTimebase);
  if (Status s = timer_devices->attach(platform->bus(), platform->plic()); !s.ok()) return s;
  // The pvclock counter is mtime: when the guest moves mtime, the records move
  // with it, so a pvclock reader's time stays continuous (KVM does the same for
  // a guest TSC write).
  if (PvClock* pv = timer_devices->pvclock()) {
    pv->set_counter_offset(platform->clint().mtime_offset());
    platform->clint().set_mtime_written_hook([pv](uint64_t offset) { pv->set_counter_offset(offset); });
  }
  return ok_status();
}

// The icount engine when asked for, and what stops the running hart when a
// timer is armed earlier than its slice's end. Under icount the engine cuts the
// budget exactly for arms made by the hart's own device accesses (BoardHartEnv
// follows it); arms from another thread, and every arm without icount, stop the
// hart at its next block.
void Board::Parts::build_time_engine() {
  if (options.icount.mode != IcountMode::kOff) {
    icount.emplace(clocks, timers,
                   Icount::Options{
                       .icount = options.icount,
                       .warn = [](std::string_view m) { fmt::print(stderr, "vtime: {}\n", m); },
                       .idle_wait = options.idle_wait,
                       .repay_idle_lateness = options.repay_idle_lateness,
                   });
  }
  if (icount && replay.active()) {
    Icount::IdleReplay hooks;
    hooks.record = [this](Duration advance) { replay.record_idle(advance); };
    if (replay.mode() == ReplayMode::kReplay) hooks.replay = [this] { return replay.replay_idle(); };
    icount->set_idle_replay(std::move(hooks));
  }
  // After the icount engine's subscription: the budget shrinks before the stop.
  earlier_deadlines = timers.subscribe([this](ClockId) {
    if (running != nullptr && (!icount || std::this_thread::get_id() != loop_thread)) {
      running->request_exit();
    }
  });
}

// One hart per option, each with its bus view, icount budget, interrupt lines
// into mip, and Sstc timer; then the turn order between them.
void Board::Parts::build_harts() {
  for (unsigned h = 0; h < options.harts; ++h) {
    auto env = std::make_unique<BoardHartEnv>(platform->bus(), [this] { return platform->clint().mtime(); });
    auto hart = std::make_unique<riscv::Hart>(
        *env, riscv::HartOptions{.hart_id = h, .reset_pc = virt_map::kMromBase});
    HartBudget* budget = icount ? &icount->add_hart() : nullptr;
    env->attach(*hart, budget);
    if (budget != nullptr) budgets.push_back(budget);

    auto line = [&](uint32_t irq) -> IrqLine& {
      return *lines.emplace_back(std::make_unique<MipLine>(*hart, irq));
    };
    IrqLine& msip = line(virt_map::kIrqMSoft);
    IrqLine& mtip = line(virt_map::kIrqMTimer);
    IrqLine& meip = line(virt_map::kIrqMExt);
    IrqLine& seip = line(virt_map::kIrqSExt);
    platform->connect_hart(h, HartIrqLines{.msip = msip, .mtip = mtip, .meip = meip, .seip = seip});
    SstcTimer& timer = *sstc.emplace_back(std::make_unique<SstcTimer>(timers, platform->clint(), *hart));
    env->attach_stimecmp([&timer](uint64_t value) { timer.set(value); });
    envs.push_back(std::move(env));
    harts.push_back(std::move(hart));
  }
  turns.emplace(harts.size(), icount ? &*icount : nullptr, [this](size_t h) {
    const riscv::Hart& hart = *harts[h];
    return !hart.waiting_for_interrupt() || hart.wakeup_pending();
  });
}

// Console input (and the monitor's sockets) polled every 10 ms of host time,
// and console input every 1 ms of guest time too: scripted input then arrives
// at exact guest instants, and a guest spinning at a prompt under sleep=off
// still gets it. The guest-time poll is an external timer: idle warps ignore it.
void Board::Parts::arm_console_polls() {
  // Each poll re-arms before it serves: a monitor's loadvm during the poll
  // then sets the restored deadline last.
  console_poll.emplace(timers, ClockId::kRealtime, [this](HostTime due) {
    // From the intended time, but never into the past: a poll that came late
    // (a busy host, a restored deadline) does not fire again to catch up.
    const HostTime now = clocks.realtime_now();
    const HostTime next = due + kConsolePollPeriod;
    console_poll->arm(next > now ? next : now + kConsolePollPeriod);
    // Recording or replaying, the guest takes input only at the guest-time
    // polls (deterministic instants); a replay drops what the host types.
    if (!replay.active()) {
      platform->poll_console();
    } else if (replay.mode() == ReplayMode::kReplay) {
      replay.drain_host_input();
    }
    if (host_poll) host_poll();
  });
  console_poll->arm_in(kConsolePollPeriod);
  console_poll_guest.emplace(
      timers, ClockId::kVirtual,
      [this](GuestTime due) {
        ++own_timers_fired;
        const GuestTime now = clocks.virtual_now();
        const GuestTime next = due + kConsolePollGuestPeriod;
        console_poll_guest->arm(next > now ? next : now + kConsolePollGuestPeriod);
        if (reset_pending || replay.reset_due()) {  // a monitor reset, at this recorded instant
          reset_pending = false;
          replay.record_reset();
          finish = FinisherRequest{.kind = FinisherRequest::Kind::kReset};
        }
        platform->poll_console();
      },
      TimerOptions{.attributes = TimerAttribute::kExternal});
  console_poll_guest->arm(GuestTime::epoch() + kConsolePollGuestPeriod);
}

Status Board::reboot() {
  Parts& p = *p_;
  ++p.reboots;
  p.platform->reset_devices();
  const Result<BootPlan> plan = p.platform->prepare_boot(p.images);
  if (!plan) return Error{plan.error()};
  for (auto& hart : p.harts) hart->reset();
  for (auto& sstc : p.sstc) sstc->reset();
  p.turns->reset();
  if (PvClock* pv = p.timer_devices->pvclock()) pv->update();  // RAM was cleared
  return ok_status();
}

GuestTime Board::guest_now() const { return p_->clocks.virtual_now(); }

std::optional<uint64_t> Board::debug_read(uint64_t paddr, unsigned size) {
  const BusRead r = p_->platform->bus().read(paddr, size);
  if (r.status != BusStatus::kOk) return std::nullopt;
  return r.value;
}

CpuThrottle& Board::throttle() { return p_->throttle; }

void Board::request_quit() {
  p_->quit = true;
  if (p_->running != nullptr) p_->running->request_exit();
}

void Board::stop() { p_->clocks.stop(); }

void Board::pause() {
  if (p_->paused) return;
  p_->paused = true;
  p_->clocks.stop();
  if (p_->running != nullptr) p_->running->request_exit();
}

void Board::unpause() {
  if (!p_->paused) return;
  p_->paused = false;
  p_->clocks.resume();
}

bool Board::paused() const { return p_->paused; }

void Board::request_reset() {
  // Recording: at the next guest-time poll, where a replay can do it again;
  // replaying: the log's resets are the only ones.
  if (p_->replay.mode() == ReplayMode::kRecord) {
    p_->reset_pending = true;
    return;
  }
  if (p_->replay.mode() == ReplayMode::kReplay) return;
  p_->finish = FinisherRequest{.kind = FinisherRequest::Kind::kReset};
  if (p_->running != nullptr) p_->running->request_exit();
}

void Board::set_host_poll(std::function<void()> poll) { p_->host_poll = std::move(poll); }

size_t Board::hart_count() const { return p_->harts.size(); }
const riscv::Hart& Board::hart(size_t index) const { return *p_->harts.at(index); }
VmClocks& Board::clocks() { return p_->clocks; }
TimerGroup& Board::timers() { return p_->timers; }
Icount* Board::icount() { return p_->icount ? &*p_->icount : nullptr; }
const BoardOptions& Board::options() const { return p_->options; }
void Board::resume() { p_->clocks.resume(); }

std::vector<uint8_t> Board::replay_log() {
  return encode_replay_log(p_->options, p_->replay.finish_recording());
}

Status Board::start_replay(std::span<const uint8_t> log) {
  Result<std::vector<ReplayEvent>> events = decode_replay_log(p_->options, log);
  if (!events) return Error{events.error()};
  p_->replay.start_replay(std::move(events).value());
  if (const std::optional<uint64_t> rtc = p_->replay.take_rtc_base()) p_->platform->rtc().set_time_ns(*rtc);
  return ok_status();
}

BoardStats Board::stats() const {
  Parts& p = *p_;  // reading clocks is logically const
  BoardStats s;
  s.guest_time = p.clocks.virtual_now().since_epoch();
  s.host_time = p.host_time;
  s.host_idle = p.host_idle;
  for (const auto& hart : p.harts) s.instructions += hart->retired();
  s.timers_fired = p.timers_fired - p.own_timers_fired;  // the guest's devices' timers
  s.time_warped = p.time_warped;
  s.time_slept_align = p.time_slept_align;
  s.cpu_throttle = p.throttle.percentage();
  s.time_slept_throttle = p.throttle.total_slept();
  s.icount_text = p.icount ? format_icount_options(p.options.icount) : "off";
  if (p.icount) s.alignment = p.icount->align_summary();
  s.guest_errors = p.log.count();
  s.reboots = p.reboots;
  const DeadlineWaiter& waiter = p.active_idle_waiter();
  const DeadlineWaiter::Stats& w = waiter.stats();
  s.idle = {.waits = w.deadline_waits,
            .margin = waiter.margin(),
            .spun = w.spun,
            .waited = w.waited,
            .late_p50 = w.lateness.quantile(0.5),
            .late_p99 = w.lateness.quantile(0.99),
            .late_max = w.lateness.max(),
            .late_wakeups = w.late_wakeups,
            .punctual = w.punctual_waits,
            .lateness = p.icount ? p.icount->idle_lateness() : Duration(0),
            .repaid = p.icount ? p.icount->idle_repaid() : Duration(0),
            .owed = p.icount ? p.icount->idle_owed() : Duration(0)};
  return s;
}

}  // namespace vtime
