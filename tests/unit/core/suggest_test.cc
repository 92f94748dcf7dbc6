// "Did you mean" and spans for people: the helpers every front end and the plan reader share.
#include <gtest/gtest.h>

#include "core/duration.h"
#include "core/suggest.h"

namespace tg {
namespace {

TEST(EditDistance, CountsInsertsDeletesSubstitutionsAndSwaps) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("stats", "stats"), 0u);
  EXPECT_EQ(EditDistance("stat", "stats"), 1u);
  EXPECT_EQ(EditDistance("staus", "stats"), 1u);
  EXPECT_EQ(EditDistance("statsu", "status"), 1u);  // a swap of neighbours is one edit
  EXPECT_EQ(EditDistance("abc", ""), 3u);
}

TEST(ClosestWord, PrefersACaseOnlyDifferenceThenTheNearestCloseWord) {
  std::vector<std::string> keys{"blockedBy", "blocked", "content", "changeType"};
  EXPECT_EQ(ClosestWord("blockedby", keys), "blockedBy");
  EXPECT_EQ(ClosestWord("contnet", keys), "content");
  EXPECT_EQ(ClosestWord("chnageType", keys), "changeType");
  EXPECT_EQ(ClosestWord("colour", keys), "");  // nothing is close: no suggestion
}

TEST(FormatSpan, UsesTheTwoLargestUnits) {
  EXPECT_EQ(FormatSpan(0), "0s");
  EXPECT_EQ(FormatSpan(59'999), "59s");
  EXPECT_EQ(FormatSpan(12 * 60'000), "12m");
  EXPECT_EQ(FormatSpan(65 * 60'000), "1h05m");
  EXPECT_EQ(FormatSpan(50 * 3'600'000LL), "2d2h");
  EXPECT_EQ(FormatSpan(-90'000), "1m");
}

}  // namespace
}  // namespace tg
