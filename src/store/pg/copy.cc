#include "store/pg/copy.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/pg/schema.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

namespace {

using ordered = nlohmann::ordered_json;

ordered CellJson(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return *i;
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

ordered RowJson(const std::vector<Cell>& a, const std::vector<Cell>& b = {}) {
  ordered o = ordered::object();
  for (const auto& c : a) o[c.column] = CellJson(c.value);
  for (const auto& c : b) o[c.column] = CellJson(c.value);
  return o;
}

// A store-neutral record as the PostgreSQL store keeps it: whole rows for inserts and deletes;
// for an update the key and the changed columns, which Decode() reads back the same.
ordered RecordJson(const Change& c) {
  ordered before = nullptr, after = nullptr;
  if (c.op == ChangeOp::kInsert) after = RowJson(c.after);
  if (c.op == ChangeOp::kDelete) before = RowJson(c.before);
  if (c.op == ChangeOp::kUpdate) {
    before = RowJson(c.key, c.before);
    after = RowJson(c.key, c.after);
  }
  return {{"t", c.table}, {"b", before}, {"a", after}};
}

std::string DumpJson(const ordered& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Row tables in the order their references need, copied in SQLite's rowid order (the order
// ties are broken in, e.g. a task's docs).
constexpr const char* kCopyTables[] = {"plans", "tasks",     "edges",       "events",
                                       "gates", "task_docs", "task_skills", "leases"};

}  // namespace

Result<CopyOutcome> CopySqliteToPg(sqlite::SqliteStore& from, const ConnSpec& to,
                                   const OpenOptions& opts) {
  TG_ASSIGN(auto pg, ConnectStore(to, opts));
  TG_ASSIGN(MetaInfo m, ReadMeta(*pg));
  if (m.version != 0 || m.has_tables) {
    return Fail(Code::kValidationFailed,
                fmt::format("the database at {} is not empty; tg migrate copies a graph only "
                            "into an empty database (nothing was changed)",
                            to.where));
  }
  TG_ASSIGN(auto reader, from.Read());  // one snapshot of the SQLite graph
  TG_ASSIGN(auto pending, reader->PendingCommit());
  if (pending) {
    return Fail(Code::kValidationFailed,
                "a --no-commit change is pending; commit it first (the next command without "
                "--no-commit does), then migrate");
  }
  CopyOutcome out;
  TG_TRY(pg->Script("BEGIN"));
  auto body = [&]() -> Status {
    TG_TRY(PgMigrateInTxn(*pg, std::nullopt));
    sqlite::Db& db = from.db();
    for (const char* table : kCopyTables) {
      TG_ASSIGN(auto cols_st, db.Prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid"));
      cols_st.Bind(1, table);
      TG_ASSIGN(auto cols, cols_st.Texts());
      std::string names, select, marks;
      for (size_t i = 0; i < cols.size(); ++i) {
        names += fmt::format("{}\"{}\"", i ? ", " : "", cols[i]);
        marks += fmt::format("{}${}", i ? ", " : "", i + 1);
      }
      std::string insert = fmt::format("INSERT INTO {} ({}) VALUES ({})", table, names, marks);
      TG_ASSIGN(auto rows,
                db.Prepare(fmt::format("SELECT {} FROM {} ORDER BY rowid", names, table)));
      for (;;) {
        TG_ASSIGN(bool row, rows.Step());
        if (!row) break;
        Params params;
        for (size_t i = 0; i < cols.size(); ++i) {
          params.push_back(rows.IsNull(int(i)) ? Param() : Param(rows.Text(int(i))));
        }
        TG_TRY(pg->Exec(insert, params));
        ++out.rows;
      }
    }
    TG_TRY(reader->ForEachCommit(
        [&](const tg::Commit& c, const std::vector<Change>& changes) -> Status {
          ordered records = ordered::array();
          for (const auto& ch : changes) records.push_back(RecordJson(ch));
          ordered co = ordered::array();
          for (const auto& a : c.co_authors) co.push_back(a);
          ++out.commits;
          ordered reverts = ordered::array();
          for (const auto& r : c.reverts) reverts.push_back(r);
          return pg->Exec(
              "INSERT INTO commits (seq, commit_id, parent, time, author, message, "
              "changes, co_authors, changeset, reverts, undo) VALUES ($1, $2, $3, $4, $5, $6, "
              "$7, $8, $9::jsonb, $10, $11)",
              {P(c.seq), P(c.commit_id), P(c.parent), P(FormatIso(c.time)), P(c.author),
               P(c.message), P(c.changes), P(DumpJson(co)), P(DumpJson(records)),
               P(DumpJson(reverts)), P(int64_t{c.undo ? 1 : 0})});
        }));
    TG_TRY(
        pg->Exec("SELECT setval(pg_get_serial_sequence('commits', 'seq'), coalesce(max(seq), "
                 "0) + 1, false) FROM commits"));
    TG_ASSIGN(auto index, db.Prepare("SELECT task_id, seq FROM commit_tasks ORDER BY seq"));
    for (;;) {
      TG_ASSIGN(bool row, index.Step());
      if (!row) break;
      TG_TRY(pg->Exec("INSERT INTO commit_tasks (task_id, seq) VALUES ($1, $2)",
                      {P(index.Text(0)), P(index.Int(1))}));
    }
    // The copy is not history of its own: what the triggers recorded goes.
    TG_TRY(pg->Exec("DELETE FROM tg_changes"));
    TG_ASSIGN(MetaInfo after, ReadMeta(*pg));
    out.graph_id = after.graph_id.value_or("");
    return Ok();
  };
  Status st = body();
  if (!st) {
    (void)pg->Script("ROLLBACK");
    return std::unexpected(st.error());
  }
  TG_TRY(pg->Script("COMMIT"));
  return out;
}

}  // namespace tg::store::pg
