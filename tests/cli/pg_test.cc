// What only the PostgreSQL store has (contract section 11): a database URL in config.json
// without its password, one graph per database, joining a graph from another folder, an
// unreachable or silent server, lock waits, damage behind tg's back, and agents in different
// folders claiming from one database. They run in the `pg` suite only (TG_TEST_PG); the rest
// of the CLI suite runs there too and shows that both stores behave the same.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <latch>
#include <set>
#include <sstream>
#include <thread>

#include "support/sandbox.h"

namespace tg::test {
namespace {

#define TG_PG_ONLY() \
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only: runs in the pg suite (TG_TEST_PG)"

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PgConfig, InitWritesTheUrlAndGraphIdButNeverThePassword) {
  TG_PG_ONLY();
  Sandbox sb;  // owns the database
  Sandbox other(false);
  // postgresql:///db?host=... -> postgresql://tg:s3cret-pw@/db?host=...
  std::string url = "postgresql://tg:s3cret-pw@" + sb.database_url().substr(13);
  RunResult r = other.Run({"init", "--database-url", url}, {{"TG_DATABASE_URL", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("s3cret"), std::string::npos) << r.out;
  std::string config = ReadAll(other.root() + "/.taskgraph/config.json");
  EXPECT_EQ(config.find("s3cret"), std::string::npos) << config;
  json j = json::parse(config);
  EXPECT_EQ(j["database_url"], "postgresql://tg@" + sb.database_url().substr(13)) << config;
  EXPECT_EQ(json::parse(ReadAll(sb.root() + "/.taskgraph/config.json"))["graph_id"], j["graph_id"]);
  // No password anywhere later either: the server here trusts its socket.
  other.Ok({"status"}, {{"TG_DATABASE_URL", ""}});
}

TEST(PgConfig, InitInAnotherFolderJoinsTheGraphAndSharesIt) {
  TG_PG_ONLY();
  Sandbox a;
  std::string t = a.NewTask(a.NewPlan("Shared"), "One task");
  Sandbox b(false);
  RunResult r = b.Run({"init", "--database-url", a.database_url()}, {{"TG_DATABASE_URL", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Joined the graph in PostgreSQL"), std::string::npos) << r.out;
  json shown = b.Json({"show", t}, {{"TG_DATABASE_URL", ""}});
  EXPECT_EQ(shown["title"], "One task");
  b.Ok({"start", t}, {{"TG_DATABASE_URL", ""}, {"TG_AGENT", "bob"}});
  EXPECT_EQ(a.Json({"show", t})["claimed_by"], "bob");
}

TEST(PgConfig, ADatabaseOfAnotherGraphIsRefused) {
  TG_PG_ONLY();
  Sandbox a, b;
  std::string t = a.NewTask(a.NewPlan("A's"), "A's task");
  // b's config names b's graph; pointed at a's database by mistake, nothing of a's is shown.
  RunResult r = b.Run({"show", t, "--json"}, {{"TG_DATABASE_URL", a.database_url()}});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "VALIDATION_FAILED");
  EXPECT_NE(r.err.find("another graph"), std::string::npos) << r.err;
  RunResult init = b.Run({"init", "--database-url", a.database_url()});
  EXPECT_EQ(init.exit_code, 6) << init.err;
}

TEST(PgConfig, AFailedInitLeavesTheConfigAsItWas) {
  TG_PG_ONLY();
  Sandbox sb(false);
  std::string dir = sb.root() + "/.taskgraph";
  std::filesystem::create_directories(dir);
  std::string mine = "{\n  \"lease_minutes\": 30\n}\n";
  std::ofstream(dir + "/config.json") << mine;
  RunResult r = sb.Run({"init", "--database-url", "postgresql://127.0.0.1:1/nothing"},
                       {{"TG_DATABASE_URL", ""}, {"TG_CONNECT_TIMEOUT", "2s"}});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(ReadAll(dir + "/config.json"), mine);
}

TEST(PgConfig, VerifyModesNeedANamedRootCertificate) {
  TG_PG_ONLY();
  Sandbox sb(false);
  RunResult r =
      sb.Run({"init", "--database-url", "postgresql://db.example/tg?sslmode=verify-full", "--json"},
             {{"TG_DATABASE_URL", ""}});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("sslrootcert"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(sb.root() + "/.taskgraph/config.json"));
}

TEST(PgFailure, AnUnreachableServerIsIoErrorNamingHostAndPort) {
  TG_PG_ONLY();
  Sandbox sb;
  RunResult r = sb.Run({"next", "--json"},
                       {{"TG_DATABASE_URL", "postgresql://tg:pw-not-shown@127.0.0.1:1/x"}});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "IO_ERROR");
  EXPECT_NE(r.err.find("127.0.0.1:1"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("pw-not-shown"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("pw-not-shown"), std::string::npos) << r.out;
}

TEST(PgFailure, AServerThatNeverAnswersTimesOut) {
  TG_PG_ONLY();
  Sandbox sb;
  // A socket that completes the TCP handshake (the kernel's backlog) and never says a word.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  std::string port = std::to_string(ntohs(addr.sin_port));
  RunResult r =
      sb.Run({"next", "--json"}, {{"TG_DATABASE_URL", "postgresql://127.0.0.1:" + port + "/x"},
                                  {"TG_CONNECT_TIMEOUT", "300ms"}});
  close(fd);
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:" + port), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no answer within 300 ms"), std::string::npos) << r.err;
}

TEST(PgFailure, BadCredentialsSaySo) {
  TG_PG_ONLY();
  Sandbox sb;
  RunResult r =
      sb.Run({"next", "--json"}, {{"TG_DATABASE_URL", sb.database_url() + "x&user=nobody_here"}});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_NE(r.err.find("refused the credentials"), std::string::npos) << r.err;
}

TEST(PgFailure, ANewerSchemaIsRefused) {
  TG_PG_ONLY();
  Sandbox sb;
  sb.Psql("UPDATE tg_meta SET value = '99' WHERE key = 'schema_version'");
  RunResult r = sb.Run({"status", "--json"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "SCHEMA_TOO_NEW");
}

TEST(PgFailure, AnEmptyDatabaseIsNotInitialized) {
  TG_PG_ONLY();
  Sandbox sb;
  sb.Psql("DROP TABLE tg_meta");
  RunResult r = sb.Run({"status", "--json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "NOT_INITIALIZED");
}

TEST(PgDoctor, FindsARowChangedBehindHistory) {
  TG_PG_ONLY();
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string a = sb.NewTask(p, "A"), b = sb.NewTask(p, "B");
  sb.Ok({"block", b, "--on", a});
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);
  // Behind tg's back, with the history triggers off (as a restore script might do).
  sb.Psql(
      "SET session_replication_role = replica; UPDATE tasks SET status = 'todo' WHERE "
      "hash_id = '" +
      b + "'");
  RunResult r = sb.Run({"doctor", "--json"});
  EXPECT_EQ(r.exit_code, 7);
  json j = json::parse(r.out);
  std::set<std::string> checks;
  for (const auto& f : j["findings"]) checks.insert(f["check"]);
  EXPECT_TRUE(checks.contains("blocked_status")) << r.out;
  EXPECT_TRUE(checks.contains("history")) << r.out;
}

TEST(PgDoctor, FindsAHistoryTableThatLostItsTrigger) {
  TG_PG_ONLY();
  Sandbox sb;
  sb.NewTask(sb.NewPlan("P"), "A");
  sb.Psql("DROP TRIGGER task_docs_history ON task_docs");
  RunResult r = sb.Run({"doctor", "--json"});
  EXPECT_EQ(r.exit_code, 7);
  EXPECT_NE(r.out.find("history_trigger"), std::string::npos) << r.out;
}

TEST(PgFailure, LockWaitPastTheTimeoutIsStoreBusy) {
  TG_PG_ONLY();
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  // Another writer holds the writers' lock: a psql session that sleeps far longer than the
  // test (its backend is ended below, and dropdb --force ends it in any case).
  RunOptions o;
  o.argv = {"/usr/lib/postgresql/15/bin/psql",
            "-X",
            "-q",
            "-d",
            sb.database_url(),
            "-c",
            "SELECT set_config('application_name', 'mallory running tg import', false), "
            "pg_advisory_lock(7467, 1)",
            "-c",
            "SELECT pg_sleep(3600)"};
  o.env = {"PATH=/usr/bin:/bin"};
  int pid = SpawnQuiet(o);
  ASSERT_GT(pid, 0);
  // Wait until this session holds the lock in this test's database: the server is shared by
  // every test, and other tests' tg writers take the same lock in their own databases. Each
  // probe is a query, not a sleep; a holder that exits (it could not connect) fails at once.
  const std::string probe =
      "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE "
      "l.locktype = 'advisory' AND l.classid = 7467 AND l.objid = 1 AND l.granted AND "
      "l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND "
      "a.application_name = 'mallory running tg import'";
  bool held = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!held && std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, WNOHANG), 0) << "the psql holding the lock exited early";
    RunOptions q;
    q.argv = {"/usr/lib/postgresql/15/bin/psql", "-X", "-At", "-d", sb.database_url(), "-c", probe};
    q.env = {"PATH=/usr/bin:/bin"};
    held = RunProcess(q).out.starts_with("1");
  }
  ASSERT_TRUE(held) << "the psql session never took the writers' lock";
  RunResult r = sb.Run({"note", t, "--msg", "x", "--json"}, {{"TG_LOCK_TIMEOUT", "300ms"}});
  RunResult read = sb.Run({"show", t, "--json"});  // readers never wait
  sb.Psql(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
      "'mallory running tg import' AND datname = current_database()");
  kill(pid, SIGKILL);
  (void)Reap(pid);
  ASSERT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_EQ(json::parse(r.out)["error"]["code"], "STORE_BUSY");
  EXPECT_NE(r.err.find("held by mallory running tg import"), std::string::npos) << r.err;
  EXPECT_EQ(read.exit_code, 0);
}

// Agents in different folders (each its own .taskgraph/, one database) race `next --claim`:
// every one gets a different task, no task twice, and history stays one intact chain.
TEST(PgConcurrency, AgentsInDifferentFoldersClaimDifferentTasks) {
  TG_PG_ONLY();
  Sandbox home;
  std::string plan = home.NewPlan("Shared");
  constexpr int kAgents = 12, kTasks = 16;
  for (int i = 0; i < kTasks; ++i) home.NewTask(plan, "task " + std::to_string(i));
  std::vector<std::unique_ptr<Sandbox>> folders;
  for (int i = 0; i < kAgents; ++i) {
    folders.push_back(std::make_unique<Sandbox>(false));
    folders.back()->SetEnv("TG_DATABASE_URL", "");
    folders.back()->Ok({"init", "--database-url", home.database_url()});
  }
  std::vector<RunResult> results(kAgents);
  std::latch go(kAgents);
  std::vector<std::thread> threads;
  for (int i = 0; i < kAgents; ++i) {
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      results[i] = folders[i]->Run({"next", "--claim", "--json"},
                                   {{"TG_AGENT", "agent-" + std::to_string(i)}});
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> claimed;
  for (int i = 0; i < kAgents; ++i) {
    ASSERT_EQ(results[i].exit_code, 0) << results[i].err;
    json j = json::parse(results[i].out);
    ASSERT_EQ(j.size(), 1u) << results[i].out;
    claimed.insert(j[0]["hash_id"].get<std::string>());
  }
  EXPECT_EQ(claimed.size(), size_t{kAgents});
  json doing = home.Json({"status", "--tasks", "--filter", "active"});
  int held = 0;
  for (const auto& t : doing) held += t["status"] == "doing";
  EXPECT_EQ(held, kAgents);
  EXPECT_EQ(home.Json({"doctor"})["ok"], true);
  json log = home.Json({"log", "--limit", "1000"});
  for (size_t i = 0; i + 1 < log.size(); ++i) {
    EXPECT_EQ(log[i]["parent"], log[i + 1]["commit_id"]) << "chain broken at " << i;
  }
}

}  // namespace
}  // namespace tg::test
