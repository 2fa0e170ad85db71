#include "tools/vtime/printable.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tools/vtime/memory_size.h"
#include "tools/vtime/run_request.h"

namespace vtime::cli {
namespace {

TEST(Printable, EscapesControlCharactersAndKeepsTheRest) {
  EXPECT_EQ(printable("3s"), "3s");
  EXPECT_EQ(printable("a\nb\tc\r"), "a\\nb\\tc\\r");
  EXPECT_EQ(printable(std::string("\0\x1f\x7f", 3)), "\\x00\\x1f\\x7f");
  EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes through
}

TEST(Printable, OptionErrorsQuotingTheInputStayOneLine) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--time-limit", "\n"}, {"--time-limit", "1\nms"}, {"--cpu-throttle", "5\n"},
           {"-m", "1\nG"}, {"-m", "\n"}, {"--report", "x\ny"}, {"--smp", "\n"}}) {
    const auto r = parse_run_arguments(args).request;
    ASSERT_FALSE(r.ok()) << args[1];
    EXPECT_EQ(r.error().find('\n'), std::string::npos) << r.error();
    EXPECT_NE(r.error().find("\\n"), std::string::npos) << r.error();
  }
}

}  // namespace
}  // namespace vtime::cli
