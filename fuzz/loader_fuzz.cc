// fuzz_loader: guest images as the loader sees them - one image (ELF or raw)
// at a raw base, or a -bios and -kernel pair split from the input - into 8 MiB
// of RAM. Asserts: a refusal is one non-empty line; a loaded image lies in RAM
// (low < high, both inside it) and so does the boot plan's start address.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "vtime/devices/guest_log.h"
#include "vtime/machine/address_map.h"
#include "vtime/machine/loader.h"
#include "vtime/machine/virt_map.h"

namespace vtime::fuzz {
namespace {

constexpr uint64_t kRam = virt_map::kDramBase;
constexpr uint64_t kRamSize = 8 << 20;

void check_in_ram(const LoadedImage& image) {
  if (image.low >= image.high || image.low < kRam || image.high > kRam + kRamSize) {
    fail("image loaded at [{:#x}, {:#x}), outside RAM", image.low, image.high);
  }
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  GuestLog log;
  AddressMap map(log);
  if (!map.add_ram("ram", kRam, kRamSize).ok()) fail("cannot map the RAM");
  const bool pair = in.ConsumeBool();
  if (!pair) {
    const uint64_t raw_base = kRam + (in.ConsumeIntegral<uint32_t>() & ~uint64_t{3});
    const ImageFile image{"-kernel file 'fuzz'", in.ConsumeRemainingBytes<uint8_t>()};
    const Result<LoadedImage> loaded = load_image(map, image, raw_base);
    if (loaded) {
      check_in_ram(*loaded);
    } else {
      check_one_line(loaded.error());
    }
    return 0;
  }
  BootImages images;
  const size_t bios_bytes = in.ConsumeIntegralInRange<size_t>(0, in.remaining_bytes());
  if (in.ConsumeBool()) images.bios = ImageFile{"-bios file 'fuzz'", in.ConsumeBytes<uint8_t>(bios_bytes)};
  if (in.ConsumeBool()) images.kernel = ImageFile{"-kernel file 'fuzz'", in.ConsumeRemainingBytes<uint8_t>()};
  const Result<BootPlan> plan = load_boot_images(map, images, kRam);
  if (!plan) {
    check_one_line(plan.error());
    return 0;
  }
  if (plan->firmware) check_in_ram(*plan->firmware);
  if (plan->kernel) check_in_ram(*plan->kernel);
  return 0;
}
