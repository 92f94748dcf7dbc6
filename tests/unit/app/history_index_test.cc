// `tg log --task` reads an index that the store fills as it writes; this checks it against what
// each commit's records say it changed, over every kind of write.
#include <map>
#include <set>

#include "app/claims.h"
#include "app/graph_ops.h"
#include "app/leases.h"
#include "unit/app/app_test_util.h"

namespace tg::app {
namespace {

class HistoryIndexTest : public AppTest {};

// The tasks a commit's records name, read from the records alone.
std::set<std::string> NamedTasks(store::Reader& r, const std::vector<store::Change>& changes) {
  std::set<std::string> out;
  for (const auto& c : changes) {
    if (c.table == "plans") continue;
    for (const auto* cells : {&c.key, &c.after, &c.before}) {
      for (const auto& cell : *cells) {
        if (cell.column != "task_id" && cell.column != "from_task_id" &&
            cell.column != "to_task_id")
          continue;
        if (auto* id = std::get_if<std::string>(&cell.value)) out.insert(*id);
      }
    }
    if (c.table == "gates") {
      auto gate = r.GetGate(std::get<std::string>(c.key[0].value));
      if (gate && *gate) out.insert((*gate)->task_id);
    }
  }
  return out;
}

TEST_F(HistoryIndexTest, EveryTaskACommitChangedListsThatCommit) {
  Plan p = MakePlan("P");
  Task a = MakeTask(p, "A"), b = MakeTask(p, "B"), c = MakeTask(p, "C");
  ASSERT_TRUE(AddEdge(ctx(), a.task_id, EdgeType::kBlocks, b.task_id, std::nullopt));
  ASSERT_TRUE(AddEdge(ctx(), b.task_id, EdgeType::kRelates, c.task_id, std::nullopt));
  auto gate = CreateGate(ctx(), "review", c.task_id, GateType::kHuman);
  ASSERT_TRUE(gate);
  ASSERT_TRUE(ResolveGateCmd(ctx(), gate->value.gate.gate_id, std::nullopt));
  TaskFields f;
  f.docs = std::vector<std::string>{"backend"};
  ASSERT_TRUE(UpdateTask(ctx(), c.task_id, f));
  ASSERT_TRUE(Start(ctx(), {a.task_id, c.task_id}, {}));
  ASSERT_TRUE(Note(ctx(), {a.task_id}, {"halfway", false}));
  ASSERT_TRUE(Release(ctx(), {c.task_id}, false));
  ASSERT_TRUE(Done(ctx(), {a.task_id}, DoneOptions{"ok", {}, false, {}, {}, {}}));
  ASSERT_TRUE(Reopen(ctx(), {a.task_id}, "again"));
  ASSERT_TRUE(Split(ctx(), b.task_id, SplitOptions{{"B1", "B2"}, false, false}));
  ASSERT_TRUE(RemoveEdge(ctx(), b.task_id, EdgeType::kRelates, c.task_id));
  ASSERT_TRUE(Cancel(ctx(), {c.task_id}, {}));

  auto r = read();
  std::map<std::string, std::set<std::string>> named;  // commit -> tasks its records name
  ASSERT_TRUE(r->ForEachCommit([&](const Commit& commit, const std::vector<store::Change>& ch) {
    named[commit.commit_id] = NamedTasks(*r, ch);
    return Ok();
  }));
  ASSERT_GE(named.size(), 14u);
  std::set<std::string> tasks;
  for (const auto& [commit, ids] : named) tasks.insert(ids.begin(), ids.end());
  for (const auto& task : tasks) {
    auto log = r->ListCommits(1000, task);
    ASSERT_TRUE(log);
    std::set<std::string> listed;
    for (const auto& c : *log) listed.insert(c.commit_id);
    for (const auto& [commit, ids] : named) {
      EXPECT_EQ(listed.contains(commit), ids.contains(task))
          << "commit " << commit << ", task " << task;
    }
  }
}

}  // namespace
}  // namespace tg::app
