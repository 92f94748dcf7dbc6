#include "store/pg/schema.h"

#include <fmt/format.h>

namespace tg::store::pg {

namespace {

// Each entry is one migration step. Never edit a shipped step: append a new one. Text is
// COLLATE "C" so comparisons and ORDER BY are bytewise, as in SQLite; `rowid` keeps insertion
// order (the tie-breaker the SQLite store gets from its rowids) and is left out of history.
constexpr const char* kPgMigrations[] = {
    R"sql(
CREATE TABLE tg_meta (key text COLLATE "C" PRIMARY KEY, value text COLLATE "C" NOT NULL);
CREATE TABLE plans (
  plan_id     text COLLATE "C" NOT NULL PRIMARY KEY,
  hash_id     text COLLATE "C" NOT NULL UNIQUE,
  title       text COLLATE "C" NOT NULL,
  intent      text COLLATE "C" NOT NULL DEFAULT '',
  status      text COLLATE "C" NOT NULL DEFAULT 'draft'
              CHECK (status IN ('draft','active','paused','done','abandoned')),
  priority    bigint,
  source_path text COLLATE "C",
  overview    text COLLATE "C",
  file_tree   text COLLATE "C",
  risks       text COLLATE "C",
  tests       text COLLATE "C",
  created_at  text COLLATE "C" NOT NULL,
  updated_at  text COLLATE "C" NOT NULL,
  rowid       bigserial
);
CREATE INDEX plans_title ON plans (title);
CREATE INDEX plans_source ON plans (source_path);
CREATE TABLE tasks (
  task_id           text COLLATE "C" NOT NULL PRIMARY KEY,
  hash_id           text COLLATE "C" NOT NULL UNIQUE,
  plan_id           text COLLATE "C" NOT NULL REFERENCES plans (plan_id),
  external_key      text COLLATE "C",
  title             text COLLATE "C" NOT NULL,
  intent            text COLLATE "C",
  feature_key       text COLLATE "C",
  area              text COLLATE "C",
  acceptance        text COLLATE "C",
  status            text COLLATE "C" NOT NULL DEFAULT 'todo'
                    CHECK (status IN ('todo','doing','blocked','done','canceled')),
  priority          bigint,
  risk              text COLLATE "C" NOT NULL DEFAULT 'low' CHECK (risk IN ('low','medium','high')),
  estimate_mins     bigint,
  change_type       text COLLATE "C",
  suggested_changes text COLLATE "C",
  agent             text COLLATE "C",
  claimed_by        text COLLATE "C",
  claimed_at        text COLLATE "C",
  started_at        text COLLATE "C",
  ended_at          text COLLATE "C",
  created_at        text COLLATE "C" NOT NULL,
  updated_at        text COLLATE "C" NOT NULL,
  rowid             bigserial
);
CREATE UNIQUE INDEX tasks_external_key ON tasks (plan_id, external_key)
  WHERE external_key IS NOT NULL;
CREATE INDEX tasks_plan ON tasks (plan_id, status);
CREATE INDEX tasks_runnable ON tasks (plan_id, (priority IS NULL), priority,
    (CASE risk WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), (estimate_mins IS NULL),
    estimate_mins, created_at, rowid) WHERE status = 'todo';
CREATE INDEX tasks_status ON tasks (status);
CREATE TABLE edges (
  from_task_id text COLLATE "C" NOT NULL REFERENCES tasks (task_id),
  to_task_id   text COLLATE "C" NOT NULL REFERENCES tasks (task_id),
  type         text COLLATE "C" NOT NULL CHECK (type IN ('blocks','relates')),
  reason       text COLLATE "C",
  created_at   text COLLATE "C" NOT NULL,
  rowid        bigserial,
  PRIMARY KEY (from_task_id, to_task_id, type)
);
CREATE INDEX edges_to ON edges (to_task_id, type);
CREATE TABLE events (
  event_id   text COLLATE "C" NOT NULL PRIMARY KEY,
  task_id    text COLLATE "C" NOT NULL REFERENCES tasks (task_id),
  kind       text COLLATE "C" NOT NULL,
  body       text COLLATE "C" NOT NULL,
  agent      text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  rowid      bigserial
);
CREATE INDEX events_task ON events (task_id, created_at);
CREATE TABLE gates (
  gate_id     text COLLATE "C" NOT NULL PRIMARY KEY,
  hash_id     text COLLATE "C" NOT NULL UNIQUE,
  name        text COLLATE "C" NOT NULL,
  gate_type   text COLLATE "C" NOT NULL CHECK (gate_type IN ('human','ci','webhook')),
  status      text COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','resolved')),
  task_id     text COLLATE "C" NOT NULL REFERENCES tasks (task_id),
  created_at  text COLLATE "C" NOT NULL,
  resolved_at text COLLATE "C",
  rowid       bigserial
);
CREATE INDEX gates_task ON gates (task_id, status);
CREATE TABLE task_docs (
  task_id text COLLATE "C" NOT NULL REFERENCES tasks (task_id),
  doc     text COLLATE "C" NOT NULL,
  rowid   bigserial,
  PRIMARY KEY (task_id, doc)
);
CREATE TABLE task_skills (
  task_id text COLLATE "C" NOT NULL REFERENCES tasks (task_id),
  skill   text COLLATE "C" NOT NULL,
  rowid   bigserial,
  PRIMARY KEY (task_id, skill)
);
CREATE TABLE leases (
  task_id    text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES tasks (task_id),
  expires_at text COLLATE "C" NOT NULL
);
CREATE INDEX leases_expiry ON leases (expires_at);
-- History: changeset holds the commit's row changes as [{"t": table, "b": row, "a": row}].
CREATE TABLE commits (
  seq        bigserial PRIMARY KEY,
  commit_id  text COLLATE "C" NOT NULL UNIQUE,
  parent     text COLLATE "C",
  time       text COLLATE "C" NOT NULL,
  author     text COLLATE "C" NOT NULL,
  message    text COLLATE "C" NOT NULL,
  changes    bigint NOT NULL,
  co_authors text COLLATE "C" NOT NULL DEFAULT '[]',
  changeset  jsonb NOT NULL
);
CREATE TABLE commit_tasks (
  task_id text COLLATE "C" NOT NULL,
  seq     bigint NOT NULL,
  PRIMARY KEY (task_id, seq)
);
CREATE TABLE pending (
  id        bigint PRIMARY KEY CHECK (id = 1),
  time      text COLLATE "C" NOT NULL,
  authors   text COLLATE "C" NOT NULL,
  messages  text COLLATE "C" NOT NULL,
  task_ids  text COLLATE "C" NOT NULL,
  changeset jsonb NOT NULL
);
-- The recorder: every row change of a history table, gathered into the commit by Commit()
-- in the same transaction (so no other transaction ever sees these rows).
CREATE TABLE tg_changes (
  seq     bigserial PRIMARY KEY,
  tbl     text COLLATE "C" NOT NULL,
  old_row jsonb,
  new_row jsonb
);
CREATE FUNCTION tg_record() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO tg_changes (tbl, old_row, new_row) VALUES (TG_TABLE_NAME, NULL, to_jsonb(NEW) - 'rowid');
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO tg_changes (tbl, old_row, new_row) VALUES (TG_TABLE_NAME, to_jsonb(OLD) - 'rowid', NULL);
  ELSIF (to_jsonb(OLD) - 'rowid') IS DISTINCT FROM (to_jsonb(NEW) - 'rowid') THEN
    INSERT INTO tg_changes (tbl, old_row, new_row)
      VALUES (TG_TABLE_NAME, to_jsonb(OLD) - 'rowid', to_jsonb(NEW) - 'rowid');
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER plans_history AFTER INSERT OR UPDATE OR DELETE ON plans FOR EACH ROW EXECUTE FUNCTION tg_record();
CREATE TRIGGER tasks_history AFTER INSERT OR UPDATE OR DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION tg_record();
CREATE TRIGGER edges_history AFTER INSERT OR UPDATE OR DELETE ON edges FOR EACH ROW EXECUTE FUNCTION tg_record();
CREATE TRIGGER events_history AFTER INSERT OR UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION tg_record();
CREATE TRIGGER gates_history AFTER INSERT OR UPDATE OR DELETE ON gates FOR EACH ROW EXECUTE FUNCTION tg_record();
CREATE TRIGGER task_docs_history AFTER INSERT OR UPDATE OR DELETE ON task_docs FOR EACH ROW EXECUTE FUNCTION tg_record();
CREATE TRIGGER task_skills_history AFTER INSERT OR UPDATE OR DELETE ON task_skills FOR EACH ROW EXECUTE FUNCTION tg_record();
)sql",
    // 2 (SQLite's 4): a todo's tests from the plan file; who resolved a gate and why. Older rows
    // hold NULL, and history recorded before these columns lacks them (replay reads NULL).
    R"sql(
ALTER TABLE tasks ADD COLUMN tests text COLLATE "C" CHECK (tests IS NULL OR tests::jsonb IS NOT NULL);
ALTER TABLE gates ADD COLUMN resolved_by text COLLATE "C";
ALTER TABLE gates ADD COLUMN reason text COLLATE "C";
CREATE INDEX commit_tasks_seq ON commit_tasks (seq);
)sql",
    // 3 (SQLite's 5): when each claim last showed a sign of life. Not history, like the table.
    R"sql(
ALTER TABLE leases ADD COLUMN renewed_at text COLLATE "C";
)sql",
    // 4 (SQLite's 6): the commits a commit takes back (revert, undo) and whether it is an undo.
    R"sql(
ALTER TABLE commits ADD COLUMN reverts text COLLATE "C" NOT NULL DEFAULT '[]';
ALTER TABLE commits ADD COLUMN undo bigint NOT NULL DEFAULT 0;
CREATE INDEX commits_author ON commits (author, seq);
CREATE INDEX commits_reverting ON commits (seq) WHERE reverts <> '[]';
)sql",
};

constexpr int kPgVersion = sizeof(kPgMigrations) / sizeof(kPgMigrations[0]);

}  // namespace

int PgSchemaVersion() { return kPgVersion; }

const std::vector<std::string>& PgHistoryTables() {
  static const std::vector<std::string> tables{"plans", "tasks",     "edges",      "events",
                                               "gates", "task_docs", "task_skills"};
  return tables;
}

Result<MetaInfo> ReadMeta(PgConn& c) {
  // Every command opens with this, on a backend whose catalog caches are cold: the common case
  // (tg's schema is there) must not plan the pg_tables view, which only an empty or foreign
  // database needs.
  TG_ASSIGN(auto r, c.Query("SELECT to_regclass('tg_meta') IS NOT NULL"));
  MetaInfo m;
  if (r.Text(0, 0) != "t") {
    TG_ASSIGN(auto any, c.Query("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = "
                                "current_schema())"));
    m.has_tables = any.Text(0, 0) == "t";
    return m;
  }
  m.has_tables = true;
  TG_ASSIGN(auto v, c.Query("SELECT (SELECT value FROM tg_meta WHERE key = 'schema_version'), "
                            "(SELECT value FROM tg_meta WHERE key = 'graph_id'), "
                            "(SELECT value FROM tg_meta WHERE key = 'moved_to')"));
  m.version = v.Null(0, 0) ? -1 : std::strtoll(v.Text(0, 0).c_str(), nullptr, 10);
  m.graph_id = v.OptText(0, 1);
  m.moved_to = v.OptText(0, 2);
  return m;
}

Status MarkMoved(PgConn& c, const std::string& where) {
  return c.Exec(
      "INSERT INTO tg_meta (key, value) VALUES ('moved_to', $1) ON CONFLICT (key) DO UPDATE "
      "SET value = EXCLUDED.value",
      {P(where)});
}

std::string MovedMessage(const std::string& database, const std::string& moved_to) {
  return fmt::format(
      "the graph in the database at {} was moved to the SQLite store {} by `tg "
      "migrate --to sqlite`; work there (this database is kept read-only), or "
      "point database_url at another database",
      database, moved_to);
}

Status CheckPgVersion(int64_t version, const ConnSpec& spec) {
  if (version < 0) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("the database at {} has tg's tables but no schema version; restore "
                            "it from a backup",
                            spec.where));
  }
  if (version > kPgVersion) {
    return Fail(Code::kSchemaTooNew,
                fmt::format("the database at {} has schema version {}, newer than this tg "
                            "understands ({}); upgrade tg",
                            spec.where, version, kPgVersion));
  }
  return Ok();
}

Status PgMigrateInTxn(PgConn& c, const std::optional<std::string>& graph_id) {
  {
    TG_TRY(c.Script(fmt::format("{}; SELECT pg_advisory_xact_lock({}, {})", c.SetLockTimeout(),
                                kLockClass, kMigrationLock)));
    TG_ASSIGN(MetaInfo m, ReadMeta(c));
    TG_TRY(CheckPgVersion(m.version, c.spec()));
    for (int64_t v = m.version; v < kPgVersion; ++v) TG_TRY(c.Script(kPgMigrations[v]));
    TG_TRY(
        c.Exec("INSERT INTO tg_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT "
               "(key) DO UPDATE SET value = EXCLUDED.value",
               {P(int64_t{std::max<int64_t>(m.version, kPgVersion)})}));
    // The graph's identity: the config's when it names one, else the server's random UUID.
    TG_TRY(
        c.Exec("INSERT INTO tg_meta (key, value) VALUES ('graph_id', coalesce($1, "
               "gen_random_uuid()::text)) ON CONFLICT (key) DO NOTHING",
               {P(graph_id)}));
    return Ok();
  }
}

Status PgMigrate(PgConn& c, const std::optional<std::string>& graph_id) {
  TG_TRY(c.Script("BEGIN"));
  Status st = PgMigrateInTxn(c, graph_id);
  if (!st) {
    (void)c.Script("ROLLBACK");
    return st;
  }
  return c.Script("COMMIT");
}

}  // namespace tg::store::pg
