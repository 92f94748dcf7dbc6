// The PostgreSQL store: connecting, the schema check of every open, init (create or join),
// the storage checks of `tg doctor`, and waiting for commits with LISTEN/NOTIFY.
#include <fmt/format.h>
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <cerrno>

#include "store/pg/schema.h"
#include "store/pg/txn.h"

namespace tg::store::pg {

namespace {

int64_t WatchMonoMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

// Wakes on the NOTIFY every commit sends (pg_notify in Commit()), on its own connection.
class PgWatch final : public ChangeWatch {
 public:
  PgWatch(std::unique_ptr<PgConn> c, int64_t deadline) : c_(std::move(c)), deadline_(deadline) {}

  bool Wait(std::optional<int64_t> at_most_ms) override {
    const Pq& pq = c_->pq();
    const int64_t start = WatchMonoMs();
    for (;;) {
      if (Drain()) return true;
      int64_t now = WatchMonoMs();
      int64_t left = deadline_ - now;
      if (left <= 0) return false;
      if (at_most_ms) {
        int64_t wake_in = start + std::max<int64_t>(*at_most_ms, 0) - now;
        if (wake_in <= 0) return true;
        left = std::min(left, wake_in);
      }
      pollfd p{pq.PQsocket(c_->raw()), POLLIN, 0};
      int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 60'000)));
      if (n < 0 && errno == EINTR) continue;
      if (n > 0 && pq.PQconsumeInput(c_->raw()) == 0) return true;  // connection lost: look
    }
  }

  // The dashboard polls the connection's socket with its keys; a NOTIFY makes it readable.
  int ReadyFd() const override { return c_->pq().PQsocket(c_->raw()); }
  bool Consume() override {
    if (c_->pq().PQconsumeInput(c_->raw()) == 0) return true;  // connection lost: look
    return Drain();
  }

 private:
  bool Drain() {
    const Pq& pq = c_->pq();
    bool any = false;
    while (PGnotify* n = pq.PQnotifies(c_->raw())) {
      any = true;
      pq.PQfreemem(n);
    }
    return any;
  }
  std::unique_ptr<PgConn> c_;
  int64_t deadline_;
};

}  // namespace

Result<std::unique_ptr<PgConn>> ConnectStore(const ConnSpec& spec, const OpenOptions& opts) {
  TG_ASSIGN(auto c, PgConn::Connect(spec, opts.connect_timeout_ms));
  c->lock_timeout_ms = opts.lock_timeout_ms;
  return c;
}

std::optional<Millis> PgStore::FixedNow() const {
  if (const auto* fixed = dynamic_cast<const FixedClock*>(&clock_)) return fixed->Now();
  return std::nullopt;
}

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& root, const ConnSpec& spec,
                                               const Config& config, const OpenOptions& opts,
                                               const Clock& clock) {
  std::unique_ptr<PgStore> s(new PgStore(clock));
  s->root_ = root;
  s->spec_ = spec;
  s->opts_ = opts;
  s->config_ = config;
  TG_ASSIGN(s->conn_, ConnectStore(spec, opts));
  TG_ASSIGN(MetaInfo m, ReadMeta(*s->conn_));
  if (m.version == 0) {
    return Fail(Code::kNotInitialized,
                fmt::format("the database at {} holds no task graph; run `tg init "
                            "--database-url {}` first",
                            spec.where, spec.url));
  }
  TG_TRY(CheckPgVersion(m.version, spec));
  if (config.graph_id && m.graph_id && *config.graph_id != *m.graph_id) {
    return Fail(Code::kValidationFailed,
                fmt::format("the database at {} holds another graph ({}) than the one "
                            "{}/.taskgraph/config.json names ({}); check database_url and "
                            "TG_DATABASE_URL",
                            spec.where, *m.graph_id, root, *config.graph_id));
  }
  if (m.version < PgSchemaVersion()) TG_TRY(PgMigrate(*s->conn_, std::nullopt));
  s->moved_to_ = m.moved_to;
  if (opts.long_lived && opts.queue_writers && !m.moved_to) TG_TRY(s->Warm());
  return s;
}

Result<std::unique_ptr<Reader>> PgStore::Read() {
  TG_ASSIGN(auto txn, PgTxn::Begin(*this, /*write=*/false, ""));
  return std::unique_ptr<Reader>(std::move(txn));
}

Result<std::unique_ptr<Writer>> PgStore::Write(const std::string& holder) {
  if (moved_to_) return Fail(Code::kReadOnly, MovedMessage(spec_.where, *moved_to_));
  TG_ASSIGN(auto txn, PgTxn::Begin(*this, /*write=*/true, holder));
  return std::unique_ptr<Writer>(std::move(txn));
}

Status PgStore::Warm() {
  TG_ASSIGN(auto txn, PgTxn::Begin(*this, /*write=*/false, ""));
  store::TaskFilter f;
  f.include_expired = true;
  f.limit = 1;
  TG_TRY(txn->NextTasks(f));
  TG_TRY(txn->GetTask(""));
  TG_TRY(txn->KeyColumns(""));
  return Ok();
}

Result<std::unique_ptr<ChangeWatch>> PgStore::Watch(int64_t timeout_ms) {
  TG_ASSIGN(auto c, ConnectStore(spec_, opts_));
  TG_TRY(c->Script("LISTEN tg_commit"));
  return std::unique_ptr<ChangeWatch>(new PgWatch(std::move(c), WatchMonoMs() + timeout_ms));
}

Result<std::vector<Finding>> PgStore::CheckStorage() {
  std::vector<Finding> out;
  TG_ASSIGN(MetaInfo m, ReadMeta(*conn_));
  if (m.version != PgSchemaVersion()) {
    out.push_back(
        {"schema",
         fmt::format("schema version {} (this tg writes {})", m.version, PgSchemaVersion()),
         {}});
  }
  // A history table without its recording trigger would change without history.
  TG_ASSIGN(auto r, conn_->Query("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = "
                                 "t.tgrelid WHERE t.tgname = c.relname || '_history' AND "
                                 "t.tgenabled <> 'D' AND c.relnamespace = "
                                 "current_schema()::regnamespace"));
  std::vector<std::string> have;
  for (int i = 0; i < r.Rows(); ++i) have.push_back(r.Text(i, 0));
  Finding f{"history_trigger", "history tables whose changes are not recorded", {}};
  for (const auto& t : PgHistoryTables()) {
    if (std::find(have.begin(), have.end(), t) == have.end()) f.rows.push_back(t);
  }
  if (!f.rows.empty()) out.push_back(std::move(f));
  return out;
}

Result<PgInitOutcome> InitPgDatabase(const ConnSpec& spec, const OpenOptions& opts,
                                     const std::optional<std::string>& config_graph_id) {
  TG_ASSIGN(auto c, ConnectStore(spec, opts));
  TG_ASSIGN(MetaInfo m, ReadMeta(*c));
  if (m.version == 0 && m.has_tables) {
    return Fail(Code::kStoreCorrupt,
                fmt::format("the database at {} holds tables that are not tg's; give tg an "
                            "empty database of its own",
                            spec.where));
  }
  TG_TRY(CheckPgVersion(m.version, spec));
  if (m.graph_id && config_graph_id && *m.graph_id != *config_graph_id) {
    return Fail(Code::kValidationFailed,
                fmt::format("the database at {} holds another graph ({}) than this folder's "
                            "config.json names ({}); point database_url at that graph's "
                            "database, or use an empty one",
                            spec.where, *m.graph_id, *config_graph_id));
  }
  // Joining a graph that moved away would start a second, diverging copy of it.
  if (m.moved_to) return Fail(Code::kReadOnly, MovedMessage(spec.where, *m.moved_to));
  TG_TRY(PgMigrate(*c, config_graph_id));
  TG_ASSIGN(MetaInfo after, ReadMeta(*c));
  PgInitOutcome out;
  out.graph_id = after.graph_id.value_or("");
  out.created = m.version == 0;
  return out;
}

}  // namespace tg::store::pg
