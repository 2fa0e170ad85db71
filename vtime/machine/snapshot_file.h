// The snapshot file container (docs/snapshot.md): a header naming the format
// and its version, then tagged sections, each length-prefixed and checked by a
// CRC-32 over its header and bytes, optionally zstd-compressed. What a section
// holds is its owner's business (StateWriter encodings); this file only packs
// and unpacks them. decode_snapshot() checks everything - magic, version,
// every length and checksum, decompression - before it returns anything, so a
// caller never sees part of a bad file.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtime/time/result.h"

namespace vtime {

inline constexpr std::array<uint8_t, 8> kSnapshotMagic = {'V', 'T', 'S', 'N', 'A', 'P', 'S', 'H'};
inline constexpr uint32_t kSnapshotVersion = 1;

enum class SectionEncoding : uint32_t { kRaw = 0, kZstd = 1 };

struct SnapshotSection {
  std::string tag;             // four characters, e.g. "HART"
  std::vector<uint8_t> bytes;  // uncompressed
  SectionEncoding encoding = SectionEncoding::kRaw;  // how to store it
};

std::vector<uint8_t> encode_snapshot(const std::vector<SnapshotSection>& sections);
// Refuses, with one sentence naming the problem, a file that is not a vtime
// snapshot, has another version, is truncated or has bytes after its last
// section, fails a checksum, does not decompress, or has a section longer than
// `max_section_bytes` once uncompressed.
Result<std::vector<SnapshotSection>> decode_snapshot(std::span<const uint8_t> file,
                                                     uint64_t max_section_bytes);

// Whole files, for snapshots and replay logs; `what` names the file in errors
// ("cannot open snapshot F."). A write goes to F.partial and is renamed, so a
// failed write never leaves half a file under the name.
Result<std::vector<uint8_t>> read_whole_file(const std::string& path, const std::string& what);
Status write_whole_file(const std::string& path, std::span<const uint8_t> bytes, const std::string& what);

}  // namespace vtime
