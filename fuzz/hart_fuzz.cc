// fuzz_hart: random bytes as the code and data of one hart, started in M mode
// on a minimal HartEnv (eight RAM pages holding the input after a four-
// instruction prologue that points mtvec at it, one device page
// whose loads return input bytes), run for a few bounded budgets with
// interrupts raised and lowered between them, into S/U mode and paging as the
// bytes lead. Asserts the HartEnv contract: a run retires at most its budget,
// the sync() reports of a run add up to what it retired, and a hart waiting
// for an interrupt returns at once.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "vtime/riscv/csr.h"
#include "vtime/riscv/hart.h"
#include "vtime/riscv/hart_env.h"

namespace vtime::fuzz {
namespace {

using namespace vtime::riscv;

constexpr uint64_t kRamBase = 0x8000'0000;
constexpr uint64_t kRamPages = 8;
constexpr uint64_t kDevicePage = 0x1000'0000;
constexpr unsigned kRuns = 8;
constexpr uint64_t kMaxBudget = 5'000;
// Points mtvec just past itself, at the input's first byte, so a trap runs
// fuzzed code instead of faulting at address 0 until the trap-loop stop.
constexpr std::array<uint32_t, 4> kPrologue = {
    0x00100293,  // addi  t0, zero, 1
    0x01F29293,  // slli  t0, t0, 31       (0x8000_0000)
    0x01028293,  // addi  t0, t0, 16
    0x30529073,  // csrw  mtvec, t0
};
constexpr uint64_t kPrologueBytes = sizeof(kPrologue);

class FuzzEnv final : public HartEnv {
 public:
  FuzzEnv() : ram_(kRamPages * kPageSize, 0) {}

  // A fresh machine state for one input: RAM, device bytes, time.
  void load(std::span<const uint8_t> image, std::vector<uint8_t> device_bytes) {
    std::memset(ram_.data(), 0, ram_.size());
    std::memcpy(ram_.data(), kPrologue.data(), kPrologueBytes);
    const size_t room = ram_.size() - kPrologueBytes;
    if (!image.empty()) std::memcpy(ram_.data() + kPrologueBytes, image.data(), std::min(image.size(), room));
    device_bytes_ = std::move(device_bytes);
    next_ = 0;
    synced_ = 0;
  }

  uint8_t* host_page(uint64_t page_paddr, PageAccess) override {
    if (page_paddr < kRamBase || page_paddr - kRamBase >= ram_.size()) return nullptr;
    return &ram_[page_paddr - kRamBase];
  }
  BusResult load(uint64_t paddr, unsigned size, uint64_t& value) override {
    check_access(paddr, size);
    if (paddr - kDevicePage >= kPageSize) return BusResult::kAccessFault;
    value = 0;
    for (unsigned i = 0; i < size && !device_bytes_.empty(); ++i) {
      value |= uint64_t{device_bytes_[next_++ % device_bytes_.size()]} << (8 * i);
    }
    return BusResult::kOk;
  }
  BusResult store(uint64_t paddr, unsigned size, uint64_t) override {
    check_access(paddr, size);
    return paddr - kDevicePage < kPageSize ? BusResult::kOk : BusResult::kAccessFault;
  }
  uint64_t read_time() override { return synced_; }
  void sync(uint64_t retired) override { synced_ += retired; }

  uint64_t synced() const { return synced_; }

 private:
  static void check_access(uint64_t paddr, unsigned size) {
    if ((size != 1 && size != 2 && size != 4 && size != 8) || paddr % size != 0) {
      fail("the hart made a {}-byte bus access at {:#x}", size, paddr);
    }
  }
  std::vector<uint8_t> ram_;
  std::vector<uint8_t> device_bytes_;
  size_t next_ = 0;
  uint64_t synced_ = 0;
};

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  std::array<uint64_t, kRuns> budgets{};
  std::array<uint64_t, kRuns> pending{};
  for (unsigned r = 0; r < kRuns; ++r) {
    budgets[r] = in.ConsumeIntegralInRange<uint64_t>(0, kMaxBudget);
    pending[r] = in.ConsumeIntegral<uint16_t>();
  }
  std::vector<uint8_t> device = in.ConsumeBytes<uint8_t>(16);
  const std::vector<uint8_t> image = in.ConsumeRemainingBytes<uint8_t>();
  // One hart for the whole campaign, reset for each input: building its
  // decoder tables costs more than running most inputs.
  static FuzzEnv env;
  static Hart hart(env, {.hart_id = 0, .reset_pc = kRamBase});
  env.load(image, std::move(device));
  hart.reset();
  hart.invalidate_code();
  for (unsigned r = 0; r < kRuns; ++r) {
    hart.set_pending(pending[r] & irq::kAll, true);
    hart.set_pending(~pending[r] & irq::kAll, false);
    const bool was_waiting = hart.waiting_for_interrupt() && !hart.wakeup_pending();
    const uint64_t synced_before = env.synced();
    const RunResult result = hart.run(budgets[r]);
    if (result.executed > budgets[r]) fail("run({}) retired {}", budgets[r], result.executed);
    if (env.synced() - synced_before != result.executed) {
      fail("run({}) retired {} but reported {} through sync()", budgets[r], result.executed,
           env.synced() - synced_before);
    }
    if (was_waiting && result.executed != 0) fail("a waiting hart retired {} instructions", result.executed);
    if (result.reason == StopReason::kTrapLoop) break;
  }
  return 0;
}
