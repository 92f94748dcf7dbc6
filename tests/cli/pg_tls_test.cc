// TLS to PostgreSQL as libpq's sslmode gives it (contract section 11), against a server of the
// test's own that takes TCP connections only over TLS, with a certificate from a throwaway
// authority (scripts/pg-test-server.sh start FOLDER --tls). PostgreSQL suite only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/strings.h"
#include "support/process.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// The TLS server of one test: started in its folder, stopped when the test ends (pass or fail).
class TlsServer {
 public:
  explicit TlsServer(const std::string& dir) : dir_(dir) {
    RunResult r = Script({"start", dir_, "--tls"});
    std::istringstream in(r.out);
    in >> sock_ >> port_;
    ok_ = r.exit_code == 0 && !port_.empty();
    if (!ok_) error_ = r.err;
  }
  ~TlsServer() { (void)Script({"stop", dir_}); }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  const std::string& port() const { return port_; }
  std::string Authority() const { return dir_ + "/ca.crt"; }
  std::string OtherAuthority() const { return dir_ + "/other-ca.crt"; }
  RunResult CreateDb(const std::string& name) const {
    RunOptions o;
    o.argv = {"/usr/lib/postgresql/15/bin/createdb", "-h", sock_, "-p", port_, "-U", "tg", name};
    o.env = {"PATH=/usr/bin:/bin"};
    return RunProcess(o);
  }
  std::string Url(const std::string& db, const std::string& tls) const {
    return Cat({"postgresql://tg@127.0.0.1:", port_, "/", db, "?", tls});
  }

 private:
  RunResult Script(const std::vector<std::string>& args) const {
    RunOptions o;
    o.argv = {std::string(TG_SCRIPTS_DIR) + "/pg-test-server.sh"};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.env = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
    o.timeout_ms = 700'000;  // pg_ctl waits up to 300 s for a slow server
    return RunProcess(o);
  }
  std::string dir_, sock_, port_, error_;
  bool ok_ = false;
};

// verify-full against the right authority works, from config.json, while libpq's files under
// $HOME (garbage here) are never read; a wrong authority and a connection without TLS are
// IO_ERROR saying it is about TLS.
TEST(PgTls, VerifiedTlsWorksAndEverythingElseIsRefusedClearly) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only: runs in the pg suite (TG_TEST_PG)";
  Sandbox sb(false);
  TlsServer server(sb.root() + "/tls-server");
  ASSERT_TRUE(server.ok()) << server.error();
  ASSERT_EQ(server.CreateDb("graph").exit_code, 0);
  fs::create_directories(sb.home() + "/.postgresql");
  for (const char* f : {"root.crt", "postgresql.crt", "postgresql.key", "root.crl"}) {
    std::ofstream(sb.home() + "/.postgresql/" + f) << "not a certificate\n";
  }
  sb.SetEnv("TG_DATABASE_URL", "");
  std::string url =
      server.Url("graph", Cat({"sslmode=verify-full&sslrootcert=", server.Authority()}));
  sb.Ok({"init", "--database-url", url});
  std::string p = sb.NewPlan("Over TLS");
  std::string t = sb.NewTask(p, "encrypted");
  sb.Ok({"start", t}, {{"TG_AGENT", "alice"}});
  EXPECT_EQ(sb.Json({"show", t})["status"], "doing");
  EXPECT_EQ(sb.Json({"doctor"})["ok"], true);
  // sslmode=require encrypts without verifying: still no client certificate read from $HOME.
  RunResult require =
      sb.Run({"next", "--json"}, {{"TG_DATABASE_URL", server.Url("graph", "sslmode=require")}});
  EXPECT_EQ(require.exit_code, 0) << require.err;

  for (const auto& [tls, says] : std::vector<std::pair<std::string, std::string>>{
           {Cat({"sslmode=verify-full&sslrootcert=", server.OtherAuthority()}),
            "certificate verify failed"},
           {"sslmode=disable", "no encryption"}}) {
    RunResult r = sb.Run({"next", "--json"}, {{"TG_DATABASE_URL", server.Url("graph", tls)}});
    EXPECT_EQ(r.exit_code, 7) << tls << ": " << r.err;
    EXPECT_EQ(json::parse(r.out)["error"]["code"], "IO_ERROR") << r.out;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did not agree on TLS"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("sslrootcert"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace tg::test
