// Disk full and I/O errors on write, injected with the tg_fault VFS shim: the command fails
// with IO_ERROR (exit 7), nothing is half-written, and the store stays healthy.
#include <gtest/gtest.h>

#include <fstream>

#include "support/sandbox.h"

namespace tg::test {
namespace {

std::string BigPlan(const Sandbox& sb, int todos) {
  std::string path = sb.root() + "/big.md";
  std::ofstream out(path);
  out << "---\nname: Big\ntodos:\n";
  for (int i = 0; i < todos; ++i) {
    out << "  - id: t" << i << "\n    content: Task " << i << "\n";
    if (i % 5) out << "    blockedBy: [t" << i - 1 << "]\n";
  }
  out << "---\n";
  return path;
}

void ExpectFailsCleanly(const Sandbox& sb, const std::vector<std::string>& args,
                        const std::string& error_kind, int max_writes) {
  size_t commits = sb.Json({"log", "--limit", "100000"}).size();
  json plans = sb.Json({"plan", "list"});
  int failures = 0;
  for (int n = 0; n <= max_writes; n = n < 4 ? n + 1 : n * 2) {
    std::vector<std::string> a = args;
    a.push_back("--json");
    RunResult r =
        sb.RunBinary(TgFaultBinary(), a,
                     {{"TG_FAULT_WRITES", std::to_string(n)}, {"TG_FAULT_ERROR", error_kind}});
    if (r.exit_code == 0) break;  // enough writes got through: the command succeeded
    ++failures;
    EXPECT_EQ(r.exit_code, 7) << "after " << n << " writes: " << r.err;
    EXPECT_EQ(json::parse(r.out)["error"]["code"], "IO_ERROR") << r.out;
    EXPECT_EQ(sb.Json({"log", "--limit", "100000"}).size(), commits) << "after " << n;
    EXPECT_EQ(sb.Json({"plan", "list"}), plans) << "after " << n;
    RunResult doctor = sb.Run({"doctor"});
    EXPECT_EQ(doctor.exit_code, 0) << doctor.out;
  }
  EXPECT_GT(failures, 0);
}

TEST(IoError, DiskFullDuringImportLeavesNothingBehind) {
  TG_SKIP_ON_PG("uses the SQLite fault VFS (tg_fault)");
  Sandbox sb;
  sb.NewTask(sb.NewPlan("Existing"), "Keep me");
  std::string plan = BigPlan(sb, 300);
  ExpectFailsCleanly(sb, {"import", plan}, "full", 64);
  RunResult ok = sb.Run({"import", plan, "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(json::parse(ok.out)["created"], 300);
}

TEST(IoError, WriteErrorDuringClaimLeavesTheTaskFree) {
  TG_SKIP_ON_PG("uses the SQLite fault VFS (tg_fault)");
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  ExpectFailsCleanly(sb, {"start", t}, "ioerr", 16);
  EXPECT_EQ(sb.Json({"show", t})["status"], "todo");
  sb.Ok({"start", t});
}

}  // namespace
}  // namespace tg::test
