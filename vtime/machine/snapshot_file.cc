#include "vtime/machine/snapshot_file.h"

#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "vtime/state/crc32.h"
#include "vtime/state/state_stream.h"

namespace vtime {
namespace {

constexpr size_t kHeaderBytes = 8 + 4 + 4 + 4;          // magic, version, count, CRC
constexpr size_t kSectionHeaderBytes = 4 + 4 + 8 + 8;  // tag, encoding, stored, raw; then CRC
constexpr int kZstdLevel = 3;
constexpr uint64_t kMaxSections = 4096;

std::vector<uint8_t> compress(const std::vector<uint8_t>& raw) {
  std::vector<uint8_t> out(ZSTD_compressBound(raw.size()));
  const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), kZstdLevel);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

}  // namespace

std::vector<uint8_t> encode_snapshot(const std::vector<SnapshotSection>& sections) {
  StateWriter out;
  out.raw(kSnapshotMagic);
  out.u32(kSnapshotVersion);
  out.u32(static_cast<uint32_t>(sections.size()));
  out.u32(crc32(out.bytes()));
  for (const SnapshotSection& s : sections) {
    const bool zstd = s.encoding == SectionEncoding::kZstd;
    const std::vector<uint8_t> stored = zstd ? compress(s.bytes) : s.bytes;
    StateWriter header;
    std::array<uint8_t, 4> tag{};
    std::copy_n(s.tag.begin(), std::min<size_t>(4, s.tag.size()), tag.begin());
    header.raw(tag);
    header.u32(static_cast<uint32_t>(s.encoding));
    header.u64(stored.size());
    header.u64(s.bytes.size());
    out.raw(header.bytes());
    out.u32(crc32(stored, crc32(header.bytes())));
    out.raw(stored);
  }
  return out.take();
}

Result<std::vector<SnapshotSection>> decode_snapshot(std::span<const uint8_t> file,
                                                     uint64_t max_section_bytes) {
  if (file.size() < kHeaderBytes || !std::equal(kSnapshotMagic.begin(), kSnapshotMagic.end(), file.begin())) {
    return Error{"it is not a vtime snapshot (no VTSNAPSH header)."};
  }
  StateReader in(file, "the snapshot");
  in.raw(kSnapshotMagic.size());
  const uint32_t version = in.u32();
  const uint32_t count = in.u32();
  const uint32_t header_crc = in.u32();
  if (header_crc != crc32(file.first(kHeaderBytes - 4))) return Error{"its header fails its checksum."};
  if (version != kSnapshotVersion) {
    return Error{"it has format version " + std::to_string(version) + "; this vtime reads version " +
                 std::to_string(kSnapshotVersion) + "."};
  }
  if (count > kMaxSections) return Error{"it claims " + std::to_string(count) + " sections."};
  std::vector<SnapshotSection> sections;
  for (uint32_t i = 0; i < count; ++i) {
    const std::span<const uint8_t> header = in.raw(kSectionHeaderBytes);
    if (!in.ok()) return Error{"it is truncated in section " + std::to_string(i + 1) + " of " + std::to_string(count) + "."};
    StateReader h(header, "a section header");
    SnapshotSection s;
    const std::span<const uint8_t> tag = h.raw(4);
    s.tag.assign(tag.begin(), tag.end());
    const uint32_t encoding = h.u32();
    const uint64_t stored_len = h.u64();
    const uint64_t raw_len = h.u64();
    const uint32_t crc = in.u32();
    if (!in.ok() || stored_len > in.left()) {
      return Error{"it is truncated in section " + std::to_string(i + 1) + " of " + std::to_string(count) + "."};
    }
    const std::span<const uint8_t> stored = in.raw(static_cast<size_t>(stored_len));
    const std::string name = "section " + std::to_string(i + 1) + " (" + std::string(s.tag.begin(), s.tag.end()) + ")";
    if (crc != crc32(stored, crc32(header))) return Error{name + " fails its checksum."};
    if (raw_len > max_section_bytes) {
      return Error{name + " claims " + std::to_string(raw_len) + " bytes, more than this machine's " +
                   std::to_string(max_section_bytes) + "."};
    }
    if (encoding == static_cast<uint32_t>(SectionEncoding::kRaw)) {
      if (raw_len != stored_len) return Error{name + " has inconsistent lengths."};
      s.bytes.assign(stored.begin(), stored.end());
    } else if (encoding == static_cast<uint32_t>(SectionEncoding::kZstd)) {
      s.encoding = SectionEncoding::kZstd;
      s.bytes.resize(static_cast<size_t>(raw_len));
      const size_t n = ZSTD_decompress(s.bytes.data(), s.bytes.size(), stored.data(), stored.size());
      if (ZSTD_isError(n) || n != raw_len) return Error{name + " does not decompress."};
    } else {
      return Error{name + " has unknown encoding " + std::to_string(encoding) + "."};
    }
    sections.push_back(std::move(s));
  }
  if (in.left() != 0) return Error{"it has " + std::to_string(in.left()) + " bytes after its last section."};
  return sections;
}

Result<std::vector<uint8_t>> read_whole_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open " + what + " " + path + "."};
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Error{"cannot read " + what + " " + path + "."};
  return bytes;
}

Status write_whole_file(const std::string& path, std::span<const uint8_t> bytes, const std::string& what) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(partial.c_str());
      return Error{"cannot write " + what + " " + path + "."};
    }
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    return Error{"cannot write " + what + " " + path + "."};
  }
  return ok_status();
}

}  // namespace vtime
