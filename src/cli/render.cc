#include "cli/render.h"

#include <fmt/format.h>

#include "core/clock.h"
#include "core/duration.h"
#include "core/strings.h"

#include <set>

namespace tg::cli {

namespace {

// Text from a store that an older tg filled may hold invalid UTF-8: JSON output shows it as
// U+FFFD instead of throwing (tg doctor names the rows).
std::string Dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

}  // namespace

void PrintJson(Session& s, const json& j) { s.io.out << Dump(j) << '\n'; }

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

int PrintError(Session& s, const Error& e) {
  s.io.err << "tg" << (s.command.empty() ? "" : " " + s.command) << ": " << OneLine(e.message)
           << '\n';
  if (s.Json(s.auto_json)) s.io.out << Dump(json{{"error", api::ErrorJson(e)}}) << '\n';
  return ExitCode(e.code);
}

void PrintWorktree(Session& s, const app::WorktreeOutcome& w, bool done) {
  if (!done) {
    s.io.out << "worktree_path: " << w.path << "  (branch " << w.branch << ", from " << w.base
             << ")\n";
    return;
  }
  if (w.merged) {
    s.io.out << "  merged " << w.branch << " into " << w.base;
    if (w.removed) s.io.out << "; worktree removed";
    if (w.branch_deleted) s.io.out << ", branch deleted";
    s.io.out << '\n';
  }
  if (!w.note.empty()) s.io.out << "  " << w.note << '\n';
}

int PrintBatch(Session& s, const app::BatchOutcome& o, std::string_view done_word,
               bool with_plan_completed, bool with_lease) {
  for (const auto& r : o.value) {
    if (r.error) s.io.err << "tg " << s.command << ": " << OneLine(r.error->message) << '\n';
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
      if (r.worktree) PrintWorktree(s, *r.worktree, with_plan_completed);
      continue;
    }
    std::string what = r.plan && !r.task ? "abandoned" : std::string(done_word);
    s.io.out << name << " " << what << ": " << title;
    if (r.task && r.task->status == TaskStatus::kBlocked) s.io.out << " (blocked)";
    s.io.out << '\n';
    if (r.plan_completed) s.io.out << "Plan " << r.task->plan_title << " completed!\n";
    if (r.worktree) PrintWorktree(s, *r.worktree, with_plan_completed);
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

std::string LeaseText(const Task& t, Millis now) {
  if (!t.lease_expires_at) return "-";
  const char* word = *t.lease_expires_at <= now ? "expired " : "until ";
  return Cat({word, FormatShort(*t.lease_expires_at, now)});
}

std::string CommitNote(const std::optional<store::CommitInfo>& c) {
  if (!c) return "";
  if (c->pending) return " (kept uncommitted: --no-commit)";
  return "";
}

}  // namespace tg::cli
