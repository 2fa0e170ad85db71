// request_exit() and set_pending() may be called from another thread while the
// hart runs: the run stops, or the interrupt is taken, at a block boundary.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/riscv/test_env.h"
#include "vtime/riscv/hart.h"

namespace vtime::riscv::test {
namespace {

TEST(HartThreads, ExitRequestedFromAnotherThreadStopsTheRun) {
  Rig rig;
  rig.env.put_words(kRamBase, {0x00150513, 0xffdff06f});  // addi a0, a0, 1; j .-4
  std::atomic<bool> started{false};
  std::thread other([&] {
    while (!started.load()) std::this_thread::yield();
    rig.hart.request_exit();
  });
  uint64_t runs = 0;
  for (;;) {
    const RunResult r = rig.hart.run(1000);
    started.store(true);
    ++runs;
    if (r.reason == StopReason::kExitRequested) break;
    ASSERT_EQ(r.executed, 1000u);
  }
  other.join();
  EXPECT_GE(runs, 1u);
}

TEST(HartThreads, InterruptRaisedFromAnotherThreadIsTaken) {
  Rig rig;
  rig.hart.set_reg(5, kRamBase + 0x100);     // t0: mtvec
  rig.hart.set_reg(6, irq::kMeip);           // t1: mie
  rig.hart.set_reg(7, mstatus::kMie);        // t2: mstatus
  rig.env.put_words(kRamBase, {0x30529073 /* csrw mtvec, t0 */, 0x30431073 /* csrw mie, t1 */,
                               0x3003a073 /* csrs mstatus, t2 */, 0x0000006f /* j . */});
  rig.env.put_words(kRamBase + 0x100, {0x0000006f});  // j .
  std::atomic<bool> started{false};
  std::thread other([&] {
    while (!started.load()) std::this_thread::yield();
    rig.hart.set_pending(irq::kMeip, true);
  });
  while (rig.hart.csrs().mcause != (cause::kInterrupt | 11)) {
    rig.hart.run(1000);
    started.store(true);
  }
  other.join();
  EXPECT_EQ(rig.hart.pc(), kRamBase + 0x100);
}

}  // namespace
}  // namespace vtime::riscv::test
