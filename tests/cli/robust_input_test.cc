// Issue 9, "bounded inputs": files tg reads are bounded before they are read, every number has
// a range and never wraps, leases never shrink, and a waiting claim sees leases run out.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/strings.h"
#include "support/sandbox.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// The user and system CPU time of this process's children that have been waited for.
double ChildrenCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

size_t Plans(const Sandbox& sb) { return sb.Json({"plan", "list"}).size(); }

// `tg import /dev/zero` grew 1 GB/s forever; a FIFO would wait for a writer that never comes.
TEST(RobustInput, PlanFilesAreRegularAndBoundedBeforeTheyAreRead) {
  Sandbox sb;
  std::string fifo = sb.root() + "/plan.fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  fs::create_symlink("/dev/zero", sb.root() + "/zero.md");
  std::string big = sb.root() + "/big.md";
  Write(big, "---\nname: Big\ntodos: []\n---\n" + std::string(16 * 1024 * 1024, '#'));
  for (const std::string& file : {std::string("/dev/zero"), fifo, sb.root() + "/zero.md", big}) {
    RunResult r = sb.Run({"import", file, "--json"});
    EXPECT_FALSE(r.timed_out) << file;
    EXPECT_EQ(r.exit_code, 6) << file << ": " << r.err;
    EXPECT_EQ(json::parse(r.out)["error"]["code"], "PARSE_FAILED") << file;
    RunResult t = sb.Run({"template", "apply", file, "--plan", "X", "--json"});
    EXPECT_EQ(t.exit_code, 6) << file << ": " << t.err;
  }
  EXPECT_NE(sb.Run({"import", big}).err.find("is larger than 16 MiB"), std::string::npos);
  EXPECT_EQ(Plans(sb), 0u);
}

// `tg import /etc/passwd`, an empty file or /dev/null created an empty plan with exit 0.
TEST(RobustInput, AFileWithNoPlanInItIsRefused) {
  Sandbox sb;
  Write(sb.root() + "/passwd",
        "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/bin/false\n");
  Write(sb.root() + "/empty.md", "");
  Write(sb.root() + "/blank.md", "\n\n   \n");
  Write(sb.root() + "/nothing.md", "---\nname:\ntodos: []\n---\n");
  for (const char* f : {"passwd", "empty.md", "blank.md", "nothing.md"}) {
    RunResult r = sb.Run({"import", sb.root() + "/" + f, "--json"});
    EXPECT_EQ(r.exit_code, 6) << f << ": " << r.err;
    EXPECT_EQ(json::parse(r.out)["error"]["code"], "PARSE_FAILED");
    EXPECT_NE(r.err.find("no plan in this file"), std::string::npos) << r.err;
  }
  EXPECT_EQ(Plans(sb), 0u);
  Write(sb.root() + "/named.md", "---\nname: Placeholder\n---\n");
  sb.Ok({"import", sb.root() + "/named.md"});  // a name alone is a plan (still empty)
  EXPECT_EQ(Plans(sb), 1u);
}

// A 55 KB plan of YAML aliases took 11 s and 4 GB.
TEST(RobustInput, AnAliasBombFailsFast) {
  Sandbox sb;
  std::string text = "---\nname: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 9; ++i) {
    // Cat(), not operator+ on a literal: GCC 12 reports a false -Wrestrict for that at -O3.
    text += Cat({"a", std::to_string(i), ": &a", std::to_string(i), " ["});
    for (int k = 0; k < 9; ++k) text += Cat({k ? ", *a" : "*a", std::to_string(i - 1)});
    text += "]\n";
  }
  text += "base: &b {";
  for (int k = 0; k < 3000; ++k) text += (k ? ", k" : "k") + std::to_string(k) + ": v";
  text += "}\ntodos:\n";
  for (int i = 0; i < 900; ++i) {
    text += "  - {<<: *b, id: t" + std::to_string(i) + ", content: c, docs: *a8}\n";
  }
  text += "---\n";
  ASSERT_LT(text.size(), 100'000u);
  Write(sb.root() + "/bomb.md", text);
  // CPU time, not wall time, which a loaded machine stretches: the bomb took 11 s and 4 GB.
  const double cpu_before = ChildrenCpuSeconds();
  RunResult r = sb.Run({"import", sb.root() + "/bomb.md", "--json"});
  const double cpu = ChildrenCpuSeconds() - cpu_before;
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("aliases (*name) expand this document past 1000000 nodes"),
            std::string::npos)
      << r.err;
  EXPECT_LT(cpu, 5.0) << "seconds of CPU";
  // A template cannot be blown up through its placeholders either.
  std::string tmpl = "todos:\n";
  for (int i = 0; i < 2000; ++i) {
    tmpl += "  - id: t" + std::to_string(i) +
            "\n    content: c\n    intent: \"{{x}}{{x}}{{x}}{{x}}\"\n";
  }
  Write(sb.root() + "/t.yaml", tmpl);
  RunResult t = sb.Run({"template", "apply", sb.root() + "/t.yaml", "--plan", "T", "--var",
                        "x=" + std::string(100'000, 'y')});
  EXPECT_EQ(t.exit_code, 6) << t.err;
  EXPECT_NE(t.err.find("larger than 16 MiB"), std::string::npos) << t.err;
  EXPECT_EQ(Plans(sb), 0u);
}

// Every number and duration has a range; outside it the value is refused, never wrapped.
// `start --lease 99999999h` stored a five-digit year and blocked `next --claim` for everyone.
TEST(RobustInput, NumbersOutsideTheirRangeAreRefused) {
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string t = sb.NewTask(p, "T");
  const std::vector<std::vector<std::string>> refused = {
      {"start", t, "--lease", "99999999h"},
      {"start", t, "--lease", "31d"},
      {"start", t, "--lease", "0s"},
      {"start", t, "--lease", "999999999999999999999"},
      {"heartbeat", t, "--lease", "40d"},
      {"next", "--claim", "--lease", "99999999h"},
      {"next", "--claim", "--wait", "2d"},
      {"next", "--limit", "0"},
      {"next", "--limit", "1000001"},
      {"next", "--limit", "99999999999999999999"},
      {"log", "--limit=-1"},
      {"log", "--limit", "4294967297"},
      {"task", "new", "X", "--plan", p, "--priority=-1"},
      {"task", "new", "X", "--plan", p, "--priority", "2147483648"},
      {"task", "update", t, "--estimate", "525601"},
      {"task", "update", t, "--estimate=-5"},
      {"plan", "new", "Q", "--priority", "1000001"},
      {"plan", "set-priority", p, "4294967296"},
      {"recover", "--threshold", "0"},
      {"recover", "--threshold", "87601"},
      {"status", "--stale-threshold", "9999999999"},
      {"done", t, "--evidence", "e", "--tokens-in=-1", "--force"},
      {"done", t, "--evidence", "e", "--tokens-out", "1000000000001", "--force"},
      {"done", t, "--evidence", "e", "--tool-calls", "99999999999999999999", "--force"},
  };
  size_t commits = sb.Json({"log", "--limit", "1000"}).size();
  for (auto args : refused) {
    args.push_back("--json");
    RunResult r = sb.Run(args);
    EXPECT_EQ(r.exit_code, 6) << args[0] << " " << args[args.size() - 2] << ": " << r.err;
    EXPECT_EQ(json::parse(r.out)["error"]["code"], "VALIDATION_FAILED") << r.out;
    EXPECT_NE(r.err.find(" from "), std::string::npos) << "names the range: " << r.err;
  }
  for (auto [var, value] : {std::pair{"TG_LOCK_TIMEOUT", "25h"},
                            {"TG_LOCK_TIMEOUT", "99999999999999"},
                            {"TG_NOW", "9999-06-01T00:00:00Z"},
                            {"TG_NOW", "1969-12-31T23:59:59Z"}}) {
    RunResult r = sb.Run({"note", t, "--msg", "m", "--json"}, {{var, value}});
    EXPECT_EQ(r.exit_code, 6) << var << "=" << value << ": " << r.err;
  }
  EXPECT_EQ(sb.Json({"log", "--limit", "1000"}).size(), commits);
  EXPECT_EQ(sb.Json({"show", t})["status"], "todo");
  // The ends of each range are accepted.
  sb.Ok({"start", t, "--lease", "30d"});
  sb.Ok({"task", "update", t, "--priority", "1000000", "--estimate", "525600"});
  sb.Ok({"next", "--limit", "1000000"});
}

// A heartbeat cut an 8 h lease to 2 h (the default lease_minutes).
TEST(RobustInput, LeasesNeverShrink) {
  TG_SKIP_ON_PG("reads leases with the sqlite3 shell");
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  auto at = [](const char* hhmm) {
    return std::map<std::string, std::string>{
        {"TG_NOW", std::string("2026-11-26T") + hhmm + ":00Z"}, {"TG_AGENT", "alice"}};
  };
  auto lease = [&] { return sb.Json({"show", t})["lease_expires_at"].get<std::string>(); };
  sb.Ok({"start", t, "--lease", "8h"}, at("10:00"));
  EXPECT_EQ(lease(), "2026-11-26T18:00:00.000Z");
  sb.Ok({"heartbeat", t}, at("10:05"));
  EXPECT_EQ(lease(), "2026-11-26T18:00:00.000Z");
  sb.Ok({"heartbeat", t, "--lease", "30m"}, at("10:10"));
  EXPECT_EQ(lease(), "2026-11-26T18:00:00.000Z");
  sb.Ok({"note", t, "--msg", R"({"type":"heartbeat","phase":"x"})"}, at("10:15"));
  EXPECT_EQ(lease(), "2026-11-26T18:00:00.000Z");
  sb.Ok({"start", t, "--lease", "1h"}, at("10:20"));  // already yours: a renewal
  EXPECT_EQ(lease(), "2026-11-26T18:00:00.000Z");
  sb.Ok({"heartbeat", t}, at("17:00"));  // now the default 2 h reaches further
  EXPECT_EQ(lease(), "2026-11-26T19:00:00.000Z");
}

// `next --claim --wait` woke only on commits, and missed a lease that ran out while it waited.
// Real time here (TG_NOW is a fixed clock): a 3 s lease, and a waiter that must take the task
// over once it expires although nobody commits.
TEST(RobustInput, AWaitingClaimWakesWhenALeaseRunsOut) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("P"), "T");
  sb.Ok({"start", t, "--lease", "3s", "--agent", "alice"});
  auto start = std::chrono::steady_clock::now();
  // The two outcomes lie far apart, so that a slow machine cannot mistake one for the other.
  json got = sb.Json({"next", "--claim", "--wait", "600s", "--agent", "bob"});
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(got.size(), 1u) << got.dump();
  EXPECT_EQ(got[0]["hash_id"], t);
  EXPECT_EQ(got[0]["claimed_by"], "bob");
  // Under the 180 s a test gives any command (RunOptions), so this is the assertion that fails.
  EXPECT_LT(took, std::chrono::seconds(120)) << "woke at the lease's end, not at --wait's";
  EXPECT_EQ(sb.Json({"show", t})["events"][0]["kind"], "reclaimed");
}

// `tg cancel "Release 1,2" --type plan` also abandoned "Release 1".
TEST(RobustInput, CommasNeverSplitAPlanTitle) {
  Sandbox sb;
  std::string r1 = sb.NewPlan("Release 1");
  std::string r12 = sb.NewPlan("Release 1,2");
  json out = sb.Json({"cancel", "Release 1,2", "--type", "plan"});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["hash_id"], r12);
  json plans = sb.Json({"plan", "list"});
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0]["hash_id"], r1);
  // A list of ids still splits.
  std::string a = sb.NewPlan("A"), b = sb.NewPlan("B");
  EXPECT_EQ(sb.Json({"cancel", a + "," + b, "--type", "plan"}).size(), 2u);
}

// One title limit for the command line, import and export: titles of 256 to 500 characters
// (an older tg's limit) exported to a plan file that import refused.
TEST(RobustInput, OneTitleLimitForFlagsFilesAndExport) {
  TG_SKIP_ON_PG("writes a long title with the sqlite3 shell");
  Sandbox sb;
  std::string p = sb.NewPlan("P");
  std::string max(255, 'x'), over(256, 'x');
  EXPECT_EQ(sb.Run({"task", "new", over, "--plan", p}).exit_code, 6);
  Write(sb.root() + "/over.md",
        "---\nname: F\ntodos:\n  - id: a\n    content: " + over + "\n---\n");
  EXPECT_EQ(sb.Run({"import", sb.root() + "/over.md"}).exit_code, 6);
  Write(sb.root() + "/long.md",
        "---\nname: " + over + "\ntodos:\n  - id: a\n    content: A\n---\n");
  RunResult name = sb.Run({"import", sb.root() + "/long.md"});
  EXPECT_EQ(name.exit_code, 6);
  EXPECT_NE(name.err.find("the plan name is 256 characters long"), std::string::npos) << name.err;
  std::string t = sb.NewTask(p, max);
  std::string out = sb.root() + "/p.md";
  sb.Ok({"export", "markdown", "--plan", p, "--out", out});
  {
    Sandbox other;
    other.Ok({"import", out});
    EXPECT_EQ(other.Json({"status", "--tasks"})[0]["title"], max);
  }
  // A title an older tg stored: export refuses, naming the task, and writes nothing.
  sb.Sql(Cat({"UPDATE tasks SET title = '", std::string(400, 'y'), "' WHERE hash_id = '", t, "'"}));
  fs::remove(out);
  RunResult exp = sb.Run({"export", "markdown", "--plan", p, "--out", out, "--json"});
  EXPECT_EQ(exp.exit_code, 6) << exp.err;
  EXPECT_NE(exp.err.find("task " + t + " cannot be exported: its title is 400 characters long"),
            std::string::npos)
      << exp.err;
  EXPECT_FALSE(fs::exists(out));
}

// IMPORT_CONFLICT names ten keys on its line and every one in details.
TEST(RobustInput, ImportConflictListsEveryUnmatchedTaskInDetails) {
  Sandbox sb;
  std::string text = "---\nname: Many\ntodos:\n";
  for (int i = 0; i < 14; ++i) text += "  - {id: k" + std::to_string(i) + ", content: c}\n";
  Write(sb.root() + "/many.md", text + "---\n");
  sb.Ok({"import", sb.root() + "/many.md"});
  Write(sb.root() + "/many.md", "---\nname: Many\ntodos:\n  - {id: k0, content: c}\n---\n");
  RunResult r = sb.Run({"import", sb.root() + "/many.md", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("(and 3 more)"), std::string::npos) << r.err;
  json e = json::parse(r.out)["error"];
  EXPECT_EQ(e["code"], "IMPORT_CONFLICT");
  ASSERT_EQ(e["details"].size(), 13u);
  EXPECT_TRUE(e["details"][0].contains("key"));
}

}  // namespace
}  // namespace tg::test
