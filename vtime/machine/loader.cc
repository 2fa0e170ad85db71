#include "vtime/machine/loader.h"

#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <fstream>
#include <memory>

#include "vtime/machine/address_map.h"

namespace vtime {

namespace {

struct ElfDeleter {
  void operator()(Elf* e) const { elf_end(e); }
};

bool is_elf(const std::vector<uint8_t>& b) {
  return b.size() >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
}

Error fail(const ImageFile& image, std::string_view what) {
  return Error{fmt::format("{} {}", image.label, what)};
}

// The range must lie in one RAM region and overlap nothing already loaded.
Status check_range(AddressMap& map, const ImageFile& image, uint64_t addr, uint64_t size,
                   const std::vector<LoadedImage>& occupied, std::string_view what) {
  const Region* r = map.find(addr);
  if (r == nullptr || r->kind != RegionKind::kRam || map.host_span(addr, size).empty()) {
    return fail(image, fmt::format("has {} at [{:#x}, {:#x}) which lies outside RAM", what, addr,
                                   addr + size));
  }
  for (const LoadedImage& o : occupied) {
    if (addr < o.high && o.low < addr + size) {
      return fail(image, fmt::format("has {} at [{:#x}, {:#x}) which overlaps [{:#x}, {:#x}) "
                                     "already loaded", what, addr, addr + size, o.low, o.high));
    }
  }
  return ok_status();
}

Result<LoadedImage> load_raw(AddressMap& map, const ImageFile& image, uint64_t base,
                             const std::vector<LoadedImage>& occupied) {
  if (image.bytes.empty()) return fail(image, "is empty");
  Status s = check_range(map, image, base, image.bytes.size(), occupied, "its raw contents");
  if (!s.ok()) return Error{s.error()};
  std::memcpy(map.host_span(base, image.bytes.size()).data(), image.bytes.data(), image.bytes.size());
  return LoadedImage{.entry = base, .low = base, .high = base + image.bytes.size(), .elf = false};
}

// Header checks that give a precise sentence before libelf gets involved.
std::optional<Error> check_ident(const ImageFile& image) {
  const auto& b = image.bytes;
  if (b.size() < sizeof(Elf64_Ehdr)) return fail(image, "is a truncated ELF file (no complete header)");
  if (b[EI_CLASS] == ELFCLASS32) return fail(image, "is a 32-bit ELF file, but the board runs RV64 code");
  if (b[EI_CLASS] != ELFCLASS64) return fail(image, "is an ELF file of unknown class");
  if (b[EI_DATA] != ELFDATA2LSB) return fail(image, "is a big-endian ELF file, but RISC-V is little-endian");
  // libelf reports a cut-off program header table as "no headers"; say what it is.
  Elf64_Ehdr eh;
  std::memcpy(&eh, b.data(), sizeof(eh));
  if (eh.e_phnum == 0) return fail(image, "has no loadable segment");
  if (eh.e_phentsize != sizeof(Elf64_Phdr)) return fail(image, "has program headers of an unknown size");
  if (eh.e_phoff > b.size() || (b.size() - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum) {
    return fail(image, "is a truncated ELF file (program headers past its end)");
  }
  return std::nullopt;
}

Result<LoadedImage> load_elf(AddressMap& map, const ImageFile& image,
                             const std::vector<LoadedImage>& occupied) {
  if (auto e = check_ident(image)) return *e;
  elf_version(EV_CURRENT);
  std::vector<char> copy(image.bytes.begin(), image.bytes.end());  // libelf wants char*
  std::unique_ptr<Elf, ElfDeleter> elf(elf_memory(copy.data(), copy.size()));
  GElf_Ehdr ehdr;
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF || gelf_getehdr(elf.get(), &ehdr) == nullptr) {
    return fail(image, fmt::format("is not a readable ELF file ({})", elf_errmsg(-1)));
  }
  if (ehdr.e_machine != EM_RISCV) {
    return fail(image, fmt::format("is an ELF file for machine {}, not RISC-V", ehdr.e_machine));
  }
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0) {
    return fail(image, fmt::format("has unreadable program headers ({})", elf_errmsg(-1)));
  }
  std::vector<GElf_Phdr> loads;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(elf.get(), static_cast<int>(i), &ph) == nullptr) {
      return fail(image, fmt::format("has an unreadable program header {}", i));
    }
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    if (ph.p_filesz > ph.p_memsz) return fail(image, fmt::format("has segment {} larger in the file than in memory", i));
    if (ph.p_offset > image.bytes.size() || image.bytes.size() - ph.p_offset < ph.p_filesz) {
      return fail(image, fmt::format("is a truncated ELF file (segment {} runs past its end)", i));
    }
    loads.push_back(ph);
  }
  if (loads.empty()) return fail(image, "has no loadable segment");

  // Check every segment first so that a bad file leaves RAM untouched.
  std::vector<LoadedImage> taken = occupied;
  LoadedImage out{.entry = 0, .low = UINT64_MAX, .high = 0, .elf = true};
  for (const GElf_Phdr& ph : loads) {
    Status s = check_range(map, image, ph.p_paddr, ph.p_memsz, taken, "a segment");
    if (!s.ok()) return Error{s.error()};
    taken.push_back({.low = ph.p_paddr, .high = ph.p_paddr + ph.p_memsz});
    out.low = std::min(out.low, ph.p_paddr);
    out.high = std::max(out.high, ph.p_paddr + ph.p_memsz);
  }
  bool entry_found = false;
  for (const GElf_Phdr& ph : loads) {
    std::span<uint8_t> dest = map.host_span(ph.p_paddr, ph.p_memsz);
    std::memcpy(dest.data(), image.bytes.data() + ph.p_offset, ph.p_filesz);
    std::memset(dest.data() + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);  // bss
    if (!entry_found && ehdr.e_entry >= ph.p_vaddr && ehdr.e_entry - ph.p_vaddr < ph.p_memsz) {
      out.entry = ehdr.e_entry - ph.p_vaddr + ph.p_paddr;
      entry_found = true;
    }
  }
  if (!entry_found) out.entry = out.low;  // QEMU's rule for kernels: start at the lowest address
  return out;
}

}  // namespace

Result<ImageFile> read_image_file(const std::string& option, const std::filesystem::path& path) {
  const std::string label = fmt::format("{} file '{}'", option, path.string());
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error{label + " does not exist"};
  if (std::filesystem::is_directory(path, ec)) return Error{label + " is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{label + " cannot be opened for reading"};
  ImageFile image{.label = label, .bytes = {}};
  image.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{label + " could not be read"};
  if (image.bytes.empty()) return Error{label + " is empty"};
  return image;
}

Result<LoadedImage> load_image(AddressMap& map, const ImageFile& image, uint64_t raw_base,
                               const std::vector<LoadedImage>& occupied) {
  if (is_elf(image.bytes)) return load_elf(map, image, occupied);
  return load_raw(map, image, raw_base, occupied);
}

uint64_t kernel_start_after(uint64_t firmware_high) {
  constexpr uint64_t k2MiB = uint64_t{2} << 20;
  return (firmware_high + k2MiB - 1) & ~(k2MiB - 1);
}

uint64_t initrd_start_for(uint64_t kernel_start, uint64_t ram_bytes) {
  constexpr uint64_t k128MiB = uint64_t{128} << 20;
  return kernel_start + std::min(ram_bytes / 2, k128MiB);
}

namespace {

Result<LoadedImage> load_initrd(AddressMap& map, const ImageFile& initrd, uint64_t kernel_start,
                                uint64_t ram_base, const std::vector<LoadedImage>& occupied) {
  const Region* ram = map.find(ram_base);
  assert(ram != nullptr && ram->kind == RegionKind::kRam && "the board maps RAM at its base");
  const uint64_t start = initrd_start_for(kernel_start, ram->size);
  const uint64_t ram_end = ram->base + ram->size;
  if (start >= ram_end || ram_end - start < initrd.bytes.size()) {
    return fail(initrd, fmt::format("({} bytes) does not fit in RAM: it goes at {:#x} and RAM ends at "
                                    "{:#x}; give more RAM with -m", initrd.bytes.size(), start, ram_end));
  }
  return load_raw(map, initrd, start, occupied);
}

}  // namespace

Result<BootPlan> load_boot_images(AddressMap& map, const BootImages& images, uint64_t ram_base) {
  BootPlan plan;
  plan.start_pc = ram_base;
  std::vector<LoadedImage> occupied;
  uint64_t kernel_base = ram_base;
  if (images.bios) {
    auto fw = load_image(map, *images.bios, ram_base);
    if (!fw.ok()) return Error{fw.error()};
    plan.firmware = *fw;
    plan.start_pc = fw->entry;
    occupied.push_back(*fw);
    kernel_base = kernel_start_after(fw->high);
  }
  if (images.kernel) {
    auto k = load_image(map, *images.kernel, kernel_base, occupied);
    if (!k.ok()) return Error{k.error()};
    plan.kernel = *k;
    occupied.push_back(*k);
    if (images.bios) {
      plan.next_addr = k->entry;
    } else {
      plan.start_pc = k->entry;
    }
  }
  if (images.initrd) {
    if (!plan.kernel) {
      return Error{fmt::format("{} needs a kernel to boot with it (-kernel)", images.initrd->label)};
    }
    auto initrd = load_initrd(map, *images.initrd, plan.kernel->entry, ram_base, occupied);
    if (!initrd.ok()) return Error{initrd.error()};
    plan.initrd = *initrd;
  }
  return plan;
}

}  // namespace vtime
