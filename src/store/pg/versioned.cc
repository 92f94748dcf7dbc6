// The versioned graph's primitives on PostgreSQL, as in the SQLite store (sqlite/versioned.cc):
// commits by id prefix, author and time, a range of commits with their records, one row by
// key, and the one generic write, which the row triggers record like every other write.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/change_checks.h"
#include "store/pg/rows.h"
#include "store/pg/schema.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

namespace {

std::vector<tg::Commit> PgVersionedCommits(const PgResult& r) {
  std::vector<tg::Commit> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(PgReadCommit(r, i));
  return out;
}

std::string PgWhereKey(const std::vector<Cell>& key, Params& params) {
  std::string where;
  for (size_t i = 0; i < key.size(); ++i) {
    where += fmt::format("{}\"{}\" IS NOT DISTINCT FROM {}", i ? " AND " : "", key[i].column,
                         Arg(params, PgValue(key[i].value)));
  }
  return where;
}

}  // namespace

Result<std::vector<tg::Commit>> PgTxn::MatchCommits(std::string_view prefix, int limit) {
  // A range on the unique index (COLLATE "C"): ids are lowercase hex, 'g' sorts after them all.
  TG_ASSIGN(auto r,
            c_.Query(fmt::format("SELECT {} FROM commits c WHERE c.commit_id >= $1::text "
                                 "AND c.commit_id < $1::text || 'g' ORDER BY c.seq LIMIT {}",
                                 kPgCommitCols, Lim(limit)),
                     {P(prefix)}));
  return PgVersionedCommits(r);
}

Result<std::optional<tg::Commit>> PgTxn::CommitBefore(int64_t seq, int n) {
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM commits c WHERE c.seq < $1 ORDER BY "
                                         "c.seq DESC LIMIT 1 OFFSET $2",
                                         kPgCommitCols),
                             {P(seq), P(int64_t{n - 1})}));
  if (r.Rows() == 0) return std::optional<tg::Commit>();
  return std::optional<tg::Commit>(PgReadCommit(r, 0));
}

Status PgTxn::ForEachCommitBetween(
    int64_t after_seq, int64_t upto_seq,
    const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) {
  // In pages, so a long history is never one result in memory.
  int64_t after = after_seq;
  for (;;) {
    TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {}, c.changeset FROM commits c WHERE c.seq > "
                                           "$1 AND c.seq <= $2 ORDER BY c.seq LIMIT 256",
                                           kPgCommitCols),
                               {P(after), P(upto_seq)}));
    if (r.Rows() == 0) break;
    for (int i = 0; i < r.Rows(); ++i) {
      tg::Commit c = PgReadCommit(r, i);
      after = c.seq;
      TG_ASSIGN(auto changes, Decode(r.Text(i, 10)));
      TG_TRY(visit(c, changes));
    }
  }
  return Ok();
}

Result<std::vector<tg::Commit>> PgTxn::CommitsBy(const std::optional<std::string>& author,
                                                 bool reverting_only, int limit) {
  Params params;
  std::string where = "true";
  if (author) where += " AND c.author = " + Arg(params, P(*author));
  if (reverting_only) where += " AND c.reverts <> '[]'";
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM commits c WHERE {} ORDER BY c.seq DESC "
                                         "LIMIT {}",
                                         kPgCommitCols, where, Lim(limit)),
                             params));
  return PgVersionedCommits(r);
}

Result<std::optional<tg::Commit>> PgTxn::CommitAtOrBefore(Millis time) {
  TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {} FROM commits c WHERE c.time <= $1 ORDER BY "
                                         "c.seq DESC LIMIT 1",
                                         kPgCommitCols),
                             {P(FormatIso(time))}));
  if (r.Rows() == 0) return std::optional<tg::Commit>();
  return std::optional<tg::Commit>(PgReadCommit(r, 0));
}

Result<std::optional<Row>> PgTxn::GetRow(std::string_view table, const std::vector<Cell>& key) {
  TG_ASSIGN(auto cols, Columns(table));
  TG_TRY(CheckKnownColumns(table, cols, key));
  Params params;
  std::string select;
  for (const auto& c : cols) select += (select.empty() ? "" : ", ") + fmt::format("\"{}\"", c);
  std::string where = PgWhereKey(key, params);
  TG_ASSIGN(auto r,
            c_.Query(fmt::format("SELECT {} FROM \"{}\" WHERE {}", select, table, where), params));
  if (r.Rows() == 0) return std::optional<Row>();
  Row row;
  for (size_t c = 0; c < cols.size(); ++c) row.push_back({cols[c], r.Cell(0, static_cast<int>(c))});
  return std::optional<Row>(std::move(row));
}

Result<int64_t> PgTxn::CountRows(std::string_view table, std::string_view column,
                                 const Value& value) {
  TG_ASSIGN(auto cols, Columns(table));
  TG_TRY(CheckKnownColumns(table, cols, {Cell{std::string(column), {}}}));
  TG_ASSIGN(auto r,
            c_.Query(fmt::format("SELECT count(*) FROM \"{}\" WHERE \"{}\" = $1", table, column),
                     {PgValue(value)}));
  return r.Int(0, 0);
}

Status PgTxn::ApplyChange(const Change& c) {
  TG_TRY(RequireWrite());
  const auto& history = PgHistoryTables();
  if (std::find(history.begin(), history.end(), c.table) == history.end()) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("a change to '{}', which is not a history table", c.table));
  }
  TG_ASSIGN(auto cols, Columns(c.table));
  TG_TRY(CheckKnownColumns(c.table, cols, c.key));
  TG_TRY(CheckKnownColumns(c.table, cols, c.after));
  Params params;
  std::string sql;
  switch (c.op) {
    case ChangeOp::kInsert: {
      std::string names, marks;
      for (size_t i = 0; i < c.after.size(); ++i) {
        names += fmt::format("{}\"{}\"", i ? ", " : "", c.after[i].column);
        marks += (i ? ", " : "") + Arg(params, PgValue(c.after[i].value));
      }
      sql = fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", c.table, names, marks);
      break;
    }
    case ChangeOp::kUpdate: {
      if (c.after.empty()) return Ok();
      std::string sets;
      for (size_t i = 0; i < c.after.size(); ++i) {
        sets += fmt::format("{}\"{}\" = {}", i ? ", " : "", c.after[i].column,
                            Arg(params, PgValue(c.after[i].value)));
      }
      sql = fmt::format("UPDATE \"{}\" SET {} WHERE {}", c.table, sets, PgWhereKey(c.key, params));
      break;
    }
    case ChangeOp::kDelete:
      sql = fmt::format("DELETE FROM \"{}\" WHERE {}", c.table, PgWhereKey(c.key, params));
      break;
  }
  TG_ASSIGN(auto r, c_.Query(sql, params));
  if (r.Affected() != 1) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("a {} of a {} row found no such row", ToString(c.op), c.table));
  }
  for (const auto* cells : {&c.key, &c.after, &c.before}) {
    for (const auto& cell : *cells) {
      const auto* id = std::get_if<std::string>(&cell.value);
      if (id && (cell.column == "task_id" || cell.column == "from_task_id" ||
                 cell.column == "to_task_id")) {
        TG_TRY(Touch(*id));
      }
    }
  }
  return Ok();
}

}  // namespace tg::store::pg
