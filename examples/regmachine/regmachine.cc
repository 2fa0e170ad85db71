// regmachine: a made-up CPU with twelve instructions, a countdown timer and one
// interrupt, given QEMU-style `-icount shift=N,sleep=on|off,align=on` time by
// libvtime. Everything the CPU model has to do for it is in Cpu::run() (charge
// instructions, sync() before a device access, stop when the budget is used)
// and main() (the run loop: grant, run, finish; idle when it waits; timers;
// pace). Under sleep=off its output is exact and the same on every run.
//   regmachine [ICOUNT]        e.g. "shift=3,sleep=off" (the default) or "shift=0,align=on"
#include <cstdio>
#include <string>
#include <vector>

#include "vtime/clock/vm_clocks.h"
#include "vtime/devices/countdown_timer.h"
#include "vtime/icount/icount.h"
#include "vtime/time/system_host_clock.h"
#include "vtime/timer/timer_group.h"

namespace {

enum class Op { kLi, kAdd, kAddi, kJnz, kJmp, kOut, kTimer, kTime, kWait, kIret, kHalt, kNop };
struct Insn {
  Op op;
  int a = 0;        // register
  int b = 0;        // register
  int64_t imm = 0;  // immediate or jump target
};

// The program: a timer interrupt every 50 us adds 1 to r7; the main loop
// sums 1..200 into r1 between waits for the interrupt, and prints the tick
// count and the guest time each time round, five times.
const std::vector<Insn> kProgram = {
    /* 0 */ {Op::kLi, 2, 0, 50'000},  // r2 = timer period in ns
    /* 1 */ {Op::kTimer, 2},          // start the periodic timer
    /* 2 */ {Op::kLi, 5, 0, 5},       // r5 = rounds left
    /* 3 */ {Op::kLi, 1, 0, 0},       // loop: r1 = 0
    /* 4 */ {Op::kLi, 3, 0, 200},     //       r3 = 200
    /* 5 */ {Op::kAdd, 1, 3},         // sum:  r1 += r3
    /* 6 */ {Op::kAddi, 3, 0, -1},    //       r3 -= 1
    /* 7 */ {Op::kJnz, 3, 0, 5},      //       while r3
    /* 8 */ {Op::kWait},              // sleep until the interrupt
    /* 9 */ {Op::kTime, 6},           // r6 = guest time (ns)
    /* 10 */ {Op::kOut, 7},           // print the ticks ...
    /* 11 */ {Op::kOut, 6},           // ... and the time
    /* 12 */ {Op::kAddi, 5, 0, -1},
    /* 13 */ {Op::kJnz, 5, 0, 3},
    /* 14 */ {Op::kHalt},
    /* 15 */ {Op::kNop},
    /* 16 */ {Op::kAddi, 7, 0, 1},    // the interrupt handler: r7 += 1
    /* 17 */ {Op::kIret},
};
constexpr int64_t kHandler = 16;

class Cpu {
 public:
  Cpu(vtime::HartBudget& budget, vtime::VmClocks& clocks, vtime::TimerGroup& timers)
      : budget_(budget), clocks_(clocks),
        timer_(timers, [this] { irq_ = true; }, {.min_periodic_countdown = vtime::Duration(0)}) {}

  bool waiting() const { return waiting_ && !irq_; }
  bool halted() const { return halted_; }
  uint64_t executed() const { return executed_; }

  // Runs until the budget is used, the CPU waits for the interrupt, or halts.
  vtime::HartStop run() {
    while (!halted_) {
      if (irq_ && !in_handler_) {  // take the interrupt between instructions
        irq_ = false;
        waiting_ = false;
        in_handler_ = true;
        saved_pc_ = pc_;
        pc_ = kHandler;
      }
      if (waiting_) return vtime::HartStop::kWaitForInterrupt;
      if (!budget_.fits(1)) return vtime::HartStop::kBudget;
      budget_.charge(1);  // one instruction, charged before it runs
      ++executed_;
      step(kProgram[static_cast<size_t>(pc_++)]);
    }
    return vtime::HartStop::kWaitForInterrupt;
  }

 private:
  void step(const Insn& i) {
    switch (i.op) {
      case Op::kLi: r_[i.a] = i.imm; break;
      case Op::kAdd: r_[i.a] += r_[i.b]; break;
      case Op::kAddi: r_[i.a] += i.imm; break;
      case Op::kJnz: if (r_[i.a] != 0) pc_ = i.imm; break;
      case Op::kJmp: pc_ = i.imm; break;
      case Op::kOut: std::printf("r%d = %lld\n", i.a, static_cast<long long>(r_[i.a])); break;
      case Op::kTimer: {  // a device access: the device must see this instruction's time
        budget_.sync();
        vtime::CountdownTimer::Transaction t(timer_);
        timer_.set_period(vtime::Duration(1));
        timer_.set_limit(static_cast<uint64_t>(r_[i.a]), vtime::LimitReload::kReloadCount);
        timer_.run(vtime::CountdownMode::kPeriodic);
        break;
      }
      case Op::kTime:
        budget_.sync();
        r_[i.a] = clocks_.virtual_now().since_epoch().count();
        break;
      case Op::kWait: waiting_ = !irq_; break;
      case Op::kIret: in_handler_ = false; pc_ = saved_pc_; break;
      case Op::kHalt: halted_ = true; break;
      case Op::kNop: break;
    }
  }

  vtime::HartBudget& budget_;
  vtime::VmClocks& clocks_;
  vtime::CountdownTimer timer_;
  int64_t r_[8] = {};
  int64_t pc_ = 0, saved_pc_ = 0;
  bool irq_ = false, waiting_ = false, in_handler_ = false, halted_ = false;
  uint64_t executed_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  const std::string spec = argc > 1 ? argv[1] : "shift=3,sleep=off";
  const vtime::Result<vtime::IcountOptions> options = vtime::parse_icount_options(spec);
  if (!options) {
    std::fprintf(stderr, "regmachine: -icount %s: %s\n", spec.c_str(), options.error().c_str());
    return 2;
  }
  vtime::SystemHostClock host;
  // Stopped until the CPU exists, so guest time starts at exactly 0.
  vtime::VmClocks clocks(host, {.initial_state = vtime::RunState::kStopped});
  vtime::TimerGroup timers(clocks);
  vtime::Icount icount(clocks, timers, {.icount = *options});
  Cpu cpu(icount.add_hart(), clocks, timers);
  clocks.resume();

  // The run loop contract of vtime/icount/icount.h, for one CPU.
  icount.set_runnable_harts(1);
  while (!cpu.halted()) {
    timers.run_due(vtime::ClockId::kVirtual);
    if (!cpu.waiting()) {
      icount.grant(icount.hart(0));
      icount.finish(icount.hart(0), cpu.run());
    } else {
      icount.idle();  // sleep=off: jump to the timer; sleep=on: wait for it on the host
    }
    timers.run_all_due();
    icount.pace();  // align=on: sleep off a lead over the host
  }
  std::printf("halted after %llu instructions at %lld ns of guest time\n",
              static_cast<unsigned long long>(cpu.executed()),
              static_cast<long long>(clocks.virtual_now().since_epoch().count()));
  std::fputs(vtime::format_align_summary(icount.align_summary()).c_str(), stdout);
  return 0;
}
