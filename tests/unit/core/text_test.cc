// The text rules, number ranges and bounded file reads of core/ (issue 9).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/file.h"
#include "core/limits.h"
#include "core/model.h"
#include "core/strings.h"
#include "core/text.h"
#include "support/temp_dir.h"

#include <nlohmann/json.hpp>

namespace tg {
namespace {

TEST(TextRules, SingleLineFieldsRefuseControlsButTab) {
  EXPECT_FALSE(TextProblem("plain text, café", TextKind::kSingleLine));
  EXPECT_FALSE(TextProblem("tab\there", TextKind::kSingleLine));
  EXPECT_EQ(TextProblem("a\nb", TextKind::kSingleLine),
            "contains a line break; it must be one line");
  EXPECT_EQ(TextProblem("a\rb", TextKind::kSingleLine),
            "contains a line break; it must be one line");
  EXPECT_EQ(TextProblem("x\x1b[1m", TextKind::kSingleLine),
            "contains the control character U+001B at character 2; remove it");
  EXPECT_TRUE(TextProblem(std::string("nul\0", 4), TextKind::kSingleLine));
  EXPECT_TRUE(TextProblem("del\x7f", TextKind::kSingleLine));
  EXPECT_TRUE(TextProblem("csi\xc2\x9b", TextKind::kSingleLine));  // C1, in UTF-8
  EXPECT_FALSE(TextProblem("nbsp\xc2\xa0", TextKind::kSingleLine));
}

TEST(TextRules, MultiLineFieldsHoldLinesButNoOtherControls) {
  EXPECT_FALSE(TextProblem("one\ntwo\r\nthree\tfour", TextKind::kMultiLine));
  EXPECT_TRUE(TextProblem("bell\x07", TextKind::kMultiLine));
  EXPECT_TRUE(TextProblem("esc\x1b", TextKind::kMultiLine));
}

TEST(TextRules, InvalidUtf8IsNamedByByteAndOffset) {
  EXPECT_EQ(TextProblem("x\xff", TextKind::kMultiLine),
            "is not valid UTF-8 (byte 0xFF at offset 1); pass UTF-8 text");
  EXPECT_TRUE(TextProblem("\xc0\xaf", TextKind::kMultiLine));      // overlong
  EXPECT_TRUE(TextProblem("\xed\xa0\x80", TextKind::kMultiLine));  // surrogate
  EXPECT_TRUE(TextProblem("cut \xe2\x82", TextKind::kMultiLine));  // truncated
}

TEST(TextRules, LengthIsCountedInCharacters) {
  EXPECT_FALSE(TextProblem(std::string(10, 'x'), TextKind::kSingleLine, 10));
  EXPECT_EQ(TextProblem(std::string(11, 'x'), TextKind::kSingleLine, 10),
            "is 11 characters long; the limit is 10");
  std::string e255;
  for (int i = 0; i < 255; ++i) e255 += "\xc3\xa9";  // 510 bytes, 255 characters
  EXPECT_FALSE(TitleProblem(e255));
  EXPECT_TRUE(TitleProblem(e255 + "x"));
}

TEST(TextRules, TitlesAreOneLineAndNotBlank) {
  EXPECT_FALSE(TitleProblem("Write the parser"));
  EXPECT_EQ(TitleProblem(" \t "), "is empty; give 1 to 255 characters");
  EXPECT_EQ(TitleProblem(""), "is empty; give 1 to 255 characters");
  EXPECT_TRUE(TitleProblem("two\nlines"));
  EXPECT_EQ(TitleProblem(std::string(256, 'x')),
            "is 256 characters long; titles are limited to 255 (move detail to the intent)");
}

TEST(TextRules, TerminalUnsafeCharactersIncludeBidiOverrides) {
  EXPECT_TRUE(IsUnsafeForTerminal(0x1B));
  EXPECT_TRUE(IsUnsafeForTerminal(0x9B));
  EXPECT_TRUE(IsUnsafeForTerminal(0x202E));
  EXPECT_TRUE(IsUnsafeForTerminal(0x2066));
  EXPECT_FALSE(IsUnsafeForTerminal('a'));
  EXPECT_FALSE(IsUnsafeForTerminal(0xE9));
}

TEST(Limits, IntegersParseWithoutWrapping) {
  EXPECT_EQ(ParseInteger("42"), 42);
  EXPECT_EQ(ParseInteger("-7"), -7);
  EXPECT_EQ(ParseInteger("9223372036854775807"), INT64_MAX);
  EXPECT_FALSE(ParseInteger("9223372036854775808"));
  EXPECT_FALSE(ParseInteger("4294967296x"));
  EXPECT_FALSE(ParseInteger(""));
  EXPECT_FALSE(ParseInteger("1.5"));
  EXPECT_FALSE(ParseInteger(" 1"));
}

TEST(Limits, RangesAndDurationsReadAsDocumented) {
  EXPECT_EQ(FormatRange(kPriorityRange), "0 to 1000000");
  EXPECT_EQ(FormatDurationRange(kLeaseRange), "1s to 30d");
  EXPECT_EQ(FormatDuration(90 * kSecond), "90s");
  EXPECT_EQ(FormatDuration(250), "250ms");
  EXPECT_TRUE(kLeaseRange.Contains(30 * kDay));
  EXPECT_FALSE(kLeaseRange.Contains(30 * kDay + 1));
  // The largest time TG_NOW accepts plus the longest lease still has a four-digit year.
  EXPECT_LT(FormatIso(kTimeRange.max + kLeaseRange.max).size(), 25u);
  EXPECT_EQ(FormatIso(kTimeRange.max), "9999-01-01T00:00:00.000Z");
}

TEST(Limits, JsonDepthIsCountedWithoutParsing) {
  EXPECT_EQ(JsonDepth("1"), 0);
  EXPECT_EQ(JsonDepth(R"({"a":[1,{"b":[]}]})"), 4);
  EXPECT_EQ(JsonDepth(R"(["[[[[", "{{{"])"), 1);  // brackets in strings do not count
  EXPECT_EQ(JsonDepth(R"(["\"[[["])"), 1);
  EXPECT_EQ(JsonDepth(std::string(100'000, '[')), 100'000);
}

class BoundedFile : public ::testing::Test {
 protected:
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  tg::test::TempDir tmp_{"tg-file"};
  const std::filesystem::path dir_{tmp_.path()};
};

TEST_F(BoundedFile, OnlyRegularFilesWithinTheLimitAreRead) {
  FileRules rules{"plan file", 10};
  { std::ofstream(Path("ok")) << "0123456789"; }
  EXPECT_EQ(*ReadBoundedFile(Path("ok"), rules), "0123456789");
  { std::ofstream(Path("big")) << "0123456789X"; }
  auto big = ReadBoundedFile(Path("big"), rules);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, Code::kParseFailed);
  EXPECT_NE(big.error().message.find("is larger than 10 bytes"), std::string::npos);
  auto zero = ReadBoundedFile("/dev/zero", rules);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("is not a regular file"), std::string::npos);
  ASSERT_EQ(mkfifo(Path("fifo").c_str(), 0644), 0);
  auto fifo = ReadBoundedFile(Path("fifo"), rules);  // returns at once: no writer is awaited
  ASSERT_FALSE(fifo);
  EXPECT_EQ(fifo.error().code, Code::kParseFailed);
  auto missing = ReadBoundedFile(Path("nope"), rules);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Code::kFileNotFound);
  auto dir = ReadBoundedFile(dir_.string(), rules);
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().code, Code::kFileNotFound);
}

TEST_F(BoundedFile, AtomicWritesKeepOrReplaceWhole) {
  std::string p = Path("config.json");
  bool kept = true;
  ASSERT_TRUE(WriteFileAtomically(p, "first", /*replace=*/false, &kept));
  EXPECT_FALSE(kept);
  ASSERT_TRUE(WriteFileAtomically(p, "second", /*replace=*/false, &kept));
  EXPECT_TRUE(kept);
  EXPECT_EQ(*ReadBoundedFile(p, FileRules{"f", 100}), "first");
  ASSERT_TRUE(WriteFileAtomically(p, "third", /*replace=*/true));
  EXPECT_EQ(*ReadBoundedFile(p, FileRules{"f", 100}), "third");
  // Nothing but the file itself is left behind.
  size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) entries += (void(e), 1);
  EXPECT_EQ(entries, 1u);
  auto ro = WriteFileAtomically("/proc/tg-no-such/x", "x", true);
  EXPECT_FALSE(ro);
}

// The quick path must write what the json library writes, byte for byte: stored event bodies
// and commit task lists are compared and re-read as the library would have written them.
TEST(AppendJsonString, MatchesTheJsonLibraryForEveryKindOfText) {
  for (std::string text :
       {std::string(""), std::string("step-17 of a plan"), std::string("a \"quote\""),
        std::string("a \\ backslash"), std::string("tab\there"), std::string("line\nbreak"),
        std::string("\x01\x1f\x7f"), std::string("é ü 中 😀"), std::string("bad \xff\xfe byte"),
        std::string("cut \xe4\xb8"), std::string(1, '\0')}) {
    std::string out = "[";
    AppendJsonString(out, text);
    EXPECT_EQ(out.substr(1),
              nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        << text;
  }
}

TEST(Counted, NamesOneThingInTheSingularAndAnyOtherNumberInThePlural) {
  EXPECT_EQ(Counted(1, "task"), "1 task");
  EXPECT_EQ(Counted(0, "task"), "0 tasks");
  EXPECT_EQ(Counted(12, "plan"), "12 plans");
  EXPECT_EQ(Counted(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(Counted(2, "entry", "entries"), "2 entries");
}

}  // namespace
}  // namespace tg
