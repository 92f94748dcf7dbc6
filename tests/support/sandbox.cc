#include "support/sandbox.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>

namespace tg::test {

namespace fs = std::filesystem;

std::string TgBinary() { return TG_BIN; }
std::string TgFaultBinary() { return TG_FAULT_BIN; }

bool OnPostgres() {
  const char* v = getenv("TG_TEST_PG");
  return v && *v;
}

namespace {

constexpr const char* kPgBin = "/usr/lib/postgresql/15/bin/";

RunResult PgTool(const std::string& tool, std::vector<std::string> args) {
  RunOptions o;
  o.argv = {std::string(kPgBin) + tool, "-h", getenv("TG_TEST_PG"), "-U", "tg"};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.env = {"PATH=/usr/bin:/bin", "PGCONNECT_TIMEOUT=10"};
  return RunProcess(o);
}

}  // namespace

Sandbox::Sandbox(bool init) {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/tg-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  root_ = tmpl;
  for (const char* d : {"home", "tmp", "xdg/config", "xdg/data", "xdg/cache", "xdg/state"}) {
    fs::create_directories(root_ + "/" + d);
  }
  if (OnPostgres()) {
    std::random_device rd;
    database_ = "tg_test_" + std::to_string(rd()) + "_" + std::to_string(rd());
    RunResult r = PgTool("createdb", {database_});
    if (r.exit_code != 0) throw std::runtime_error("createdb failed: " + r.err);
    database_url_ = "postgresql:///" + database_ + "?host=" + getenv("TG_TEST_PG") + "&user=tg";
    env_["TG_DATABASE_URL"] = database_url_;
  }
  if (init) {
    RunResult r = Run({"init"});
    if (r.exit_code != 0) throw std::runtime_error("tg init failed: " + r.err);
  }
}

std::string Sandbox::NewDatabaseUrl() const {
  std::string name = database_ + "_" + std::to_string(extra_databases_.size() + 2);
  RunResult r = PgTool("createdb", {name});
  if (r.exit_code != 0) throw std::runtime_error("createdb failed: " + r.err);
  extra_databases_.push_back(name);
  return "postgresql:///" + name + "?host=" + getenv("TG_TEST_PG") + "&user=tg";
}

Sandbox::~Sandbox() {
  for (const auto& name : extra_databases_) (void)PgTool("dropdb", {"--force", name});
  if (!database_.empty()) (void)PgTool("dropdb", {"--force", database_});
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::vector<std::string> Sandbox::Environment(
    const std::map<std::string, std::string>& extra) const {
  std::map<std::string, std::string> env{
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", root_ + "/home"},
      {"TMPDIR", root_ + "/tmp"},
      {"XDG_CONFIG_HOME", root_ + "/xdg/config"},
      {"XDG_DATA_HOME", root_ + "/xdg/data"},
      {"XDG_CACHE_HOME", root_ + "/xdg/cache"},
      {"XDG_STATE_HOME", root_ + "/xdg/state"},
      {"TZ", "UTC"},
      {"LANG", "C.UTF-8"},
      {"TG_DIR", root_},
  };
  for (const auto& [k, v] : env_) env[k] = v;
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) {
    if (!v.empty()) out.push_back(k + "=" + v);
  }
  return out;
}

RunResult Sandbox::Run(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& extra_env) const {
  return RunBinary(TgBinary(), args, extra_env);
}

RunResult Sandbox::RunBinary(const std::string& binary, const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& extra_env) const {
  RunOptions o;
  o.argv.push_back(binary);
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  o.env = Environment(extra_env);
  o.cwd = root_;
  return RunProcess(o);
}

json Sandbox::Json(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& extra_env) const {
  std::vector<std::string> a = args;
  a.push_back("--json");
  RunResult r = Run(a, extra_env);
  auto j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON: " << r.out << "\nstderr: " << r.err;
  return j;
}

std::string Sandbox::Ok(const std::vector<std::string>& args,
                        const std::map<std::string, std::string>& extra_env) const {
  RunResult r = Run(args, extra_env);
  std::string cmd;
  for (const auto& a : args) cmd += " " + a;
  EXPECT_EQ(r.exit_code, 0) << "tg" << cmd << "\nstdout: " << r.out << "\nstderr: " << r.err;
  return r.out;
}

void Sandbox::Sql(const std::string& sql, const std::string& db) const {
  if (OnPostgres() && db.empty()) {
    ADD_FAILURE() << "Sandbox::Sql runs SQLite SQL; mark this test TG_SKIP_ON_PG or use Psql";
    return;
  }
  RunOptions o;
  o.argv = {"/usr/bin/sqlite3", db.empty() ? root_ + "/.taskgraph/tg.db" : db, sql};
  o.env = {"PATH=/usr/bin:/bin", "HOME=" + home()};
  RunResult r = RunProcess(o);
  ASSERT_EQ(r.exit_code, 0) << "sqlite3 " << sql << ": " << r.err;
}

void Sandbox::Psql(const std::string& sql) const {
  ASSERT_FALSE(database_.empty()) << "Sandbox::Psql needs the PostgreSQL suite (TG_TEST_PG)";
  RunResult r = PgTool("psql", {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database_, "-c", sql});
  ASSERT_EQ(r.exit_code, 0) << "psql " << sql << ": " << r.err;
}

std::string Sandbox::NewPlan(const std::string& title) const {
  return Json({"plan", "new", title})["hash_id"].get<std::string>();
}

std::string Sandbox::NewTask(const std::string& plan, const std::string& title) const {
  return Json({"task", "new", title, "--plan", plan})["hash_id"].get<std::string>();
}

}  // namespace tg::test
