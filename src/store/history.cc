// Reading history: the commit log and the pending --no-commit record.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/queries.h"
#include "store/rows.h"

namespace tg::store {

namespace {

std::vector<std::string> JsonStrings(const std::string& text) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

Result<std::vector<Commit>> ListCommits(Db& db, int limit, std::optional<std::string> task_id) {
  std::string sql = task_id
                        ? fmt::format(
                              "SELECT c.seq, c.commit_id, c.parent, c.time, c.author, c.message, "
                              "c.changes, c.co_authors FROM commit_tasks ct JOIN commits c ON "
                              "c.seq = ct.seq WHERE ct.task_id = ? ORDER BY c.seq DESC LIMIT {}",
                              limit)
                        : fmt::format(
                              "SELECT seq, commit_id, parent, time, author, message, changes, "
                              "co_authors FROM commits ORDER BY seq DESC LIMIT {}",
                              limit);
  TG_ASSIGN(Stmt st, db.Prepare(sql));
  if (task_id) st.Bind(1, *task_id);
  std::vector<Commit> out;
  for (;;) {
    TG_ASSIGN(bool row, st.Step());
    if (!row) break;
    Commit c;
    c.seq = st.Int(0);
    c.commit_id = st.Text(1);
    c.parent = st.OptText(2);
    c.time = Time(st, 3);
    c.author = st.Text(4);
    c.message = st.Text(5);
    c.changes = static_cast<int>(st.Int(6));
    c.co_authors = JsonStrings(st.Text(7));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<Commit>> PendingCommit(Db& db) {
  TG_ASSIGN(Stmt st, db.Prepare("SELECT time, authors, messages, changeset, task_ids FROM "
                                "pending WHERE id = 1"));
  TG_ASSIGN(bool row, st.Step());
  if (!row) return std::optional<Commit>();
  Commit c;
  c.pending = true;
  c.commit_id = "pending";
  c.time = Time(st, 0);
  auto authors = JsonStrings(st.Text(1));
  auto messages = JsonStrings(st.Text(2));
  if (!authors.empty()) c.author = authors.front();
  c.co_authors.assign(authors.begin() + (authors.empty() ? 0 : 1), authors.end());
  for (const auto& m : messages) c.message += (c.message.empty() ? "" : "; ") + m;
  std::string cs = st.Blob(3);
  sqlite3_changeset_iter* it = nullptr;
  if (sqlite3changeset_start(&it, static_cast<int>(cs.size()), cs.data()) == SQLITE_OK) {
    while (sqlite3changeset_next(it) == SQLITE_ROW) ++c.changes;
    sqlite3changeset_finalize(it);
  }
  return std::optional<Commit>(std::move(c));
}

}  // namespace tg::store
