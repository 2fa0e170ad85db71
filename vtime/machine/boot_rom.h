// Boot ROM: the reset vector at 0x1000 that every hart starts in. Six hand-
// assembled instructions set a0 = mhartid, a1 = the device tree's address and
// a2 = an OpenSBI "fw_dynamic" info record, then jump to the start address
// (0x8000_0000, or the -bios / -kernel entry). The two addresses and the record
// follow the code in the ROM, so one image serves every hart.
// The device tree itself goes at the top of RAM, as QEMU places it (see
// device_tree_address).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "vtime/time/result.h"

namespace vtime {

class AddressMap;

// OpenSBI fw_dynamic_info (version 2): tells a fw_dynamic firmware where the
// next stage is. Ignored by firmware of other kinds and by bare-metal programs.
enum class NextMode : uint64_t { kUser = 0, kSupervisor = 1, kMachine = 3 };

struct BootRomConfig {
  uint64_t start_pc = 0;      // where the ROM jumps
  uint64_t dtb_address = 0;   // passed in a1
  uint64_t next_addr = 0;     // fw_dynamic: the kernel's address, 0 if none
  NextMode next_mode = NextMode::kSupervisor;
};

namespace boot_rom_layout {
inline constexpr uint64_t kStartPc = 0x18;     // u64 read by the ROM code
inline constexpr uint64_t kDtbAddress = 0x20;  // u64 read by the ROM code
inline constexpr uint64_t kFwDynamic = 0x28;   // fw_dynamic_info, 6 x u64
inline constexpr uint64_t kSize = kFwDynamic + 6 * 8;
inline constexpr uint64_t kFwDynamicMagic = 0x4942'534f;  // "OSBI"
inline constexpr uint64_t kFwDynamicVersion = 2;
}  // namespace boot_rom_layout

// The ROM's bytes, to be placed at virt_map::kMromBase.
std::vector<uint8_t> boot_rom_image(const BootRomConfig& config);

// Where the device tree goes, as QEMU's virt board computes it: the end of RAM
// (but no higher than 3 GiB above RAM's base, so 32-bit kernels reach it) minus
// the tree's size, aligned down to 2 MiB. Precondition: dtb_size <= ram_size.
uint64_t device_tree_address(uint64_t ram_base, uint64_t ram_size, uint64_t dtb_size);
// The fallback when that spot would overlap the loaded images (RAM of a few
// MiB): the highest 8-byte-aligned address that holds the tree, same 3 GiB cap.
uint64_t device_tree_top_address(uint64_t ram_base, uint64_t ram_size, uint64_t dtb_size);

// Copies `dtb` to `dtb_address` in RAM and the ROM image to the ROM region at
// virt_map::kMromBase (both must be mapped). Fails with one sentence when the
// tree does not fit in RAM there.
Status install_boot_rom(AddressMap& map, const BootRomConfig& config,
                        std::span<const uint8_t> dtb);

}  // namespace vtime
