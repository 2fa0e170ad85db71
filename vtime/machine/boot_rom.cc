#include "vtime/machine/boot_rom.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "vtime/machine/address_map.h"
#include "vtime/machine/virt_map.h"

namespace vtime {

namespace {

// The reset vector, RV64I + Zicsr, no compressed instructions. Offsets of the
// data words are relative to t0 = ROM base + 4 (the auipc's own address).
constexpr uint32_t kCode[] = {
    0xf1402573,  // 0x00  csrr  a0, mhartid
    0x00000297,  // 0x04  auipc t0, 0                 t0 = base + 4
    0x0142b303,  // 0x08  ld    t1, 20(t0)            start pc     (base + 0x18)
    0x01c2b583,  // 0x0c  ld    a1, 28(t0)            dtb address  (base + 0x20)
    0x02428613,  // 0x10  addi  a2, t0, 36            fw_dynamic   (base + 0x28)
    0x00030067,  // 0x14  jr    t1
};
static_assert(sizeof(kCode) == boot_rom_layout::kStartPc);

void put_u64(std::vector<uint8_t>& out, uint64_t offset, uint64_t value) {
  for (unsigned i = 0; i < 8; ++i) out[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace

std::vector<uint8_t> boot_rom_image(const BootRomConfig& config) {
  using namespace boot_rom_layout;
  std::vector<uint8_t> rom(kSize, 0);
  for (size_t i = 0; i < std::size(kCode); ++i) {
    for (unsigned b = 0; b < 4; ++b) rom[4 * i + b] = static_cast<uint8_t>(kCode[i] >> (8 * b));
  }
  put_u64(rom, kStartPc, config.start_pc);
  put_u64(rom, kDtbAddress, config.dtb_address);
  put_u64(rom, kFwDynamic + 0, kFwDynamicMagic);
  put_u64(rom, kFwDynamic + 8, kFwDynamicVersion);
  put_u64(rom, kFwDynamic + 16, config.next_addr);
  put_u64(rom, kFwDynamic + 24, static_cast<uint64_t>(config.next_mode));
  put_u64(rom, kFwDynamic + 32, 0);            // options
  put_u64(rom, kFwDynamic + 40, ~uint64_t{0});  // boot_hart: any hart may boot
  return rom;
}

uint64_t device_tree_address(uint64_t ram_base, uint64_t ram_size, uint64_t dtb_size) {
  constexpr uint64_t k3GiB = uint64_t{3} << 30;
  constexpr uint64_t k2MiB = uint64_t{2} << 20;
  const uint64_t top = ram_base + std::min(ram_size, k3GiB);
  const uint64_t addr = (top - dtb_size) & ~(k2MiB - 1);
  // RAM smaller than 2 MiB: keep the tree inside RAM, 16-byte aligned.
  return addr >= ram_base ? addr : ((top - dtb_size) & ~uint64_t{15});
}

uint64_t device_tree_top_address(uint64_t ram_base, uint64_t ram_size, uint64_t dtb_size) {
  constexpr uint64_t k3GiB = uint64_t{3} << 30;
  return (ram_base + std::min(ram_size, k3GiB) - dtb_size) & ~uint64_t{7};
}

Status install_boot_rom(AddressMap& map, const BootRomConfig& config,
                        std::span<const uint8_t> dtb) {
  const std::span<uint8_t> dtb_dest = map.host_span(config.dtb_address, dtb.size());
  const Region* r = map.find(config.dtb_address);
  if (dtb_dest.empty() || r == nullptr || r->kind != RegionKind::kRam) {
    return Error{fmt::format("the device tree ({} bytes) does not fit in RAM at {:#x}",
                             dtb.size(), config.dtb_address)};
  }
  std::memcpy(dtb_dest.data(), dtb.data(), dtb.size());
  const std::vector<uint8_t> rom = boot_rom_image(config);
  const std::span<uint8_t> rom_dest = map.host_span(virt_map::kMromBase, rom.size());
  if (rom_dest.empty()) return Error{"the boot ROM region is not mapped at 0x1000"};
  std::memcpy(rom_dest.data(), rom.data(), rom.size());
  return ok_status();
}

}  // namespace vtime
