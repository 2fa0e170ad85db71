#include "tools/vtime/memory_size.h"

#include <gtest/gtest.h>

namespace vtime::cli {
namespace {

TEST(MemorySize, APlainNumberIsMebibytesLikeQemu) {
  EXPECT_EQ(*parse_memory_size("128"), 128ull << 20);
}

TEST(MemorySize, SuffixesAreBinaryAndCaseInsensitive) {
  EXPECT_EQ(*parse_memory_size("64M"), 64ull << 20);
  EXPECT_EQ(*parse_memory_size("1g"), 1ull << 30);
  EXPECT_EQ(*parse_memory_size("2048K"), 2ull << 20);
  EXPECT_EQ(*parse_memory_size("1GiB"), 1ull << 30);
  EXPECT_EQ(*parse_memory_size("512MB"), 512ull << 20);
}

TEST(MemorySize, RejectsNonsenseWithASentenceNamingTheOption) {
  for (const char* bad : {"", "abc", "12Q", "-5", "0", "100000000G", "1025K"}) {
    const auto r = parse_memory_size(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().rfind("-m: ", 0), 0u) << r.error();
  }
}

}  // namespace
}  // namespace vtime::cli
