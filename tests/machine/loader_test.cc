#include "vtime/machine/loader.h"

#include <elf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "vtime/machine/address_map.h"
#include "vtime/machine/virt_map.h"

namespace vtime {
namespace {

constexpr uint64_t kRam = virt_map::kDramBase;
constexpr uint64_t kRamSize = 16ull << 20;

struct Segment {
  uint64_t paddr;
  std::vector<uint8_t> data;
  uint64_t memsz;       // >= data.size()
  uint64_t vaddr = 0;   // 0: same as paddr
};

struct ElfShape {
  uint8_t elf_class = ELFCLASS64;
  uint16_t machine = EM_RISCV;
  uint64_t entry = kRam;
};

// A minimal ELF64 little-endian executable: header, program headers, data.
std::vector<uint8_t> make_elf(const std::vector<Segment>& segs, ElfShape shape = {}) {
  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = shape.elf_class;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = shape.machine;
  eh.e_version = EV_CURRENT;
  eh.e_entry = shape.entry;
  eh.e_phoff = sizeof(Elf64_Ehdr);
  eh.e_ehsize = sizeof(Elf64_Ehdr);
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = static_cast<uint16_t>(segs.size());
  std::vector<uint8_t> out(sizeof(eh) + segs.size() * sizeof(Elf64_Phdr));
  std::memcpy(out.data(), &eh, sizeof(eh));
  for (size_t i = 0; i < segs.size(); ++i) {
    Elf64_Phdr ph{};
    ph.p_type = PT_LOAD;
    ph.p_flags = PF_R | PF_X;
    ph.p_offset = out.size();
    ph.p_paddr = segs[i].paddr;
    ph.p_vaddr = segs[i].vaddr != 0 ? segs[i].vaddr : segs[i].paddr;
    ph.p_filesz = segs[i].data.size();
    ph.p_memsz = segs[i].memsz;
    ph.p_align = 8;
    std::memcpy(out.data() + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
    out.insert(out.end(), segs[i].data.begin(), segs[i].data.end());
  }
  return out;
}

ImageFile image(std::vector<uint8_t> bytes) { return {.label = "-kernel file 'k'", .bytes = std::move(bytes)}; }

struct Fixture {
  GuestLog log;
  AddressMap map{log};
  Fixture() { EXPECT_TRUE(map.add_ram("ram", kRam, kRamSize).ok()); }
  uint64_t word(uint64_t addr) { return map.read(addr, 4).value; }
};

std::string error_of(const Result<LoadedImage>& r) { return r.ok() ? "<ok>" : r.error(); }

TEST(Loader, RawImageGoesAtTheGivenBase) {
  Fixture f;
  auto r = load_image(f.map, image({0x13, 0, 0, 0, 0x73, 0, 0x50, 0x10}), kRam);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->entry, kRam);
  EXPECT_EQ(r->high, kRam + 8);
  EXPECT_FALSE(r->elf);
  EXPECT_EQ(f.word(kRam), 0x13u);
}

TEST(Loader, ElfSegmentsLoadAtTheirPhysicalAddressesWithBssZeroed) {
  Fixture f;
  std::memset(f.map.ram_pointer(kRam + 0x1000, 16), 0xff, 16);
  auto elf = make_elf({{.paddr = kRam, .data = {1, 2, 3, 4}, .memsz = 4},
                       {.paddr = kRam + 0x1000, .data = {5, 6, 7, 8}, .memsz = 16}},
                      {.entry = kRam});
  auto r = load_image(f.map, image(elf), 0);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_TRUE(r->elf);
  EXPECT_EQ(r->entry, kRam);
  EXPECT_EQ(r->low, kRam);
  EXPECT_EQ(r->high, kRam + 0x1010);
  EXPECT_EQ(f.word(kRam), 0x04030201u);
  EXPECT_EQ(f.word(kRam + 0x1000), 0x08070605u);
  EXPECT_EQ(f.map.read(kRam + 0x1004, 8).value, 0u);
}

TEST(Loader, VirtualEntryPointIsTranslatedToItsLoadAddress) {
  Fixture f;
  const uint64_t va = 0xffff'ffff'8000'0000ull;
  auto elf = make_elf({{.paddr = kRam + 0x20'0000, .data = {1, 2, 3, 4}, .memsz = 0x100, .vaddr = va}},
                      {.entry = va + 0x40});
  auto r = load_image(f.map, image(elf), 0);
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->entry, kRam + 0x20'0040);
}

TEST(Loader, Elf32IsRejectedAsTheWrongClass) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = {1}, .memsz = 1}}, {.elf_class = ELFCLASS32});
  EXPECT_EQ(error_of(load_image(f.map, image(elf), 0)),
            "-kernel file 'k' is a 32-bit ELF file, but the board runs RV64 code");
}

TEST(Loader, OtherMachinesAreRejected) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = {1}, .memsz = 1}}, {.machine = EM_X86_64});
  EXPECT_EQ(error_of(load_image(f.map, image(elf), 0)),
            "-kernel file 'k' is an ELF file for machine 62, not RISC-V");
}

TEST(Loader, TruncatedHeaderIsRejected) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = {1}, .memsz = 1}});
  elf.resize(40);
  EXPECT_EQ(error_of(load_image(f.map, image(elf), 0)),
            "-kernel file 'k' is a truncated ELF file (no complete header)");
}

TEST(Loader, TruncatedProgramHeadersAreRejected) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = {1}, .memsz = 1}});
  elf.resize(sizeof(Elf64_Ehdr) + 20);
  EXPECT_NE(error_of(load_image(f.map, image(elf), 0)).find("truncated"), std::string::npos);
}

TEST(Loader, SegmentDataPastTheEndOfTheFileIsRejected) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = std::vector<uint8_t>(64, 1), .memsz = 64}});
  elf.resize(elf.size() - 10);
  EXPECT_EQ(error_of(load_image(f.map, image(elf), 0)),
            "-kernel file 'k' is a truncated ELF file (segment 0 runs past its end)");
}

TEST(Loader, ElfWithoutLoadableSegmentsIsRejected) {
  Fixture f;
  EXPECT_EQ(error_of(load_image(f.map, image(make_elf({})), 0)),
            "-kernel file 'k' has no loadable segment");
}

TEST(Loader, SegmentOutsideRamIsRejectedAndNothingIsWritten) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = {9, 9, 9, 9}, .memsz = 4},
                       {.paddr = 0x1000, .data = {1}, .memsz = 1}});
  EXPECT_EQ(error_of(load_image(f.map, image(elf), 0)),
            "-kernel file 'k' has a segment at [0x1000, 0x1001) which lies outside RAM");
  EXPECT_EQ(f.word(kRam), 0u);
}

TEST(Loader, SegmentRunningPastTheEndOfRamIsRejected) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam + kRamSize - 4, .data = {1}, .memsz = 8}});
  EXPECT_NE(error_of(load_image(f.map, image(elf), 0)).find("outside RAM"), std::string::npos);
}

TEST(Loader, OverlappingSegmentsAreRejected) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam, .data = {1}, .memsz = 0x100},
                       {.paddr = kRam + 0x80, .data = {2}, .memsz = 0x100}});
  EXPECT_NE(error_of(load_image(f.map, image(elf), 0)).find("overlaps"), std::string::npos);
}

TEST(Loader, RawImageLargerThanRamIsRejected) {
  Fixture f;
  auto r = load_image(f.map, image(std::vector<uint8_t>(kRamSize + 1, 0)), kRam);
  EXPECT_NE(error_of(r).find("outside RAM"), std::string::npos);
}

TEST(Loader, BiosNoneRunsTheKernelDirectly) {
  Fixture f;
  auto elf = make_elf({{.paddr = kRam + 0x1000, .data = {1, 2, 3, 4}, .memsz = 4}},
                      {.entry = kRam + 0x1000});
  auto plan = load_boot_images(f.map, {.bios = std::nullopt, .kernel = image(elf)}, kRam);
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(plan->start_pc, kRam + 0x1000);
  EXPECT_EQ(plan->next_addr, 0u);
  EXPECT_FALSE(plan->firmware.has_value());
}

TEST(Loader, RawKernelWithBiosNoneGoesAtRamBase) {
  Fixture f;
  auto plan = load_boot_images(f.map, {.bios = std::nullopt, .kernel = image({1, 2, 3, 4})}, kRam);
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(plan->start_pc, kRam);
  EXPECT_EQ(f.word(kRam), 0x04030201u);
}

TEST(Loader, RawKernelFollowsFirmwareAtTheNextTwoMegabyteBoundary) {
  Fixture f;
  ImageFile fw{.label = "-bios file 'fw'", .bytes = std::vector<uint8_t>(0x1234, 0x11)};
  auto plan = load_boot_images(f.map, {.bios = fw, .kernel = image({7, 7, 7, 7})}, kRam);
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(plan->start_pc, kRam);
  EXPECT_EQ(plan->kernel->low, kRam + 0x20'0000);
  EXPECT_EQ(plan->next_addr, kRam + 0x20'0000);
  EXPECT_EQ(f.word(kRam + 0x20'0000), 0x07070707u);
}

TEST(Loader, KernelStartRoundsUpToTwoMegabytes) {
  EXPECT_EQ(kernel_start_after(kRam), kRam);
  EXPECT_EQ(kernel_start_after(kRam + 1), kRam + 0x20'0000);
  EXPECT_EQ(kernel_start_after(kRam + 0x20'0001), kRam + 0x40'0000);
}

TEST(Loader, ElfFirmwareStartsAtItsEntry) {
  Fixture f;
  ImageFile fw{.label = "-bios file 'fw'",
               .bytes = make_elf({{.paddr = kRam, .data = {1, 2, 3, 4}, .memsz = 0x100}},
                                 {.entry = kRam + 0x10})};
  auto plan = load_boot_images(f.map, {.bios = fw, .kernel = std::nullopt}, kRam);
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(plan->start_pc, kRam + 0x10);
  EXPECT_EQ(plan->next_addr, 0u);
}

TEST(Loader, KernelOverlappingTheFirmwareIsRejected) {
  Fixture f;
  ImageFile fw{.label = "-bios file 'fw'", .bytes = std::vector<uint8_t>(0x100, 1)};
  auto kernel = make_elf({{.paddr = kRam + 0x80, .data = {1}, .memsz = 4}}, {.entry = kRam + 0x80});
  auto plan = load_boot_images(f.map, {.bios = fw, .kernel = image(kernel)}, kRam);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().find("overlaps [0x80000000, 0x80000100) already loaded"), std::string::npos);
}

class LoaderFiles : public ::testing::Test {
 protected:
  std::string path(const std::string& name) { return ::testing::TempDir() + "vtime_loader_" + name; }
  void write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::ofstream(path(name), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
};

TEST_F(LoaderFiles, ReadsAWholeFile) {
  write("ok.bin", {1, 2, 3});
  auto r = read_image_file("-kernel", path("ok.bin"));
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->bytes, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(r->label, "-kernel file '" + path("ok.bin") + "'");
}

TEST_F(LoaderFiles, MissingFileIsOneSentence) {
  auto r = read_image_file("-bios", path("missing.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "-bios file '" + path("missing.bin") + "' does not exist");
}

TEST_F(LoaderFiles, EmptyFileIsRejected) {
  write("empty.bin", {});
  auto r = read_image_file("-kernel", path("empty.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "-kernel file '" + path("empty.bin") + "' is empty");
}

TEST_F(LoaderFiles, DirectoryIsRejected) {
  auto r = read_image_file("-kernel", ::testing::TempDir());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("is a directory"), std::string::npos);
}

TEST_F(LoaderFiles, UnreadableFileIsRejected) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  write("secret.bin", {1});
  std::filesystem::permissions(path("secret.bin"), std::filesystem::perms::none);
  auto r = read_image_file("-kernel", path("secret.bin"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("cannot be opened"), std::string::npos);
}

ImageFile initrd_of(size_t bytes) {
  std::vector<uint8_t> data(bytes, 0);
  data.front() = 0x30;  // a cpio "070701" header starts with '0'
  return {.label = "-initrd file 'rd'", .bytes = std::move(data)};
}

TEST(Initrd, StartsHalfwayIntoRamAboveTheKernelAtMost128MiB) {
  EXPECT_EQ(initrd_start_for(0x8020'0000, 128ull << 20), 0x8420'0000u);
  EXPECT_EQ(initrd_start_for(0x8020'0000, 256ull << 20), 0x8820'0000u);
  EXPECT_EQ(initrd_start_for(0x8020'0000, 2ull << 30), 0x8820'0000u);
  EXPECT_EQ(initrd_start_for(0x8000'0000, 16ull << 20), 0x8080'0000u);
}

TEST(Initrd, IsLoadedAboveAKernelThatFollowsTheFirmware) {
  Fixture f;
  auto plan = load_boot_images(
      f.map, {.bios = image({1, 2, 3, 4}), .kernel = image({5, 6, 7, 8}), .initrd = initrd_of(64)}, kRam);
  ASSERT_TRUE(plan.ok()) << plan.error();
  ASSERT_TRUE(plan->initrd.has_value());
  const uint64_t start = kRam + (2u << 20) + kRamSize / 2;  // kernel at 2 MiB, then half of RAM
  EXPECT_EQ(plan->initrd->low, start);
  EXPECT_EQ(plan->initrd->high, start + 64);
  EXPECT_EQ(f.word(start), 0x30u);
  EXPECT_EQ(f.word(kRam + (2u << 20)), 0x08070605u);  // the kernel is untouched
}

TEST(Initrd, ExactlyFillingTheEndOfRamFits) {
  Fixture f;
  auto plan = load_boot_images(f.map, {.kernel = image({1}), .initrd = initrd_of(kRamSize / 2)}, kRam);
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(plan->initrd->high, kRam + kRamSize);
}

TEST(Initrd, OneByteTooLargeForRamIsRejectedInOneSentence) {
  Fixture f;
  auto plan = load_boot_images(f.map, {.kernel = image({1}), .initrd = initrd_of(kRamSize / 2 + 1)}, kRam);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error(),
            "-initrd file 'rd' (8388609 bytes) does not fit in RAM: it goes at 0x80800000 and RAM "
            "ends at 0x81000000; give more RAM with -m");
  EXPECT_EQ(f.word(kRam + kRamSize / 2), 0u);
}

TEST(Initrd, AKernelReachingItsStartIsRejected) {
  Fixture f;
  auto plan = load_boot_images(
      f.map, {.kernel = image(std::vector<uint8_t>(kRamSize / 2 + 16, 1)), .initrd = initrd_of(16)}, kRam);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().find("-initrd file 'rd' has its raw contents at [0x80800000, 0x80800010) "
                              "which overlaps"), std::string::npos) << plan.error();
}

TEST(Initrd, NeedsAKernel) {
  Fixture f;
  auto plan = load_boot_images(f.map, {.bios = image({1}), .initrd = initrd_of(16)}, kRam);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error(), "-initrd file 'rd' needs a kernel to boot with it (-kernel)");
}

}  // namespace
}  // namespace vtime
