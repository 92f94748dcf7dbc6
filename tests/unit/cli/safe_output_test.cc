// Terminal-safe output (cli/safe_output.h) and the last-resort catch of cli::Run (issue 9).
#include "cli/safe_output.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cli/cli.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace tg::cli {
namespace {

TEST(TerminalSafe, ControlCharactersAreShownEscaped) {
  EXPECT_EQ(TerminalSafe("plain\ttext\n"), "plain\ttext\n");
  EXPECT_EQ(TerminalSafe("\x1b]0;pwned\x07"), "\\u001b]0;pwned\\u0007");
  EXPECT_EQ(TerminalSafe("cr\rdel\x7f"), "cr\\u000ddel\\u007f");
  EXPECT_EQ(TerminalSafe("csi\xc2\x9b"
                         "2J"),
            "csi\\u009b2J");
  EXPECT_EQ(TerminalSafe("bidi\xe2\x80\xae"), "bidi\\u202e");
  EXPECT_EQ(TerminalSafe(std::string("nul\0", 4)), "nul\\u0000");
  EXPECT_EQ(TerminalSafe("caf\xc3\xa9 \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(TerminalSafe("bad\xff"), "bad\xef\xbf\xbd");
}

// JSON output passes unchanged in meaning: nlohmann escapes C0 itself, and DEL or a C1
// control inside a string becomes a \u escape JSON reads back as the same character.
TEST(TerminalSafe, JsonStaysValidAndEqual) {
  nlohmann::json j = {{"title",
                       "a\x7f"
                       "b\xc2\x9b"
                       "c\x1b"},
                      {"n", 1}};
  std::string safe = TerminalSafe(j.dump(2));
  EXPECT_EQ(nlohmann::json::parse(safe), j);
  for (unsigned char c : safe) EXPECT_FALSE(c < 0x20 && c != '\n') << int(c);
}

TEST(TerminalSafe, ASequenceSplitAcrossWritesIsKept) {
  std::ostringstream target;
  {
    TerminalSafeBuf buf(target.rdbuf());
    std::ostream out(&buf);
    out << "caf\xc3";
    out.flush();
    out << "\xa9 \xe2\x80";
    out.flush();
    out << "\xae!";
  }
  EXPECT_EQ(target.str(), "caf\xc3\xa9 \\u202e!");
  std::ostringstream cut;
  {
    TerminalSafeBuf buf(cut.rdbuf());
    std::ostream out(&buf);
    out << "end\xe2\x80";  // never completed: replaced at the end
  }
  EXPECT_EQ(cut.str(), "end\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(TerminalSafe, LongOutputPassesThroughTheBuffer) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "line \xc3\xa9 " + std::to_string(i) + "\n";
  std::ostringstream target;
  {
    TerminalSafeBuf buf(target.rdbuf());
    std::ostream out(&buf);
    for (char c : text) out.put(c);  // every sequence may be cut at a buffer boundary
  }
  EXPECT_EQ(target.str(), text);
}

class ThrowingClock final : public Clock {
 public:
  Millis Now() const override { throw std::runtime_error("clock exploded"); }
};

// An exception that escapes a command ends as INTERNAL with its message, not as an abort.
TEST(CliRun, AnEscapedExceptionIsInternalNotAnAbort) {
  tg::test::TempDir tmp("tg-run");
  const std::string& dir = tmp.path();
  ASSERT_TRUE(store::Init(dir, {}));
  std::ostringstream out, err;
  Env env;
  env.cwd = dir;
  env.vars["TG_DIR"] = dir;
  ThrowingClock clock;
  SequentialIdSource ids;
  Session s(Io{out, err}, env, clock, ids);
  const char* argv[] = {"tg", "status", "--json"};
  int rc = tg::cli::Run(3, argv, s);
  EXPECT_EQ(rc, 1);
  EXPECT_NE(err.str().find("tg status: internal error: clock exploded"), std::string::npos)
      << err.str();
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["error"]["code"], "INTERNAL");
}

TEST(Config, SettingsOutsideTheirRangeNameTheFileAndKey) {
  auto ok = store::ParseConfig(R"({"lease_minutes": 30, "other": [1]})", "c.json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->lease_minutes, 30);
  for (const char* text : {R"({"lease_minutes": 4294967296})", R"({"lease_minutes": -1})",
                           R"({"stale_hours": "2"})", R"({"context_token_budget": 0})"}) {
    auto r = store::ParseConfig(text, "c.json");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, Code::kValidationFailed);
    EXPECT_TRUE(r.error().message.starts_with("c.json: ")) << r.error().message;
  }
  auto empty = store::ParseConfig("", "c.json");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message,
            "c.json is empty; write {} into it for the defaults, or delete it and run `tg init`");
}

}  // namespace
}  // namespace tg::cli
