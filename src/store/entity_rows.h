// The stored form of an entity's row, shared by both stores' writes: one value per column of
// its table, in the table's column order, with times in ISO 8601 (UTC, milliseconds). Each
// store binds these as it binds any value, so the two cannot store a task differently.
// Internal to src/store/.
#pragma once

#include <vector>

#include "core/model.h"
#include "store/history.h"

namespace tg::store {

// The columns of `tasks`, in order, as an SQL column list.
extern const char* const kTaskColumns;
std::vector<Value> TaskValues(const Task& t);

}  // namespace tg::store
