// Id resolution against crafted UUIDs, so ambiguity is deterministic.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"
#include "support/temp_dir.h"

namespace tg::store {
namespace {

namespace fs = std::filesystem;

class MatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Init(dir_, {}));
    store_ = std::move(*Open(dir_, {}, clock_));
    auto w = std::move(*store_->Write("test"));
    Plan p{"aaaaaaaa-0000-4000-8000-000000000000", "p-aaaaaa", "Plan"};
    ASSERT_TRUE(w->InsertPlan(p));
    for (const char* uuid :
         {"abcd1111-0000-4000-8000-000000000000", "abcd2222-0000-4000-8000-000000000000",
          "abce3333-0000-4000-8000-000000000000"}) {
      Task t;
      t.task_id = uuid;
      t.hash_id = *w->AllocateShortId(Entity::kTask, uuid);
      t.plan_id = p.plan_id;
      t.title = std::string("task ") + uuid[4];
      ASSERT_TRUE(w->InsertTask(t));
    }
    ASSERT_TRUE(w->Commit("t", "setup", ids_, {}));
  }
  std::vector<std::string> Match(const std::string& in) {
    std::vector<std::string> out;
    auto matches = (*store_->Read())->MatchIds(Entity::kTask, in, 10);
    for (const auto& m : *matches) out.push_back(m.hash_id);
    return out;
  }
  test::TempDir tmp_;
  const std::string& dir_ = tmp_.path();
  FixedClock clock_{1};
  std::unique_ptr<Store> store_;
  SequentialIdSource ids_;
};

TEST_F(MatchTest, SharedPrefixIsAmbiguous) {
  EXPECT_EQ(Match("abcd"), (std::vector<std::string>{"tg-abcd11", "tg-abcd22"}));
  EXPECT_EQ(Match("tg-abcd"), (std::vector<std::string>{"tg-abcd11", "tg-abcd22"}));
}

TEST_F(MatchTest, LongerPrefixIsUnique) {
  EXPECT_EQ(Match("abcd1"), std::vector<std::string>{"tg-abcd11"});
  EXPECT_EQ(Match("abce"), std::vector<std::string>{"tg-abce33"});
}

TEST_F(MatchTest, ExactFormsWin) {
  EXPECT_EQ(Match("ABCD2222-0000-4000-8000-000000000000"), std::vector<std::string>{"tg-abcd22"});
  EXPECT_EQ(Match("tg-abcd11"), std::vector<std::string>{"tg-abcd11"});
  EXPECT_EQ(Match("abcd1111-00"), std::vector<std::string>{"tg-abcd11"});  // dashed prefix
}

TEST_F(MatchTest, ShortOrNonHexInputMatchesNothing) {
  EXPECT_TRUE(Match("abc").empty());
  EXPECT_TRUE(Match("zzzz").empty());
  EXPECT_TRUE(Match("ffff").empty());
}

TEST_F(MatchTest, ShortIdCollisionGetsAnotherDigit) {
  auto w = std::move(*store_->Write("test"));
  auto id = w->AllocateShortId(Entity::kTask, "abcd1111-9999-4000-8000-000000000000");
  EXPECT_EQ(*id, "tg-abcd111");
}

}  // namespace
}  // namespace tg::store
