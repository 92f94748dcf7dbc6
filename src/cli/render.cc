#include "cli/render.h"

#include <fmt/format.h>

#include <charconv>
#include <set>

namespace tg::cli {

void PrintJson(Session& s, const json& j) { s.io.out << j.dump(2) << '\n'; }

int PrintError(Session& s, const Error& e) {
  s.io.err << "tg" << (s.command.empty() ? "" : " " + s.command) << ": " << e.message << '\n';
  if (s.Json(s.auto_json)) s.io.out << json{{"error", api::ErrorJson(e)}}.dump(2) << '\n';
  return ExitCode(e.code);
}

int PrintBatch(Session& s, const app::BatchOutcome& o, std::string_view done_word,
               bool with_plan_completed, bool with_lease) {
  for (const auto& r : o.value) {
    if (r.error) s.io.err << "tg " << s.command << ": " << r.error->message << '\n';
  }
  if (s.Json()) {
    PrintJson(s, api::BatchJson(o, with_plan_completed, with_lease));
    return api::BatchExitCode(o.value);
  }
  for (const auto& r : o.value) {
    if (r.error) continue;
    std::string name = r.task ? r.task->hash_id : r.plan ? r.plan->hash_id : r.input;
    std::string title = r.task ? r.task->title : r.plan ? r.plan->title : "";
    if (!r.changed) {
      s.io.out << name << ": " << (r.info.empty() ? "no change" : r.info) << '\n';
      continue;
    }
    std::string what = r.plan && !r.task ? "abandoned" : std::string(done_word);
    s.io.out << name << " " << what << ": " << title;
    if (r.task && r.task->status == TaskStatus::kBlocked) s.io.out << " (blocked)";
    s.io.out << '\n';
    if (r.plan_completed) s.io.out << "Plan " << r.task->plan_title << " completed!\n";
  }
  return api::BatchExitCode(o.value);
}

std::vector<std::string> SplitIds(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::string cur;
    for (char c : a + ",") {
      if (c == ',' || c == ' ' || c == '\t' || c == '\n') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  }
  return out;
}

Result<int> ParseIntFlag(const std::string& flag, const std::string& value) {
  int v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size()) {
    return Fail(Code::kValidationFailed,
                fmt::format("{} must be a whole number, not '{}'", flag, value));
  }
  return v;
}

Result<std::optional<int>> ParseOptionalIntFlag(const std::string& flag, const std::string& value) {
  if (value.empty() || value == "unset" || value == "none") return std::optional<int>();
  TG_ASSIGN(int v, ParseIntFlag(flag, value));
  return std::optional<int>(v);
}

std::string CommitNote(const std::optional<store::CommitInfo>& c) {
  if (!c) return "";
  if (c->pending) return " (kept uncommitted: --no-commit)";
  return "";
}

}  // namespace tg::cli
