#include "store/history.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace tg::store {

std::vector<std::string> JsonStringList(const std::string& text) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string_view ToString(ChangeOp op) {
  switch (op) {
    case ChangeOp::kInsert:
      return "insert";
    case ChangeOp::kUpdate:
      return "update";
    case ChangeOp::kDelete:
      return "delete";
  }
  return "update";
}

const std::vector<NonHistoryTable>& NonHistoryTables() {
  static const std::vector<NonHistoryTable> tables{
      {"leases", "lease renewals would flood the log; a claim's end is history on tasks"},
      {"commits", "history itself"},
      {"commit_tasks", "an index of history by task, rebuilt from each commit's changes"},
      {"pending", "the --no-commit working set, absorbed by the next commit"},
  };
  return tables;
}

const std::vector<Reference>& References() {
  static const std::vector<Reference> refs{
      {"tasks", "plan_id", "plans", "plan_id"},       {"edges", "from_task_id", "tasks", "task_id"},
      {"edges", "to_task_id", "tasks", "task_id"},    {"events", "task_id", "tasks", "task_id"},
      {"gates", "task_id", "tasks", "task_id"},       {"task_docs", "task_id", "tasks", "task_id"},
      {"task_skills", "task_id", "tasks", "task_id"},
  };
  return refs;
}

bool IsBookkeepingColumn(std::string_view table, std::string_view column) {
  return (table == "tasks" || table == "plans") && column == "updated_at";
}

bool IsNonHistoryTable(std::string_view table) {
  for (const auto& t : NonHistoryTables()) {
    if (t.name == table) return true;
  }
  return false;
}

std::string FormatValue(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  std::string out = "'";
  for (char c : std::get<std::string>(v)) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace tg::store
