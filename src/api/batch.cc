#include "api/batch.h"

#include <set>

namespace tg::api {

void AddWorktreeFields(Json& j, const app::WorktreeOutcome& w, bool done) {
  j["worktree_path"] = w.path;
  j["worktree_branch"] = w.branch;
  j["worktree_base"] = w.base;
  if (!done) return;
  j["merged"] = w.merged;
  j["worktree_removed"] = w.removed;
  j["branch_deleted"] = w.branch_deleted;
}

Json ItemJson(const app::ItemResult& r, bool with_plan_completed) {
  Json j;
  j["id"] = r.task ? Json(r.task->task_id) : r.plan ? Json(r.plan->plan_id) : Json(nullptr);
  j["input"] = r.input;
  if (r.task) j["hash_id"] = r.task->hash_id;
  if (r.plan && !r.task) j["hash_id"] = r.plan->hash_id;
  if (r.error) {
    j["error"] = ErrorJson(*r.error);
    if (r.worktree) AddWorktreeFields(j, *r.worktree, with_plan_completed);
    return j;
  }
  if (r.plan && !r.task) {
    j["type"] = "plan";
    j["status"] = ToString(r.plan->status);
  } else if (r.task) {
    j["type"] = "task";
    j["status"] = ToString(r.task->status);
  }
  j["changed"] = r.changed;
  if (with_plan_completed) j["plan_completed"] = r.plan_completed;
  if (r.worktree) AddWorktreeFields(j, *r.worktree, with_plan_completed);
  return j;
}

Json BatchJson(const app::BatchOutcome& o, bool with_plan_completed, bool with_lease) {
  Json a = Json::array();
  for (const auto& it : o.value) {
    Json j = ItemJson(it, with_plan_completed);
    if (with_lease && it.task && !it.error)
      j["lease_expires_at"] = TimeJson(it.task->lease_expires_at);
    a.push_back(j);
  }
  return a;
}

int BatchExitCode(const std::vector<app::ItemResult>& items) {
  std::set<int> codes;
  for (const auto& it : items) {
    if (it.error) codes.insert(ExitCode(it.error->code));
  }
  if (codes.empty()) return 0;
  return codes.size() == 1 ? *codes.begin() : 1;
}

}  // namespace tg::api
