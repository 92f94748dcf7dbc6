#include "store/sqlite/schema.h"

#include <fmt/format.h>

namespace tg::store::sqlite {

namespace {

// Each entry is one migration step. Never edit a shipped step: append a new one.
constexpr const char* kMigrations[] = {
    // 1: the initial schema.
    R"sql(
CREATE TABLE plans (
  plan_id     TEXT NOT NULL PRIMARY KEY,
  hash_id     TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  intent      TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL DEFAULT 'draft'
              CHECK (status IN ('draft','active','paused','done','abandoned')),
  priority    INTEGER,
  source_path TEXT,
  overview    TEXT,
  file_tree   TEXT,
  risks       TEXT CHECK (risks IS NULL OR json_valid(risks)),
  tests       TEXT CHECK (tests IS NULL OR json_valid(tests)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX plans_title ON plans (title);
CREATE INDEX plans_source ON plans (source_path);

CREATE TABLE tasks (
  task_id           TEXT NOT NULL PRIMARY KEY,
  hash_id           TEXT NOT NULL UNIQUE,
  plan_id           TEXT NOT NULL REFERENCES plans (plan_id),
  external_key      TEXT,
  title             TEXT NOT NULL,
  intent            TEXT,
  feature_key       TEXT,
  area              TEXT,
  acceptance        TEXT CHECK (acceptance IS NULL OR json_valid(acceptance)),
  status            TEXT NOT NULL DEFAULT 'todo'
                    CHECK (status IN ('todo','doing','blocked','done','canceled')),
  priority          INTEGER,
  risk              TEXT NOT NULL DEFAULT 'low' CHECK (risk IN ('low','medium','high')),
  estimate_mins     INTEGER,
  change_type       TEXT,
  suggested_changes TEXT,
  agent             TEXT,
  claimed_by        TEXT,
  claimed_at        TEXT,
  started_at        TEXT,
  ended_at          TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
);
CREATE UNIQUE INDEX tasks_external_key ON tasks (plan_id, external_key)
  WHERE external_key IS NOT NULL;
CREATE INDEX tasks_plan ON tasks (plan_id, status);
-- next reads runnable tasks through this index: the materialised status keeps it small.
CREATE INDEX tasks_status ON tasks (status, priority, created_at);

CREATE TABLE edges (
  from_task_id TEXT NOT NULL REFERENCES tasks (task_id),
  to_task_id   TEXT NOT NULL REFERENCES tasks (task_id),
  type         TEXT NOT NULL CHECK (type IN ('blocks','relates')),
  reason       TEXT,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (from_task_id, to_task_id, type)
);
CREATE INDEX edges_to ON edges (to_task_id, type);

CREATE TABLE events (
  event_id   TEXT NOT NULL PRIMARY KEY,
  task_id    TEXT NOT NULL REFERENCES tasks (task_id),
  kind       TEXT NOT NULL,
  body       TEXT NOT NULL CHECK (json_valid(body)),
  agent      TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX events_task ON events (task_id, created_at);

CREATE TABLE gates (
  gate_id     TEXT NOT NULL PRIMARY KEY,
  hash_id     TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  gate_type   TEXT NOT NULL CHECK (gate_type IN ('human','ci','webhook')),
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','resolved')),
  task_id     TEXT NOT NULL REFERENCES tasks (task_id),
  created_at  TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX gates_task ON gates (task_id, status);

CREATE TABLE task_docs (
  task_id TEXT NOT NULL REFERENCES tasks (task_id),
  doc     TEXT NOT NULL,
  PRIMARY KEY (task_id, doc)
);
CREATE TABLE task_skills (
  task_id TEXT NOT NULL REFERENCES tasks (task_id),
  skill   TEXT NOT NULL,
  PRIMARY KEY (task_id, skill)
);

-- Not history: lease renewals would flood the log (contract section 3).
CREATE TABLE leases (
  task_id    TEXT NOT NULL PRIMARY KEY REFERENCES tasks (task_id),
  expires_at TEXT NOT NULL
);

-- History. changeset holds the commit's row changes (SQLite session format).
CREATE TABLE commits (
  seq        INTEGER PRIMARY KEY,
  commit_id  TEXT NOT NULL UNIQUE,
  parent     TEXT,
  time       TEXT NOT NULL,
  author     TEXT NOT NULL,
  message    TEXT NOT NULL,
  changes    INTEGER NOT NULL,
  co_authors TEXT NOT NULL DEFAULT '[]',
  changeset  BLOB NOT NULL
);
CREATE TABLE commit_tasks (
  task_id TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (task_id, seq)
) WITHOUT ROWID;
-- The --no-commit working set: at most one row, absorbed by the next commit.
CREATE TABLE pending (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  time      TEXT NOT NULL,
  authors   TEXT NOT NULL,
  messages  TEXT NOT NULL,
  task_ids  TEXT NOT NULL,
  changeset BLOB NOT NULL
);
)sql",
    // 2: next sorts the runnable tasks by keys this index covers, so it reads compact index
    // entries and then only the rows it returns, instead of every runnable row (on 10,000 tasks
    // those rows are spread over hundreds of pages). It starts like tasks_status, which it
    // replaces.
    R"sql(
DROP INDEX tasks_status;
CREATE INDEX tasks_next ON tasks (status, priority, risk, estimate_mins, created_at, plan_id,
                                  task_id);
)sql",
    // 3: size-independent reads. next walks each open plan's runnable tasks in the contract's
    // order straight from tasks_runnable (a partial index: only todo rows, keyed by the sort
    // expressions), so it reads the rows it returns and no others, however large the graph;
    // expired leases come from leases_expiry.
    R"sql(
DROP INDEX tasks_next;
CREATE INDEX tasks_runnable ON tasks (plan_id, priority IS NULL, priority,
    CASE risk WHEN 'low' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, estimate_mins IS NULL,
    estimate_mins, created_at) WHERE status = 'todo';
CREATE INDEX leases_expiry ON leases (expires_at);
-- SQLite evaluates `x IN (list)` in a CHECK by building a temporary index for every row it
-- checks: about 60,000 instructions per task written, an eighth of a large import. The same
-- checks as OR chains cost a few comparisons. A CHECK does not change how rows are stored, so
-- the table definition is edited in place (SQLite's documented procedure for such changes;
-- Migrate() bumps the schema cookie afterwards).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (status IN (''todo'',''doing'',''blocked'',''done'',''canceled''))',
    'CHECK (status = ''todo'' OR status = ''doing'' OR status = ''blocked'' OR status = ''done'' OR status = ''canceled'')'),
    'CHECK (risk IN (''low'',''medium'',''high''))',
    'CHECK (risk = ''low'' OR risk = ''medium'' OR risk = ''high'')')
  WHERE type = 'table' AND name = 'tasks';
PRAGMA writable_schema = OFF;
)sql",
    // 4: a todo's tests (how to check it) from the plan file, shown by show and context; who
    // resolved a gate and why. Rows older than these columns hold NULL, and history recorded
    // before them has no such columns: replay reads an absent column as NULL.
    R"sql(
ALTER TABLE tasks ADD COLUMN tests TEXT CHECK (tests IS NULL OR json_valid(tests));
ALTER TABLE gates ADD COLUMN resolved_by TEXT;
ALTER TABLE gates ADD COLUMN reason TEXT;
CREATE INDEX commit_tasks_seq ON commit_tasks (seq);
)sql",
    // 5: when each claim last showed a sign of life (its claim, a heartbeat, a heartbeat note),
    // so views can tell a dead agent from a busy one before its lease runs out. Not history,
    // like the rest of the table.
    R"sql(
ALTER TABLE leases ADD COLUMN renewed_at TEXT;
)sql",
    // 6: the versioned graph. A commit names the commits it takes back (revert, undo; a JSON
    // list of ids) and whether it is an undo, so `tg undo` can tell what is already undone.
    // Older commits take nothing back. Undo reads one agent's commits newest first, and the
    // few commits that take others back.
    R"sql(
ALTER TABLE commits ADD COLUMN reverts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE commits ADD COLUMN undo INTEGER NOT NULL DEFAULT 0;
CREATE INDEX commits_author ON commits (author, seq);
CREATE INDEX commits_reverting ON commits (seq) WHERE reverts <> '[]';
)sql",
};

constexpr int kVersion = sizeof(kMigrations) / sizeof(kMigrations[0]);

}  // namespace

int SchemaVersion() { return kVersion; }

const std::vector<std::string>& HistoryTables() {
  static const std::vector<std::string> tables{"plans", "tasks",     "edges",      "events",
                                               "gates", "task_docs", "task_skills"};
  return tables;
}

Status CheckSchemaVersion(int64_t version, const std::string& db_path) {
  if (version == 0) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("{} is not a tg store (it is empty, or another program's database); "
                            "restore it from a backup, or move it away and run `tg init`",
                            db_path));
  }
  if (version < 0) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("{} has schema version {}, which no tg writes; restore it from a "
                            "backup",
                            db_path, version));
  }
  if (version > kVersion) {
    return Fail(Code::kSchemaTooNew,
                fmt::format("{} has schema version {}, newer than this tg understands ({}); "
                            "upgrade tg",
                            db_path, version, kVersion));
  }
  return Ok();
}

Status Migrate(Db& db) {
  TG_TRY(db.Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    TG_ASSIGN(int64_t version, db.QueryInt("PRAGMA user_version"));
    if (version < 0) {
      return Fail(Code::kStoreCorrupt,
                  fmt::format("the store's schema version is {}, which no tg writes; restore "
                              ".taskgraph/tg.db from a backup",
                              version));
    }
    if (version > kVersion) {
      return Fail(Code::kSchemaTooNew,
                  fmt::format("the store has schema version {} but this tg knows only up to {}; "
                              "upgrade tg",
                              version, kVersion));
    }
    for (int64_t v = version; v < kVersion; ++v) {
      TG_TRY(db.Exec(kMigrations[v]));
      // Tell every connection that the schema changed, including edits made in place, after
      // each step: this one too must re-read the schema before the next step's ALTER TABLE,
      // which works from the parsed table (an edit in place would leave it stale).
      TG_ASSIGN(int64_t cookie, db.QueryInt("PRAGMA schema_version"));
      TG_TRY(db.Exec(fmt::format("PRAGMA schema_version={}", cookie + 1)));
    }
    if (version < kVersion) TG_TRY(db.Exec(fmt::format("PRAGMA user_version={}", kVersion)));
    return Ok();
  };
  Status st = body();
  if (!st) {
    (void)db.Exec("ROLLBACK");
    return st;
  }
  return db.Exec("COMMIT");
}

}  // namespace tg::store::sqlite
