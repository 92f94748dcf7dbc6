// The stdio framing: lines split across reads, overlong lines, a last line without a newline,
// and the serve loop over a pipe.
#include <unistd.h>

#include <sstream>
#include <thread>

#include "mcp/stdio.h"
#include "unit/mcp/mcp_test_util.h"

namespace tg::mcp {
namespace {

struct Collected {
  std::vector<std::pair<std::string, bool>> lines;
  std::function<void(std::string_view, bool)> fn() {
    return [this](std::string_view l, bool too_long) { lines.emplace_back(l, too_long); };
  }
};

TEST(LineSplitter, JoinsLinesAcrossReads) {
  LineSplitter s;
  Collected c;
  s.Feed("{\"a\":", c.fn());
  EXPECT_TRUE(c.lines.empty());
  s.Feed("1}\n{\"b\"", c.fn());
  s.Feed(":2}\n\n", c.fn());
  s.Finish(c.fn());
  ASSERT_EQ(c.lines.size(), 3u);
  EXPECT_EQ(c.lines[0].first, "{\"a\":1}");
  EXPECT_EQ(c.lines[1].first, "{\"b\":2}");
  EXPECT_EQ(c.lines[2].first, "");
}

TEST(LineSplitter, AnOverlongLineIsReportedAndTheNextOneIsIntact) {
  LineSplitter s(8);
  Collected c;
  s.Feed("0123456789", c.fn());
  s.Feed("abcdef\nok\n", c.fn());
  ASSERT_EQ(c.lines.size(), 2u);
  EXPECT_TRUE(c.lines[0].second);
  EXPECT_EQ(c.lines[1], std::make_pair(std::string("ok"), false));
}

TEST(LineSplitter, TheLastLineNeedsNoNewline) {
  LineSplitter s;
  Collected c;
  s.Feed("last", c.fn());
  s.Finish(c.fn());
  ASSERT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.lines[0].first, "last");
}

class ServeTest : public McpTest {};

TEST_F(ServeTest, AnswersEachRequestOnItsOwnLineAndEndsAtEndOfInput) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string input =
      R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})"
      "\n"
      R"({"jsonrpc":"2.0","method":"notifications/initialized"})"
      "\n"
      "garbage\n"
      R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"tg_next"}})";
  std::thread writer([&] {
    // Two writes, so a line arrives in pieces.
    size_t half = input.size() / 2;
    ASSERT_EQ(write(fds[1], input.data(), half), static_cast<ssize_t>(half));
    ASSERT_EQ(write(fds[1], input.data() + half, input.size() - half),
              static_cast<ssize_t>(input.size() - half));
    close(fds[1]);
  });
  std::ostringstream out, err;
  int rc = Serve(fds[0], out, err, *server_);
  writer.join();
  close(fds[0]);
  EXPECT_EQ(rc, 0);
  std::istringstream lines(out.str());
  std::vector<Json> replies;
  for (std::string l; std::getline(lines, l);) replies.push_back(Json::parse(l));
  ASSERT_EQ(replies.size(), 3u) << out.str();
  EXPECT_EQ(replies[0]["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(replies[1]["error"]["code"], kParseError);
  EXPECT_EQ(replies[2]["id"], 2);
  EXPECT_EQ(replies[2]["result"]["isError"], false);
}

}  // namespace
}  // namespace tg::mcp
