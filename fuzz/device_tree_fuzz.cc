// fuzz_device_tree: the device-tree builder's inputs as a library user (or a
// command-line option such as -append) may give them: RAM size, 0-9 harts with
// their ISA strings, an MMU type, the timebase and UART clock, bootargs, an
// initrd range and extra MMIO device nodes. Asserts: a refusal is one line; an
// accepted tree passes libfdt's full check (fdt_check_full), holds one cpu node
// per hart, and carries the bootargs, the initrd range and every extra node
// exactly as given.
#include <fuzzer/FuzzedDataProvider.h>

#include <libfdt.h>

#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "vtime/machine/device_tree.h"

namespace vtime::fuzz {
namespace {

DeviceTreeConfig config_from(FuzzedDataProvider& in) {
  DeviceTreeConfig c;
  c.ram_size = in.ConsumeIntegral<uint64_t>();
  const unsigned harts = in.ConsumeIntegralInRange(0, 9);
  for (unsigned h = 0; h < harts; ++h) c.hart_isa.push_back(in.ConsumeRandomLengthString(64));
  if (in.ConsumeBool()) c.mmu_type = in.ConsumeRandomLengthString(32);
  c.timebase = Frequency::hz(in.ConsumeIntegralInRange<uint64_t>(1, 1ull << 40));
  c.uart_clock = Frequency::hz(in.ConsumeIntegralInRange<uint64_t>(1, 1ull << 40));
  c.bootargs = in.ConsumeRandomLengthString(8192);
  if (in.ConsumeBool()) c.initrd = InitrdRange{in.ConsumeIntegral<uint64_t>(), in.ConsumeIntegral<uint64_t>()};
  const unsigned extras = in.ConsumeIntegralInRange(0, 4);
  for (unsigned e = 0; e < extras; ++e) {
    ExtraDeviceNode n;
    n.node_name = in.ConsumeRandomLengthString(24);
    const unsigned compatibles = in.ConsumeIntegralInRange(0, 3);
    for (unsigned k = 0; k < compatibles; ++k) n.compatible.push_back(in.ConsumeRandomLengthString(32));
    n.base = in.ConsumeIntegral<uint64_t>();
    n.size = in.ConsumeIntegral<uint64_t>();
    if (in.ConsumeBool()) n.plic_irq = in.ConsumeIntegralInRange(0, 1100);
    if (in.ConsumeBool()) n.clock_frequency = in.ConsumeIntegral<uint64_t>();
    c.extra_devices.push_back(std::move(n));
  }
  return c;
}

std::string property_string(const void* fdt, const char* path, const char* name) {
  const int node = fdt_path_offset(fdt, path);
  if (node < 0) return {};
  int len = 0;
  const auto* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &len));
  if (value == nullptr || len <= 0) return {};
  return std::string(value, static_cast<size_t>(len - 1));  // without the terminating NUL
}

uint64_t property_u64(const void* fdt, const char* path, const char* name) {
  const int node = fdt_path_offset(fdt, path);
  int len = 0;
  const void* value = node < 0 ? nullptr : fdt_getprop(fdt, node, name, &len);
  if (value == nullptr || len != 8) fail("{}/{} is missing or not 64-bit", path, name);
  return fdt64_ld(static_cast<const fdt64_t*>(value));
}

void check_tree(const std::vector<uint8_t>& blob, const DeviceTreeConfig& c) {
  const void* fdt = blob.data();
  if (const int err = fdt_check_full(fdt, blob.size()); err != 0) {
    fail("the built tree fails fdt_check_full: {}", fdt_strerror(err));
  }
  int cpus = 0;
  const int parent = fdt_path_offset(fdt, "/cpus");
  if (parent < 0) fail("the tree has no /cpus");
  int child = 0;
  fdt_for_each_subnode(child, fdt, parent) {
    const char* name = fdt_get_name(fdt, child, nullptr);
    if (name != nullptr && std::string_view(name).starts_with("cpu@")) ++cpus;
  }
  if (cpus != static_cast<int>(c.hart_isa.size())) fail("{} harts but {} cpu nodes", c.hart_isa.size(), cpus);
  if (!c.bootargs.empty() && property_string(fdt, "/chosen", "bootargs") != c.bootargs) {
    fail("/chosen/bootargs differs from the bootargs given");
  }
  if (c.initrd) {
    if (property_u64(fdt, "/chosen", "linux,initrd-start") != c.initrd->start ||
        property_u64(fdt, "/chosen", "linux,initrd-end") != c.initrd->end) {
      fail("/chosen's initrd range differs from the one given");
    }
  }
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime;
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  const DeviceTreeConfig config = config_from(in);
  const Result<std::vector<uint8_t>> blob = build_device_tree(config);
  if (!blob) {
    check_one_line(blob.error());
    return 0;
  }
  check_tree(*blob, config);
  return 0;
}
