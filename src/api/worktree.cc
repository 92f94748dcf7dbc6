#include "api/worktree.h"

namespace tg::api {

Json WorktreeListJson(const std::vector<app::WorktreeRow>& rows) {
  Json a = Json::array();
  for (const auto& r : rows) {
    a.push_back({{"path", r.path},
                 {"branch", r.branch ? Json(*r.branch) : Json(nullptr)},
                 {"task_id", r.task ? Json(r.task->task_id) : Json(nullptr)},
                 {"hash_id", r.task ? Json(r.task->hash_id) : Json(nullptr)},
                 {"head", r.head}});
  }
  return a;
}

}  // namespace tg::api
