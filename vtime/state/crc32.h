// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final value
// 0xFFFFFFFF): the same checksum as zlib's crc32() and `cksum -a crc32b`, for
// checking snapshot blobs. Table-driven, one byte at a time; the table is built
// at compile time.
#pragma once

#include <cstdint>
#include <span>

namespace vtime {

// CRC of `bytes`. To checksum in pieces, pass the previous result as `crc`.
uint32_t crc32(std::span<const uint8_t> bytes, uint32_t crc = 0);

}  // namespace vtime
