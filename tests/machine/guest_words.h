// Tiny hand-encoded guests for the board's tests: instruction words laid out
// as a raw image for 0x8000_0000.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace vtime::test {

inline std::vector<uint8_t> program(std::initializer_list<uint32_t> words) {
  std::vector<uint8_t> bytes(words.size() * 4);
  size_t i = 0;
  for (uint32_t w : words) std::memcpy(&bytes[4 * i++], &w, 4);
  return bytes;
}

}  // namespace vtime::test
