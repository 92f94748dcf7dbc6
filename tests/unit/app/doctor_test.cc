// Doctor's checks run through the store interface: graph invariants from raw rows, and the
// history replay over the live schema.
#include "app/doctor.h"

#include "app/claims.h"

#include "store/sqlite/db.h"
#include "unit/app/app_test_util.h"

namespace tg::app {
namespace {

class DoctorTest : public AppTest {
 protected:
  // Changes the store behind tg's back, as a damaged file or another program would.
  void Sql(const std::string& sql) {
    auto db = store::sqlite::Db::Open(dir_ + "/.taskgraph/tg.db", false, 1000);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE((*db)->Exec(sql));
  }
  std::vector<Finding> Findings() {
    auto f = Doctor(ctx());
    EXPECT_TRUE(f) << f.error().message;
    return f ? *f : std::vector<Finding>{};
  }
  static bool Has(const std::vector<Finding>& fs, const std::string& check,
                  const std::string& row = "") {
    for (const auto& f : fs) {
      if (f.check != check) continue;
      if (row.empty() || std::find(f.rows.begin(), f.rows.end(), row) != f.rows.end()) return true;
    }
    return false;
  }
};

// Every history table gets rows here, so a table the recorder stopped recording shows up.
TEST_F(DoctorTest, ACleanGraphHasNoFindings) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B");
  TaskFields f;
  f.docs = std::vector<std::string>{"backend"};
  f.skills = std::vector<std::string>{"sql"};
  ASSERT_TRUE(UpdateTask(ctx(), a.task_id, f));
  ASSERT_TRUE(AddEdge(ctx(), a.task_id, EdgeType::kBlocks, b.task_id, std::nullopt));
  ASSERT_TRUE(CreateGate(ctx(), "review", b.task_id, GateType::kHuman));
  ASSERT_TRUE(Start(ctx(), {a.task_id}, {}));
  ASSERT_TRUE(Note(ctx(), {a.task_id}, {"halfway", false}));
  auto findings = Findings();
  for (const auto& x : findings) ADD_FAILURE() << x.check << ": " << x.message;
}

// A table the recorder does not know (added behind its back, or by a migration that forgot
// it) holds rows that replaying history cannot produce.
TEST_F(DoctorTest, ATableMissingFromHistoryIsFound) {
  MakeTask(MakePlan("P"), "A");
  Sql("CREATE TABLE notes_extra (id TEXT PRIMARY KEY, body TEXT); "
      "INSERT INTO notes_extra VALUES ('n1', 'written outside history')");
  EXPECT_TRUE(Has(Findings(), "history", "notes_extra"));
}

TEST_F(DoctorTest, AChangeBehindHistorysBackIsFound) {
  MakeTask(MakePlan("P"), "A");
  Sql("UPDATE tasks SET title = 'sneaky'");
  EXPECT_TRUE(Has(Findings(), "history", "tasks"));
}

TEST_F(DoctorTest, WrongMaterialisedStatusesAreFound) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B");
  ASSERT_TRUE(AddEdge(ctx(), a.task_id, EdgeType::kBlocks, b.task_id, std::nullopt));
  Sql("UPDATE tasks SET status = 'todo' WHERE status = 'blocked'");
  auto f = Findings();
  EXPECT_TRUE(Has(f, "blocked_status", b.hash_id));
  Sql("UPDATE plans SET status = 'done'");
  EXPECT_TRUE(Has(Findings(), "plan_status", p.hash_id));
}

}  // namespace
}  // namespace tg::app
