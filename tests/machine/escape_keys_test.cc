#include "vtime/machine/escape_keys.h"

#include <gtest/gtest.h>

namespace vtime {
namespace {

using Action = EscapeKeys::Action;

TEST(EscapeKeys, OrdinaryBytesPassSignalKeysIncluded) {
  EscapeKeys keys;
  for (int b : {int{'a'}, int{'\r'}, 0x03 /* C-c */, 0x1a /* C-z */, 0x1c /* C-backslash */, 0x13 /* C-s */}) {
    EXPECT_EQ(keys.feed(static_cast<uint8_t>(b)), Action::kPass) << b;
  }
}

TEST(EscapeKeys, CtrlAThenAKeyIsACommand) {
  EscapeKeys keys;
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed('x'), Action::kExit);
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed('h'), Action::kHelp);
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed('t'), Action::kTimestamps);
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed('c'), Action::kMonitor);
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed('b'), Action::kBreak);
  EXPECT_EQ(keys.feed('x'), Action::kPass);  // no escape before it: an ordinary x
}

TEST(EscapeKeys, TheEscapeKeyTwiceSendsItAndAnUnknownKeyIsDropped) {
  EscapeKeys keys;
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed(0x01), Action::kPass);
  EXPECT_EQ(keys.feed(0x01), Action::kSwallow);
  EXPECT_EQ(keys.feed('q'), Action::kSwallow);
  EXPECT_EQ(keys.feed('q'), Action::kPass);
}

TEST(EscapeKeys, AnotherEscapeKeyLikeQemusEchr) {
  EscapeKeys keys(0x14);  // C-t
  EXPECT_EQ(keys.feed(0x01), Action::kPass);
  EXPECT_EQ(keys.feed(0x14), Action::kSwallow);
  EXPECT_EQ(keys.feed('x'), Action::kExit);
  EXPECT_NE(keys.help().find("C-t x    exit vtime"), std::string::npos) << keys.help();
  EXPECT_NE(keys.help().find("C-t C-t  send C-t\r\n"), std::string::npos) << keys.help();
  EXPECT_EQ(EscapeKeys::key_name(0x80), "0x80");
}

}  // namespace
}  // namespace vtime
