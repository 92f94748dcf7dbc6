// Where each kind of entity lives in both stores' schema, and the prefix of its short id
// ("tg-3fa9c1"): one table for the SQLite and the PostgreSQL store. Internal to src/store/.
#pragma once

#include "store/types.h"

namespace tg::store {

struct EntityTable {
  const char* table;
  const char* id_col;
  const char* title_col;
  const char* prefix;
};

inline EntityTable TableFor(Entity e) {
  switch (e) {
    case Entity::kTask:
      return {"tasks", "task_id", "title", "tg-"};
    case Entity::kPlan:
      return {"plans", "plan_id", "title", "p-"};
    case Entity::kGate:
      return {"gates", "gate_id", "name", "g-"};
  }
  return {"tasks", "task_id", "title", "tg-"};
}

}  // namespace tg::store
