#include "vtime/monitor/json_splitter.h"

#include <gtest/gtest.h>

namespace vtime::monitor {
namespace {

std::vector<std::string> texts(const std::vector<JsonSplitter::Piece>& pieces) {
  std::vector<std::string> out;
  for (const auto& p : pieces) out.push_back((p.bad ? "BAD:" : "") + p.text);
  return out;
}

TEST(JsonSplitter, SeveralTextsInOneReadAndOneTextOverManyReads) {
  JsonSplitter s;
  EXPECT_EQ(texts(s.feed("{\"a\":1}\r\n {\"b\":[1,{}]}")), (std::vector<std::string>{"{\"a\":1}", "{\"b\":[1,{}]}"}));
  EXPECT_TRUE(s.feed("{\"exec").empty());
  EXPECT_TRUE(s.feed("ute\": \"x\",\n \"id\"").empty());  // a newline inside a text does not end it
  EXPECT_EQ(texts(s.feed(": 3}")), (std::vector<std::string>{"{\"execute\": \"x\",\n \"id\": 3}"}));
  EXPECT_EQ(s.buffered(), 0u);
}

TEST(JsonSplitter, BracketsAndQuotesInsideStringsDoNotCount) {
  JsonSplitter s;
  EXPECT_EQ(texts(s.feed(R"({"s":"}]\"{["})")), (std::vector<std::string>{R"({"s":"}]\"{["})"}));
}

TEST(JsonSplitter, AnInvalidByteOrStrayTextIsBadToTheNextNewlineAndTheNextTextIsFine) {
  JsonSplitter s;
  EXPECT_EQ(texts(s.feed("{bad json\n{\"ok\":true}")), (std::vector<std::string>{"BAD:{bad json", "{\"ok\":true}"}));
  EXPECT_EQ(texts(s.feed("hello\n42\n")), (std::vector<std::string>{"BAD:hello", "BAD:42"}));
}

TEST(JsonSplitter, ATooLongTextIsDroppedWithBoundedMemory) {
  JsonSplitter s;
  std::string big = "{\"x\":\"" + std::string(JsonSplitter::kMaxText, 'y');
  EXPECT_TRUE(s.feed(big).empty());
  EXPECT_LE(s.buffered(), 100u);
  const auto out = s.feed(std::string(1000, 'y') + "\"}\n{}");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].bad);
  EXPECT_EQ(out[1].text, "{}");
}

}  // namespace
}  // namespace vtime::monitor
