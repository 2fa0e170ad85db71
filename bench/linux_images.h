// The boot images of the Linux benchmarks: Debian's OpenSBI, the kernel of
// scripts/build-linux.sh and the probe's initrd, read from the given paths.
#pragma once

#include <string>
#include <tuple>

#include "vtime/machine/loader.h"
#include "vtime/time/result.h"

namespace vtime::bench {

inline constexpr const char* kOpenSbi = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin";

inline Result<BootImages> linux_images(const std::string& kernel, const std::string& initrd,
                                       const std::string& firmware = kOpenSbi) {
  BootImages images;
  for (auto [slot, option, path] : {std::tuple{&images.bios, "--bios", firmware},
                                    std::tuple{&images.kernel, "--kernel", kernel},
                                    std::tuple{&images.initrd, "-initrd", initrd}}) {
    Result<ImageFile> file = read_image_file(option, path);
    if (!file) return Error{file.error()};
    *slot = *file;
  }
  return images;
}

}  // namespace vtime::bench
