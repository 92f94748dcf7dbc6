// Pure core pieces: error table, ids, time, durations, status rules.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/duration.h"
#include "core/error.h"
#include "core/ids.h"
#include "core/model.h"

namespace tg {
namespace {

TEST(Error, ExitCodesFollowTheContract) {
  EXPECT_EQ(ExitCode(Code::kInternal), 1);
  EXPECT_EQ(ExitCode(Code::kUsage), 2);
  EXPECT_EQ(ExitCode(Code::kAmbiguousId), 2);
  EXPECT_EQ(ExitCode(Code::kTaskNotFound), 3);
  EXPECT_EQ(ExitCode(Code::kNotInitialized), 3);
  EXPECT_EQ(ExitCode(Code::kTaskAlreadyClaimed), 4);
  EXPECT_EQ(ExitCode(Code::kCycleDetected), 4);
  EXPECT_EQ(ExitCode(Code::kStoreBusy), 5);
  EXPECT_EQ(ExitCode(Code::kValidationFailed), 6);
  EXPECT_EQ(ExitCode(Code::kParseFailed), 6);
  EXPECT_EQ(ExitCode(Code::kStoreCorrupt), 7);
  EXPECT_EQ(ExitCode(Code::kIoError), 7);
  EXPECT_EQ(CodeName(Code::kTaskAlreadyClaimed), "TASK_ALREADY_CLAIMED");
  EXPECT_EQ(CodeName(Code::kSchemaTooNew), "SCHEMA_TOO_NEW");
}

TEST(Ids, RandomUuidsAreVersion4AndDistinct) {
  RandomIdSource ids;
  std::string a = ids.NewUuid(), b = ids.NewUuid();
  EXPECT_TRUE(IsUuid(a));
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

TEST(Ids, ShortIdUsesTheUuidsLeadingDigits) {
  EXPECT_EQ(ShortId("tg-", "3fa9c1d2-e4f5-4000-8000-000000000000", 6), "tg-3fa9c1");
  EXPECT_EQ(ShortId("p-", "3fa9c1d2-e4f5-4000-8000-000000000000", 9), "p-3fa9c1d2e");
}

TEST(Ids, ParseIdQueryStripsPrefixesAndDashes) {
  IdQuery q = ParseIdQuery("TG-3FA9");
  EXPECT_EQ(q.exact, "tg-3fa9");
  EXPECT_EQ(q.hex_prefix, "3fa9");
  EXPECT_TRUE(q.uuid.empty());
  EXPECT_EQ(ParseIdQuery("3fa9c1d2-e4").hex_prefix, "3fa9c1d2e4");
  EXPECT_TRUE(ParseIdQuery("tg-3fa").hex_prefix.empty());      // too short
  EXPECT_TRUE(ParseIdQuery("Write docs").hex_prefix.empty());  // not hex
  EXPECT_EQ(DashUuidPrefix("3fa9c1d2e4f5"), "3fa9c1d2-e4f5");
}

TEST(Clock, IsoRoundTripsWithMilliseconds) {
  auto t = ParseIso("2026-11-26T12:37:19.123Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatIso(*t), "2026-11-26T12:37:19.123Z");
  EXPECT_EQ(*ParseIso("2026-11-26"), *ParseIso("2026-11-26T00:00:00Z"));
  EXPECT_EQ(*ParseIso("2026-11-26T14:00:00+02:00"), *ParseIso("2026-11-26T12:00:00Z"));
  EXPECT_FALSE(ParseIso("2026-13-01"));
  EXPECT_FALSE(ParseIso("yesterday"));
  EXPECT_FALSE(ParseIso("2026-11-26T12:00:00Zjunk"));
}

TEST(Clock, ShortFormatShowsTheDateOnlyForOtherDays) {
  Millis t = *ParseIso("2026-11-26T12:04:00Z");
  EXPECT_EQ(FormatShort(t, t + 3'600'000), "12:04 UTC");
  EXPECT_EQ(FormatShort(t, t + 86'400'000), "2026-11-26 12:04 UTC");
}

TEST(Duration, UnitsAndDefaults) {
  EXPECT_EQ(*ParseDuration("90s"), 90'000);
  EXPECT_EQ(*ParseDuration("30m"), 1'800'000);
  EXPECT_EQ(*ParseDuration("2h"), 7'200'000);
  EXPECT_EQ(*ParseDuration("250ms"), 250);
  EXPECT_EQ(*ParseDuration("5"), 300'000);  // minutes by default
  EXPECT_EQ(*ParseDuration("5", 1), 5);     // or the caller's unit
  EXPECT_FALSE(ParseDuration("soon"));
  EXPECT_FALSE(ParseDuration("-5m"));
  EXPECT_FALSE(ParseDuration(""));
}

TEST(Model, MaterializedStatusOnlyMovesTodoAndBlocked) {
  EXPECT_EQ(MaterializedStatus(TaskStatus::kTodo, 1), TaskStatus::kBlocked);
  EXPECT_EQ(MaterializedStatus(TaskStatus::kBlocked, 0), TaskStatus::kTodo);
  EXPECT_EQ(MaterializedStatus(TaskStatus::kBlocked, 2), TaskStatus::kBlocked);
  EXPECT_EQ(MaterializedStatus(TaskStatus::kDoing, 3), TaskStatus::kDoing);
  EXPECT_EQ(MaterializedStatus(TaskStatus::kDone, 3), TaskStatus::kDone);
}

TEST(Model, EnumsRoundTripThroughText) {
  for (auto s : {TaskStatus::kTodo, TaskStatus::kDoing, TaskStatus::kBlocked, TaskStatus::kDone,
                 TaskStatus::kCanceled}) {
    EXPECT_EQ(ParseTaskStatus(ToString(s)), s);
  }
  EXPECT_FALSE(ParseRisk("extreme"));
  EXPECT_TRUE(IsChangeType("refactor"));
  EXPECT_FALSE(IsChangeType("rewrite"));
}

}  // namespace
}  // namespace tg
