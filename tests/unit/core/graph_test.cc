#include "core/graph.h"

#include <gtest/gtest.h>

#include <map>

namespace tg {
namespace {

TEST(FindCycle, AcyclicGraphHasNone) {
  EXPECT_FALSE(FindCycle({{"a", "b"}, {"b", "c"}, {"a", "c"}}));
}

TEST(FindCycle, ReportsTheCyclePath) {
  auto c = FindCycle({{"x", "a"}, {"a", "b"}, {"b", "c"}, {"c", "a"}});
  ASSERT_TRUE(c);
  EXPECT_EQ(FormatPath(*c), "a -> b -> c -> a");
}

TEST(FindCycle, SelfLoopIsACycle) {
  auto c = FindCycle({{"a", "a"}});
  ASSERT_TRUE(c);
  EXPECT_EQ(FormatPath(*c), "a -> a");
}

TEST(FindPath, FindsAShortestPath) {
  std::map<std::string, std::vector<std::string>> g{
      {"a", {"b", "c"}}, {"b", {"d"}}, {"c", {"d"}}, {"d", {"e"}}};
  auto path = FindPath("a", "e", [&](const std::string& n) { return g[n]; });
  ASSERT_TRUE(path);
  EXPECT_EQ(path->size(), 4u);
  EXPECT_EQ(path->front(), "a");
  EXPECT_EQ(path->back(), "e");
  EXPECT_FALSE(FindPath("e", "a", [&](const std::string& n) { return g[n]; }));
}

}  // namespace
}  // namespace tg
