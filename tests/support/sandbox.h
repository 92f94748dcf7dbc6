// A private world for one CLI test: a fresh temp folder holding the graph, with HOME, XDG_*,
// TMPDIR inside it, TZ=UTC, and TG_DIR pointing at it, so tests never share state and can all
// run at once under `ctest -j`.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.h"

namespace tg::test {

using nlohmann::json;

// The built tg binary, and tg_fault (tg with a write-failing VFS), both set by CMake.
std::string TgBinary();
std::string TgFaultBinary();

// The suite runs a second time against PostgreSQL (CTest label `pg`): TG_TEST_PG names the
// socket folder of the test server (scripts/pg-test-server.sh), and every Sandbox then keeps
// its graph in a database of its own on it, created and dropped with the sandbox.
bool OnPostgres();
// For tests that damage SQLite files behind tg's back (Sandbox::Sql, the fault VFS, file
// modes): they have PostgreSQL counterparts where it matters.
#define TG_SKIP_ON_PG(why) \
  if (::tg::test::OnPostgres()) GTEST_SKIP() << "not on PostgreSQL: " << why

class Sandbox {
 public:
  // `init`: run `tg init` so the graph exists.
  explicit Sandbox(bool init = true);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::string& root() const { return root_; }  // holds .taskgraph/
  std::string home() const { return root_ + "/home"; }

  // Extra environment for every later command (e.g. TG_AGENT); "" removes a variable.
  void SetEnv(const std::string& key, const std::string& value) { env_[key] = value; }
  std::vector<std::string> Environment(const std::map<std::string, std::string>& extra = {}) const;

  RunResult Run(const std::vector<std::string>& args,
                const std::map<std::string, std::string>& extra_env = {}) const;
  // Runs another binary (e.g. TgFaultBinary()) the same way.
  RunResult RunBinary(const std::string& binary, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& extra_env = {}) const;
  // Runs with --json and parses stdout; fails the test if stdout is not JSON.
  json Json(const std::vector<std::string>& args,
            const std::map<std::string, std::string>& extra_env = {}) const;
  // Runs and expects exit 0 (fails the test otherwise); returns stdout.
  std::string Ok(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& extra_env = {}) const;

  // Runs SQL on the graph's store with the sqlite3 shell (behind tg's back, as another program
  // or an older tg would) and expects it to succeed. `db` defaults to .taskgraph/tg.db.
  void Sql(const std::string& sql, const std::string& db = "") const;

  // Runs SQL on the sandbox's PostgreSQL database with psql, behind tg's back.
  void Psql(const std::string& sql) const;
  // The sandbox's database URL (empty on SQLite).
  const std::string& database_url() const { return database_url_; }
  // On PostgreSQL, one more empty database for a second graph in the same test (dropped with
  // the sandbox), and its URL.
  std::string NewDatabaseUrl() const;

  // Conveniences for building graphs.
  std::string NewPlan(const std::string& title) const;                           // -> plan hash id
  std::string NewTask(const std::string& plan, const std::string& title) const;  // -> task hash id

 private:
  std::string root_;
  std::string database_, database_url_;
  mutable std::vector<std::string> extra_databases_;
  std::map<std::string, std::string> env_;
};

}  // namespace tg::test
