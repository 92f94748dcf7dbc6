// Transactions and history of the PostgreSQL store. The trigger tg_record() writes every row
// change of a history table into tg_changes as whole rows (before, after); Commit() takes
// them out again in the same transaction and nets them per row, as SQLite's session does (an
// insert then an update is one insert; an insert then a delete, or an update back to the old
// values, is nothing), so both stores record the same changes for the same command. A commit
// keeps its records as whole rows; Decode() reduces an update to the columns it changed.
#include <fmt/format.h>
#include <time.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "store/pg/rows.h"
#include "store/pg/schema.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

namespace {

using nlohmann::json;

struct Rec {
  std::string table;
  json before, after;  // whole rows; null when the row did not exist
};

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

Value ToValue(const json& j) {
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return std::monostate{};
  return Dump(j);
}

json Array(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_array() ? j : json::array();
}

void AddUnique(json& arr, const std::string& v) {
  for (const auto& x : arr) {
    if (x == v) return;
  }
  arr.push_back(v);
}

std::vector<Rec> Records(const std::string& changeset) {
  std::vector<Rec> out;
  for (const auto& r : Array(changeset)) {
    if (!r.is_object() || !r.contains("t") || !r["t"].is_string()) continue;
    out.push_back({r["t"].get<std::string>(), r.value("b", json()), r.value("a", json())});
  }
  return out;
}

json ToJson(const std::vector<Rec>& recs) {
  json out = json::array();
  for (const auto& r : recs) out.push_back({{"t", r.table}, {"b", r.before}, {"a", r.after}});
  return out;
}

constexpr int kPgAfterCommitCols = 10;

// The log's extra columns, as in the SQLite store: up to kPgLogTasks touched tasks in creation
// order as a JSON list of [hash_id, title], and how many there are (commit_tasks_seq makes both
// a short index range per commit).
constexpr int kPgLogTasks = 3;
const std::string& PgLogCols() {
  static const std::string cols = fmt::format(
      "{}, (SELECT coalesce(json_agg(json_build_array(x.hash_id, x.title) ORDER BY x.created_at, "
      "x.rowid), '[]')::text FROM (SELECT t.hash_id, t.title, t.created_at, t.rowid FROM "
      "commit_tasks ct JOIN tasks t ON t.task_id = ct.task_id WHERE ct.seq = c.seq ORDER BY "
      "t.created_at, t.rowid LIMIT {}) x), (SELECT count(*) FROM commit_tasks ct WHERE ct.seq = "
      "c.seq)",
      kPgCommitCols, kPgLogTasks);
  return cols;
}

void PgReadLogTasks(const PgResult& r, int i, tg::Commit& c) {
  auto j = json::parse(r.Text(i, kPgAfterCommitCols), nullptr, false);
  if (j.is_array()) {
    for (const auto& pair : j) {
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
        c.tasks.push_back({pair[0].get<std::string>(), pair[1].get<std::string>()});
      }
    }
  }
  c.task_count = static_cast<int>(r.Int(i, kPgAfterCommitCols + 1));
}

int64_t MonoUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

const std::string kLockSql =
    fmt::format("SELECT pg_advisory_xact_lock({}, {})", kLockClass, kWriterLock);

}  // namespace

Result<std::unique_ptr<PgTxn>> PgTxn::Begin(PgStore& store, bool write, const std::string& holder) {
  if (store.busy) {
    return Fail(Code::kInternal, "a second transaction was opened while one is still open");
  }
  PgConn& c = store.conn();
  std::unique_ptr<PgTxn> txn(new PgTxn(store, c));
  store.last_wait_us_ = 0;
  // One round trip: BEGIN, the writers' lock (naming this process for others' STORE_BUSY) and
  // the server's clock, read after the lock so commits never go back in time along the chain,
  // whatever the clocks of the machines running tg say. A fixed clock (TG_NOW) wins.
  const bool queue = write && store.opts().queue_writers;
  const std::optional<Millis> fixed = store.FixedNow();
  // Prepared statements (PgConn::OnBackend) take the generic plan at once: tg's queries look
  // rows up by key, where a plan made for the values gains nothing over the cached one, and
  // the server's default makes five custom plans first.
  std::string sql = fmt::format("{}; SET LOCAL plan_cache_mode = force_generic_plan; {}SELECT ",
                                write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                write ? c.SetLockTimeout() + "; " : "");
  if (queue) {
    std::string name;
    for (char ch : holder.substr(0, 60)) {
      if (ch >= 0x20 && ch < 0x7f) name += ch;
      if (ch == '\'') name += ch;
    }
    sql +=
        fmt::format("set_config('application_name', '{}', false), {}, ", name, kLockSql.substr(7));
  }
  sql += "pg_backend_pid(), floor(extract(epoch FROM clock_timestamp()) * 1000)::int8";
  int64_t t0 = MonoUs();
  auto began = c.Batch(sql);
  store.busy = true;
  txn->open_ = true;
  txn->write_ = write;
  if (queue) store.last_wait_us_ = MonoUs() - t0;
  if (!began) {
    Error e = began.error();
    if (queue && e.code == Code::kStoreBusy) {
      (void)c.Script("ROLLBACK");
      txn->open_ = false;
      store.busy = false;
      std::string who;
      auto h =
          c.Query(fmt::format("SELECT a.application_name FROM pg_locks l JOIN "
                              "pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = "
                              "'advisory' AND l.classid = {} AND l.objid = {} AND "
                              "l.granted AND l.database = (SELECT oid FROM pg_database "
                              "WHERE datname = current_database())",
                              kLockClass, kWriterLock));
      if (h && h->Rows() > 0) who = h->Text(0, 0);
      return Fail(
          Code::kStoreBusy,
          fmt::format("the store stayed busy for {} ms{}; retry, or raise "
                      "TG_LOCK_TIMEOUT (e.g. TG_LOCK_TIMEOUT=60s)",
                      store.opts().lock_timeout_ms, who.empty() ? "" : " (held by " + who + ")"));
    }
    return std::unexpected(std::move(e));
  }
  txn->locked_ = queue;
  txn->now_ = fixed ? *fixed : began->Int(0, began->Cols() - 1);
  c.OnBackend(static_cast<int>(began->Int(0, began->Cols() - 2)));
  return txn;
}

PgTxn::PgTxn(PgStore& store, PgConn& c)
    : store_(store), c_(c), columns_(store.catalog.columns), keys_(store.catalog.keys) {}

PgTxn::~PgTxn() {
  // Only while this transaction still owns the connection: after its commit the next
  // transaction may already be queueing on it.
  if (open_) {
    c_.Discard();
    c_.OnBackend(0);
    (void)c_.Script("ROLLBACK");
    store_.busy = false;
  }
}

// A unit's savepoint and release are queued like its writes (PgConn::Exec): a unit costs
// no round trip of its own.
Status PgTxn::BeginUnit() {
  TG_TRY(RequireWrite());
  if (in_unit_) return Fail(Code::kInternal, "units do not nest");
  unit_mark_ = c_.Mark();
  TG_TRY(c_.Exec("SAVEPOINT unit"));
  in_unit_ = true;
  touched_before_unit_ = touched_;
  return Ok();
}

Status PgTxn::UndoUnit() {
  if (!in_unit_) return Fail(Code::kInternal, "no unit to undo");
  touched_ = touched_before_unit_;
  last_touched_.clear();
  in_unit_ = false;
  // Nothing of the unit reached the server yet: forgetting its queue undoes it.
  if (c_.DiscardSince(unit_mark_)) return Ok();
  // The recorder's rows go with the unit's writes; what is still queued was all written in
  // the unit, after its savepoint was sent.
  c_.Discard();
  TG_TRY(c_.Script("ROLLBACK TO SAVEPOINT unit"));
  return c_.Exec("RELEASE SAVEPOINT unit");
}

Status PgTxn::EndUnit() {
  if (!in_unit_) return Fail(Code::kInternal, "no unit to end");
  TG_TRY(c_.Exec("RELEASE SAVEPOINT unit"));
  in_unit_ = false;
  return Ok();
}

Result<std::vector<std::string>> PgTxn::Columns(std::string_view table) {
  if (auto it = columns_.find(table); it != columns_.end()) return it->second;
  TG_ASSIGN(auto r, c_.Query("SELECT column_name FROM information_schema.columns WHERE "
                             "table_schema = current_schema() AND table_name = $1 AND "
                             "column_name <> 'rowid' ORDER BY ordinal_position",
                             {P(table)}));
  std::vector<std::string> cols;
  for (int i = 0; i < r.Rows(); ++i) cols.push_back(r.Text(i, 0));
  if (cols.empty()) {
    return Fail(Code::kStoreCorrupt, fmt::format("history names a table '{}' that the store "
                                                 "does not have; run `tg doctor`",
                                                 table));
  }
  return columns_.emplace(std::string(table), std::move(cols)).first->second;
}

Result<std::vector<std::string>> PgTxn::KeyColumns(std::string_view table) {
  if (keys_.empty()) {
    // Every table's primary key in one round trip: a commit nets the changes of several
    // tables, and each query on a fresh backend pays for planning against cold catalogs.
    TG_ASSIGN(auto r, c_.Query("SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON "
                               "c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = "
                               "i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indisprimary "
                               "AND c.relnamespace = current_schema()::regnamespace ORDER BY "
                               "c.relname, array_position(i.indkey::int2[], a.attnum)"));
    for (int i = 0; i < r.Rows(); ++i) keys_[r.Text(i, 0)].push_back(r.Text(i, 1));
    keys_.try_emplace("");  // loaded, even in a schema without keys
  }
  if (auto it = keys_.find(table); it != keys_.end()) return it->second;
  return keys_.emplace(std::string(table), std::vector<std::string>{}).first->second;
}

namespace {

// Nets a sequence of row changes per row: the first before and the last after.
Result<std::vector<Rec>> Net(
    const std::vector<Rec>& in,
    const std::function<Result<std::vector<std::string>>(std::string_view)>& keys) {
  std::vector<Rec> out;
  std::map<std::string, size_t> index;
  for (const auto& r : in) {
    TG_ASSIGN(auto cols, keys(r.table));
    const json& row = r.before.is_null() ? r.after : r.before;
    std::string k = r.table;
    for (const auto& c : cols) {
      k += '\x1f';  // appended apart: GCC 12 at -O3 reports a false -Wrestrict for literal + string
      k += Dump(row.value(c, json()));
    }
    auto it = index.find(k);
    if (it == index.end()) {
      index.emplace(std::move(k), out.size());
      out.push_back(r);
    } else {
      out[it->second].after = r.after;
    }
  }
  std::erase_if(out, [](const Rec& r) { return r.before == r.after; });
  return out;
}

}  // namespace

Result<std::optional<CommitInfo>> PgTxn::Commit(const std::string& author,
                                                const std::string& message, IdSource& ids,
                                                const CommitOptions& opts) {
  TG_TRY(RequireWrite());
  auto keys = [this](std::string_view t) { return KeyColumns(t); };
  // The pending record (changeset, authors, messages, task ids) comes with the changes when
  // the writers' lock is already held, in the same round trip: a row whose seq is null.
  struct Pending {
    std::string changeset, authors, messages, task_ids;
  };
  std::optional<Pending> pending;
  auto read_pending = [&](const PgResult& r, int i) {
    pending = Pending{r.Text(i, 2), r.Text(i, 4), r.Text(i, 5), r.Text(i, 6)};
  };
  TG_ASSIGN(auto changed,
            c_.Query(locked_ ? "WITH d AS (DELETE FROM tg_changes RETURNING seq, tbl, old_row, "
                               "new_row) SELECT seq, tbl, old_row::text, new_row::text, NULL, "
                               "NULL, NULL FROM d UNION ALL SELECT NULL, NULL, changeset::text, "
                               "NULL, authors, messages, task_ids FROM pending WHERE id = 1"
                             : "DELETE FROM tg_changes RETURNING seq, tbl, old_row::text, "
                               "new_row::text"));
  const bool pending_read = locked_;
  std::vector<std::pair<int64_t, Rec>> seqd;
  for (int i = 0; i < changed.Rows(); ++i) {
    if (changed.Null(i, 0)) {
      read_pending(changed, i);
      continue;
    }
    seqd.push_back(
        {changed.Int(i, 0),
         Rec{changed.Text(i, 1),
             changed.Null(i, 2) ? json() : json::parse(changed.Text(i, 2), nullptr, false),
             changed.Null(i, 3) ? json() : json::parse(changed.Text(i, 3), nullptr, false)}});
  }
  std::sort(seqd.begin(), seqd.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Rec> recs;
  for (auto& [seq, r] : seqd) recs.push_back(std::move(r));
  TG_ASSIGN(auto net, Net(recs, keys));
  std::optional<CommitInfo> info;
  if (!net.empty()) {
    // One chain: whoever commits holds the writers' lock from here to COMMIT.
    if (!locked_) {
      TG_TRY(c_.Exec(kLockSql));
      locked_ = true;
    }
    CommitInfo ci;
    ci.changes = static_cast<int>(net.size());
    std::set<std::string> touched(touched_.begin(), touched_.end());
    if (!pending_read) {
      TG_ASSIGN(auto pr, c_.Query("SELECT NULL, NULL, changeset, NULL, authors, messages, "
                                  "task_ids FROM pending WHERE id = 1"));
      if (pr.Rows() > 0) read_pending(pr, 0);
    }
    const bool has_pending = pending.has_value();
    const std::string& msg = opts.message ? *opts.message : message;
    std::vector<Rec> all;
    if (has_pending) {
      all = Records(pending->changeset);
      all.insert(all.end(), net.begin(), net.end());
      TG_ASSIGN(all, Net(all, keys));
    } else {
      all = net;
    }
    if (opts.no_commit) {
      json authors = has_pending ? Array(pending->authors) : json::array();
      json messages = has_pending ? Array(pending->messages) : json::array();
      json task_ids = has_pending ? Array(pending->task_ids) : json::array();
      AddUnique(authors, author);
      messages.push_back(msg);
      for (const auto& t : touched) AddUnique(task_ids, t);
      TG_TRY(
          c_.Exec("INSERT INTO pending (id, time, authors, messages, task_ids, changeset) "
                  "VALUES (1, $1, $2, $3, $4, $5::jsonb) ON CONFLICT (id) DO UPDATE SET "
                  "time = EXCLUDED.time, authors = EXCLUDED.authors, messages = "
                  "EXCLUDED.messages, task_ids = EXCLUDED.task_ids, changeset = "
                  "EXCLUDED.changeset",
                  {P(FormatIso(now_)), P(Dump(authors)), P(Dump(messages)), P(Dump(task_ids)),
                   P(Dump(ToJson(all)))}));
      ci.pending = true;
    } else {
      json co = json::array();
      if (has_pending) {
        for (const auto& a : Array(pending->authors)) {
          if (a.is_string() && a != author) AddUnique(co, a.get<std::string>());
        }
        for (const auto& t : Array(pending->task_ids)) {
          if (t.is_string()) touched.insert(t.get<std::string>());
        }
        TG_TRY(c_.Exec("DELETE FROM pending"));
      }
      std::string id = ids.NewUuid();
      std::erase(id, '-');
      ci.commit_id = id.substr(0, 12);
      json task_list = json::array();
      for (const auto& t : touched) task_list.push_back(t);
      // The chain's head, the commit row, its task index and the wake-up for waiters in one
      // statement: every round trip here is spent holding the writers' lock that all other
      // writers queue on.
      TG_TRY(c_.Exec(
          "WITH c AS (INSERT INTO commits (commit_id, parent, time, author, message, changes, "
          "co_authors, changeset, reverts, undo) VALUES ($1, (SELECT commit_id FROM commits "
          "ORDER BY seq DESC LIMIT 1), $2, $3, $4, $5, $6, $7::jsonb, $9, $10) RETURNING seq), "
          "t AS (INSERT INTO commit_tasks (task_id, seq) SELECT x, c.seq FROM c, "
          "jsonb_array_elements_text($8::jsonb) x ON CONFLICT DO NOTHING) SELECT "
          "pg_notify('tg_commit', '') FROM c",
          {P(ci.commit_id), P(FormatIso(now_)), P(author), P(msg), P(int64_t(all.size())),
           P(Dump(co)), P(Dump(ToJson(all))), P(Dump(task_list)), P(Dump(json(opts.reverts))),
           P(int64_t{opts.undo ? 1 : 0})}));
    }
    if (ci.pending) TG_TRY(c_.Exec("SELECT pg_notify('tg_commit', '')"));
    info = ci;
  }
  // With the queued commit row (PgConn::Exec) in one round trip.
  TG_TRY(c_.Query("COMMIT"));
  open_ = false;
  store_.busy = false;
  c_.OnBackend(0);
  return info;
}

Result<std::vector<Change>> PgTxn::Decode(const std::string& changeset_json) {
  auto parsed = json::parse(changeset_json, nullptr, false);
  if (!parsed.is_array()) {
    return Fail(Code::kStoreCorrupt, "a commit's changes cannot be read; run `tg doctor`");
  }
  std::vector<Change> out;
  for (const auto& r : Records(changeset_json)) {
    TG_ASSIGN(auto cols, Columns(r.table));
    TG_ASSIGN(auto keys, KeyColumns(r.table));
    Change c;
    c.table = r.table;
    c.op = r.before.is_null()  ? ChangeOp::kInsert
           : r.after.is_null() ? ChangeOp::kDelete
                               : ChangeOp::kUpdate;
    const json& key_row = r.before.is_null() ? r.after : r.before;
    if (!key_row.is_object()) {
      return Fail(Code::kStoreCorrupt,
                  fmt::format("a commit's change to {} is not a row; run `tg doctor`", r.table));
    }
    for (const auto& k : keys) c.key.push_back({k, ToValue(key_row.value(k, json()))});
    for (const auto& col : cols) {
      json b = r.before.is_object() ? r.before.value(col, json()) : json();
      json a = r.after.is_object() ? r.after.value(col, json()) : json();
      if (c.op == ChangeOp::kInsert) {
        c.after.push_back({col, ToValue(a)});
      } else if (c.op == ChangeOp::kDelete) {
        c.before.push_back({col, ToValue(b)});
      } else if (a != b) {
        c.before.push_back({col, ToValue(b)});
        c.after.push_back({col, ToValue(a)});
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<tg::Commit>> PgTxn::ListCommits(int limit, std::optional<std::string> task_id) {
  std::string sql = task_id ? fmt::format(
                                  "SELECT {} FROM commit_tasks cq JOIN commits c ON c.seq = cq.seq "
                                  "WHERE cq.task_id = $1 ORDER BY c.seq DESC LIMIT {}",
                                  PgLogCols(), Lim(limit))
                            : fmt::format("SELECT {} FROM commits c ORDER BY c.seq DESC LIMIT {}",
                                          PgLogCols(), Lim(limit));
  Params params;
  if (task_id) params.push_back(P(*task_id));
  TG_ASSIGN(auto r, c_.Query(sql, params));
  std::vector<tg::Commit> out;
  for (int i = 0; i < r.Rows(); ++i) {
    out.push_back(PgReadCommit(r, i));
    PgReadLogTasks(r, i, out.back());
  }
  return out;
}

Result<std::optional<tg::Commit>> PgTxn::PendingCommit() {
  TG_ASSIGN(auto r, c_.Query("SELECT time, authors, messages, jsonb_array_length(changeset) FROM "
                             "pending WHERE id = 1"));
  if (r.Rows() == 0) return std::optional<tg::Commit>();
  tg::Commit c;
  c.pending = true;
  c.commit_id = "pending";
  c.time = PgTime(r, 0, 0);
  auto authors = JsonStringList(r.Text(0, 1));
  auto messages = JsonStringList(r.Text(0, 2));
  if (!authors.empty()) c.author = authors.front();
  c.co_authors.assign(authors.begin() + (authors.empty() ? 0 : 1), authors.end());
  for (const auto& m : messages) c.message += (c.message.empty() ? "" : "; ") + m;
  c.changes = static_cast<int>(r.Int(0, 3));
  return std::optional<tg::Commit>(std::move(c));
}

Status PgTxn::ForEachCommit(
    const std::function<Status(const tg::Commit&, const std::vector<Change>&)>& visit) {
  // In pages, so a long history is never one result in memory.
  int64_t after = 0;
  for (;;) {
    TG_ASSIGN(auto r, c_.Query(fmt::format("SELECT {}, c.changeset FROM commits c WHERE c.seq > "
                                           "$1 ORDER BY c.seq LIMIT 256",
                                           kPgCommitCols),
                               {P(after)}));
    if (r.Rows() == 0) break;
    for (int i = 0; i < r.Rows(); ++i) {
      tg::Commit c = PgReadCommit(r, i);
      after = c.seq;
      TG_ASSIGN(auto changes, Decode(r.Text(i, kPgAfterCommitCols)));
      TG_TRY(visit(c, changes));
    }
  }
  TG_ASSIGN(auto pending, PendingCommit());
  if (!pending) return Ok();
  TG_ASSIGN(auto p, c_.Query("SELECT changeset FROM pending WHERE id = 1"));
  if (p.Rows() == 0) return Ok();
  TG_ASSIGN(auto changes, Decode(p.Text(0, 0)));
  return visit(*pending, changes);
}

Result<std::vector<std::string>> PgTxn::Tables() {
  // tg_meta and tg_changes are the store's own (schema version, graph id, the recorder).
  TG_ASSIGN(auto r, c_.Query("SELECT tablename FROM pg_tables WHERE schemaname = "
                             "current_schema() AND tablename NOT LIKE 'tg\\_%' ORDER BY "
                             "tablename COLLATE \"C\""));
  std::vector<std::string> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

Result<std::vector<Row>> PgTxn::TableRows(std::string_view table) {
  TG_ASSIGN(auto cols, Columns(table));
  TG_ASSIGN(auto key, KeyColumns(table));
  std::string select, order;
  for (const auto& c : cols) select += (select.empty() ? "" : ", ") + fmt::format("\"{}\"", c);
  for (const auto& k : key.empty() ? cols : key) {
    order += (order.empty() ? "" : ", ") + fmt::format("\"{}\"", k);
  }
  // Identifiers come from the live schema, never from input.
  TG_ASSIGN(auto r,
            c_.Query(fmt::format("SELECT {} FROM \"{}\" ORDER BY {}", select, table, order)));
  std::vector<Row> out;
  out.reserve(static_cast<size_t>(r.Rows()));
  for (int i = 0; i < r.Rows(); ++i) {
    Row row;
    row.reserve(cols.size());
    for (size_t c = 0; c < cols.size(); ++c) {
      row.push_back({cols[c], r.Cell(i, static_cast<int>(c))});
    }
    out.push_back(std::move(row));
  }
  return out;
}

tg::Commit PgReadCommit(const PgResult& r, int i) {
  tg::Commit c;
  c.seq = r.Int(i, 0);
  c.commit_id = r.Text(i, 1);
  c.parent = r.OptText(i, 2);
  c.time = PgTime(r, i, 3);
  c.author = r.Text(i, 4);
  c.message = r.Text(i, 5);
  c.changes = static_cast<int>(r.Int(i, 6));
  c.co_authors = JsonStringList(r.Text(i, 7));
  c.reverts = JsonStringList(r.Text(i, 8));
  c.undo = r.Int(i, 9) != 0;
  return c;
}

}  // namespace tg::store::pg
