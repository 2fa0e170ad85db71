#include "vtime/monitor/endpoint.h"

#include <gtest/gtest.h>

namespace vtime::monitor {
namespace {

TEST(Endpoint, UnixAndTcpInQemusSyntax) {
  const auto u = parse_endpoint("unix:/tmp/m.sock,server=on,wait=off", "--qmp");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->kind, Endpoint::Kind::kUnix);
  EXPECT_EQ(u->path, "/tmp/m.sock");
  const auto t = parse_endpoint("tcp:127.0.0.1:4444,server=on,wait=off", "--qmp");
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->kind, Endpoint::Kind::kTcp);
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 4444);
  const auto any = parse_endpoint("tcp::0,server", "--monitor");
  ASSERT_TRUE(any.ok()) << any.error();
  EXPECT_EQ(any->host, "127.0.0.1");  // loopback unless another address is named
}

TEST(Endpoint, RefusalsNameTheOptionAndTheReason) {
  for (const auto& [spec, why] : {std::pair{"unix:/tmp/x", "server=on"}, std::pair{"unix:,server=on", "no socket path"},
                                  std::pair{"tcp:host,server=on", "no port"},
                                  std::pair{"tcp:1.2.3.4:70000,server=on", "port number"},
                                  std::pair{"pipe:x,server=on", "neither"},
                                  std::pair{"unix:/x,server=on,wait=on", "never does"},
                                  std::pair{"unix:/x,server=on,frob=1", "unknown setting 'frob=1'"}}) {
    const auto r = parse_endpoint(spec, "--qmp");
    ASSERT_FALSE(r.ok()) << spec;
    EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
    EXPECT_EQ(r.error().rfind("--qmp: '", 0), 0u) << r.error();
  }
}

// What the user typed is quoted with control bytes escaped: one line always.
TEST(Endpoint, RefusalsQuoteTheSpecOnOneLine) {
  const auto r = parse_endpoint("\xff\n", "--qmp");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfind("--qmp: '\xff\\n' is neither", 0), 0u) << r.error();
  const auto setting = parse_endpoint("unix:/x,server=on,a\tb", "--monitor");
  ASSERT_FALSE(setting.ok());
  EXPECT_NE(setting.error().find("unknown setting 'a\\tb'"), std::string::npos) << setting.error();
}

}  // namespace
}  // namespace vtime::monitor
