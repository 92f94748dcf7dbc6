// JSON shapes of the versioned graph (docs/json.md): a row change as diff prints it, and what
// revert and undo did. Field names are the entities' JSON names (app::FieldName), not storage
// columns.
#pragma once

#include "api/json.h"
#include "app/versioned.h"

namespace tg::api {

// {table, key, op, before, after, task}: before/after null for inserts/deletes.
Json ChangeJson(const store::Change& c, const std::map<std::string, app::NameOf>& names);
Json DiffJson(const app::DiffResult& d);  // an array of ChangeJson
Json ConflictJson(const app::Conflict& c);
Json RevertJson(const app::RevertOutcome& o);

}  // namespace tg::api
