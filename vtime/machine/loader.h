// Loader: puts the -bios and -kernel images into RAM with QEMU `virt`
// semantics and says where the boot ROM jumps.
//  - An image is an ELF64 RISC-V file (libelf; PT_LOAD segments at their
//    physical addresses, bss zeroed) or else a raw binary.
//  - -bios none: the kernel runs directly. A raw kernel goes at 0x8000_0000; an
//    ELF kernel at its own addresses. The ROM jumps to the kernel's entry.
//  - -bios FILE: the firmware goes at 0x8000_0000 (raw) or its ELF addresses,
//    and the ROM jumps to its entry. A raw kernel goes at the firmware's end
//    rounded up to 2 MiB (QEMU's RV64 rule); an ELF kernel at its addresses.
//    The kernel's address reaches the firmware as fw_dynamic's next_addr (a2).
//  - -initrd FILE (needs a kernel): raw bytes at the kernel's entry plus half of
//    RAM, at most 128 MiB (QEMU's rule: far enough that the kernel does not
//    overwrite it as it unpacks, low enough for a kernel that maps only low RAM).
// An ELF entry point is translated to its physical address through the
// segment that contains it (so a kernel linked at a virtual address starts at
// its load address). User mistakes come back as one sentence naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vtime/time/result.h"

namespace vtime {

class AddressMap;

// An image's bytes and the name errors use ("-kernel file 'a.elf'").
struct ImageFile {
  std::string label{};
  std::vector<uint8_t> bytes{};
};

// Reads a whole file. Fails when it is missing, unreadable or empty.
Result<ImageFile> read_image_file(const std::string& option, const std::filesystem::path& path);

struct LoadedImage {
  uint64_t entry = 0;  // physical start address
  uint64_t low = 0;    // lowest loaded address
  uint64_t high = 0;   // one past the highest loaded byte (incl. bss)
  bool elf = false;
};

// Loads one image into RAM; raw images go at `raw_base`. Fails when the ELF is
// truncated, 32-bit, big-endian, not RISC-V or has no loadable segment, or a
// segment lies outside RAM or overlaps another segment or an `occupied` range.
Result<LoadedImage> load_image(AddressMap& map, const ImageFile& image, uint64_t raw_base,
                               const std::vector<LoadedImage>& occupied = {});

struct BootImages {
  std::optional<ImageFile> bios{};    // nullopt: -bios none
  std::optional<ImageFile> kernel{};  // nullopt: no -kernel
  std::optional<ImageFile> initrd{};  // nullopt: no -initrd
};

struct BootPlan {
  uint64_t start_pc = 0;   // where the boot ROM jumps
  uint64_t next_addr = 0;  // the kernel's address for the firmware; 0 if none
  std::optional<LoadedImage> firmware{};
  std::optional<LoadedImage> kernel{};
  std::optional<LoadedImage> initrd{};  // [low, high) is what the device tree announces
};

// Kernel placement after firmware ending at `firmware_high` (QEMU RV64: 2 MiB).
uint64_t kernel_start_after(uint64_t firmware_high);

// Where the initial RAM disk goes for a kernel entered at `kernel_start` in
// `ram_bytes` of RAM: kernel_start + min(ram_bytes / 2, 128 MiB).
uint64_t initrd_start_for(uint64_t kernel_start, uint64_t ram_bytes);

// Loads the images as described above. Fails with one sentence when an initrd
// comes without a kernel or does not fit between its start and the end of RAM. With neither image the plan jumps to
// 0x8000_0000 (empty RAM: the hart takes an illegal-instruction trap).
Result<BootPlan> load_boot_images(AddressMap& map, const BootImages& images, uint64_t ram_base);

}  // namespace vtime
