// Id resolution (contract section 2): UUIDs, short ids, prefixes, titles, ambiguity.
#include <gtest/gtest.h>

#include <map>
#include <regex>

#include "support/sandbox.h"

namespace tg::test {
namespace {

TEST(Ids, ShortIdsHaveTheContractShape) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  EXPECT_TRUE(std::regex_match(p, std::regex("p-[0-9a-f]{6,}")));
  EXPECT_TRUE(std::regex_match(t, std::regex("tg-[0-9a-f]{6,}")));
}

TEST(Ids, TaskResolvesByUuidShortIdAndPrefix) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  json task = sb.Json({"task", "new", "Resolve me", "--plan", p});
  std::string uuid = task["task_id"], hash = task["hash_id"];
  std::string upper = uuid;
  for (auto& c : upper) c = static_cast<char>(toupper(c));
  for (const std::string& ref : {uuid, upper, hash, hash.substr(0, 7), hash.substr(3, 4),
                                 uuid.substr(0, 11) /* dashed UUID prefix */}) {
    json j = sb.Json({"show", ref});
    EXPECT_EQ(j["task_id"], uuid) << "ref " << ref;
  }
}

TEST(Ids, PrefixShorterThanFourDigitsIsNotFound) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  RunResult r = sb.Run({"show", t.substr(0, 6), "--json"});  // "tg-" + 3 digits
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "TASK_NOT_FOUND");
}

TEST(Ids, UnknownTaskIsNotFoundWithAHint) {
  Sandbox sb;
  RunResult r = sb.Run({"show", "tg-ffffff"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no task matches 'tg-ffffff'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tg status --tasks"), std::string::npos);
}

TEST(Ids, PlanResolvesByTitleCaseInsensitively) {
  Sandbox sb;
  std::string p = sb.NewPlan("Import Pipeline");
  json j = sb.Json({"plan", "set-priority", "import pipeline", "2"});
  EXPECT_EQ(j["hash_id"], p);
  EXPECT_EQ(j["priority"], 2);
}

TEST(Ids, DuplicatePlanTitlesAreAmbiguous) {
  Sandbox sb;
  sb.NewPlan("Same");
  sb.NewPlan("Same");
  RunResult r = sb.Run({"plan", "set-priority", "Same", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("matches 2 plans"), std::string::npos) << r.err;
}

TEST(Ids, CancelOfANameThatIsBothPlanAndTaskAsksForType) {
  Sandbox sb;
  json plan = sb.Json({"plan", "new", "P"});
  json task = sb.Json({"task", "new", "T", "--plan", "P"});
  // A plan title equal to the task's short id makes the argument resolve both ways.
  std::string hash = task["hash_id"];
  sb.Ok({"plan", "new", hash});
  RunResult r = sb.Run({"cancel", hash, "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)[0]["error"]["code"], "AMBIGUOUS_ID");
  EXPECT_NE(r.err.find("--type"), std::string::npos);
  json ok = sb.Json({"cancel", hash, "--type", "task"});
  EXPECT_EQ(ok[0]["status"], "canceled");
}

}  // namespace
}  // namespace tg::test
