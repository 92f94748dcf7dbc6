#include "api/history_json.h"

namespace tg::api {

namespace {

// Columns holding JSON text are shown as the JSON they hold, as in the entities' shapes.
bool HoldsJson(std::string_view table, std::string_view column) {
  return (table == "events" && column == "body") ||
         (table == "tasks" && (column == "acceptance" || column == "tests")) ||
         (table == "plans" && (column == "risks" || column == "tests"));
}

Json ValueJson(std::string_view table, std::string_view column, const store::Value& v) {
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    return HoldsJson(table, column) ? ParsedOr(*s) : Json(*s);
  }
  return nullptr;
}

Json CellsJson(std::string_view table, const std::vector<store::Cell>& cells) {
  Json o = Json::object();
  for (const auto& c : cells)
    o[app::FieldName(table, c.column)] = ValueJson(table, c.column, c.value);
  return o;
}

}  // namespace

Json ChangeJson(const store::Change& c, const std::map<std::string, app::NameOf>& names) {
  Json task = nullptr;
  if (auto t = app::TaskOfChange(c)) {
    auto it = names.find(*t);
    if (it != names.end()) task = it->second.hash_id;
  }
  return {
      {"table", c.table},
      {"key", CellsJson(c.table, c.key)},
      {"op", std::string(store::ToString(c.op))},
      {"before", c.op == store::ChangeOp::kInsert ? Json(nullptr) : CellsJson(c.table, c.before)},
      {"after", c.op == store::ChangeOp::kDelete ? Json(nullptr) : CellsJson(c.table, c.after)},
      {"task", task}};
}

Json DiffJson(const app::DiffResult& d) {
  Json a = Json::array();
  for (const auto& c : d.changes) a.push_back(ChangeJson(c, d.names));
  return a;
}

Json ConflictJson(const app::Conflict& c) {
  return {{"commit_id", c.commit_id}, {"task", c.task},   {"table", c.table},
          {"field", c.field},         {"wrote", c.wrote}, {"now", c.now}};
}

Json RevertJson(const app::RevertOutcome& o) {
  Json reverted = Json::array();
  for (const auto& c : o.reverted) {
    reverted.push_back({{"commit_id", c.commit_id},
                        {"author", c.author},
                        {"time", FormatIso(c.time)},
                        {"message", c.message}});
  }
  Json commit =
      o.commit && !o.commit->commit_id.empty() ? Json(o.commit->commit_id) : Json(nullptr);
  return {{"commit_id", commit},
          {"reverted", reverted},
          {"changes", o.commit ? o.commit->changes : o.changes},
          {"dry_run", o.dry_run},
          {"kept", Array(o.kept, ConflictJson)}};
}

}  // namespace tg::api
