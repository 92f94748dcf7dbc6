// mcp_bench: tool-call latency over one long-lived `tg mcp` beside the same operations as
// whole CLI processes, on the deterministic benchmark graph (graph_gen.h).
//
//   mcp_bench --tg PATH --tasks N [--rounds R] [--iterations K] [--cli-iterations C]
//
// Each round runs K agent-loop iterations over the server (tg_next with its default limit of
// 10, then tg_start and tg_done on the first task it listed), then C iterations of the same
// loop as processes (`tg next --json`, `tg start <id>`, `tg done <id> --evidence x`), so the
// machine's background load falls on both alike. A done unblocks the next step of its chain,
// so the graph keeps tasks/10 runnable throughout. A server call is timed from writing the
// request to reading the whole answer; a process from spawn to exit. Also reports the byte
// size of the tools/list answer, and beside them the floor of a write that no server can go
// under: one synced SQLite commit on an open connection. Tab-separated lines on stdout:
//   size  front-end  operation  runs  p50_ms  p99_ms  mean_ms
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "clock_ms.h"
#include "graph_gen.h"
#include "mcp_client.h"

extern char** environ;

namespace {

using nlohmann::json;
using tg::bench::CArgs;
using tg::bench::McpServer;
using tg::bench::NowMs;

struct Args {
  std::string tg;
  int tasks = 0, rounds = 3, iterations = 200, cli_iterations = 30;
};

// Runs a process to completion with stdout captured; throws when it fails.
std::string RunCli(const std::vector<std::string>& argv, double* ms) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addclose(&fa, out[0]);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  auto a = CArgs(argv);
  double t0 = NowMs();
  pid_t pid;
  if (posix_spawn(&pid, a[0], &fa, nullptr, a.data(), environ) != 0) {
    throw std::runtime_error("spawn " + argv[0]);
  }
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, n);
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (ms) *ms = NowMs() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("failed: " + argv[1] + " " + (argv.size() > 2 ? argv[2] : ""));
  }
  return text;
}

struct Stats {
  std::vector<double> ms;
  void Add(double v) { ms.push_back(v); }
  double Pct(double p) const {
    std::vector<double> s = ms;
    std::sort(s.begin(), s.end());
    size_t i = std::min(s.size() - 1, static_cast<size_t>(p * static_cast<double>(s.size())));
    return s[i];
  }
  double Mean() const {
    double t = 0;
    for (double v : ms) t += v;
    return t / static_cast<double>(ms.size());
  }
};

// The floor under a write of a long-lived server: one synced commit (WAL, synchronous=FULL,
// BEGIN IMMEDIATE, one small INSERT, COMMIT) on a connection that stays open, in the same
// folder as the graph, so on the same disk. No process start, no schema read.
Stats CommitFloor(const std::string& dir, int runs) {
  sqlite3* db = nullptr;
  std::string path = dir + "/floor.db";
  auto exec = [&](const char* sql) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("floor: ") + sqlite3_errmsg(db));
    }
  };
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("floor: open");
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=FULL");
  exec("CREATE TABLE IF NOT EXISTS t (x INTEGER)");
  Stats s;
  for (int i = 0; i < runs; ++i) {
    double t0 = NowMs();
    exec("BEGIN IMMEDIATE");
    exec("INSERT INTO t VALUES (1)");
    exec("COMMIT");
    s.Add(NowMs() - t0);
  }
  sqlite3_close(db);
  return s;
}

bool Parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--tg") {
      a.tg = v;
    } else if (k == "--tasks") {
      a.tasks = std::atoi(v.c_str());
    } else if (k == "--rounds") {
      a.rounds = std::atoi(v.c_str());
    } else if (k == "--iterations") {
      a.iterations = std::atoi(v.c_str());
    } else if (k == "--cli-iterations") {
      a.cli_iterations = std::atoi(v.c_str());
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a.tg.empty() && a.tasks > 0 && a.tasks % 100 == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!Parse(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: mcp_bench --tg PATH --tasks N (a multiple of 100) [--rounds R] "
                 "[--iterations K] [--cli-iterations C]\n");
    return 2;
  }
  // Each loop finishes one task; past the graph's size tg_next would come back empty.
  if (int64_t loops = int64_t{a.rounds} * (a.iterations + a.cli_iterations); loops > a.tasks) {
    std::fprintf(stderr,
                 "mcp_bench: %lld loops (rounds x (iterations + cli-iterations)) would finish "
                 "more than the %d tasks of the graph; use fewer rounds or iterations\n",
                 static_cast<long long>(loops), a.tasks);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  const char* tmp = getenv("TMPDIR");
  std::string t = std::string(tmp && *tmp ? tmp : "/tmp") + "/tg-mcp-bench-XXXXXX";
  std::string dir = mkdtemp(t.data());
  try {
    RunCli({a.tg, "init", "--dir", dir}, nullptr);
    tg::bench::GraphInfo info;
    if (auto st = tg::bench::GenerateGraph(dir, a.tasks, nullptr, &info); !st) {
      throw std::runtime_error(st.error().message);
    }
    std::map<std::string, Stats> stats;
    McpServer server({a.tg, "mcp", "--dir", dir, "--agent", "bench"});
    size_t list_bytes =
        server.Ask({{"jsonrpc", "2.0"}, {"id", 0}, {"method", "tools/list"}}).size();
    server.Call("tg_next", json::object(), nullptr);  // warm the connection's caches
    for (int round = 0; round < a.rounds; ++round) {
      for (int i = 0; i < a.iterations; ++i) {
        double ms;
        json next = server.Call("tg_next", json::object(), &ms);
        stats["mcp\ttg_next"].Add(ms);
        std::string id = next["tasks"].at(0)["task_id"];
        server.Call("tg_start", {{"taskId", id}}, &ms);
        stats["mcp\ttg_start"].Add(ms);
        server.Call("tg_done", {{"taskId", id}, {"evidence", "bench"}}, &ms);
        stats["mcp\ttg_done"].Add(ms);
      }
      Stats floor = CommitFloor(dir, a.iterations);
      stats["floor\tsynced commit"].ms.insert(stats["floor\tsynced commit"].ms.end(),
                                              floor.ms.begin(), floor.ms.end());
      for (int i = 0; i < a.cli_iterations; ++i) {
        double ms;
        json next = json::parse(RunCli({a.tg, "next", "--json", "--dir", dir}, &ms));
        stats["cli\ttg next"].Add(ms);
        std::string id = next.at(0)["task_id"];
        RunCli({a.tg, "start", id, "--dir", dir, "--agent", "bench"}, &ms);
        stats["cli\ttg start"].Add(ms);
        RunCli({a.tg, "done", id, "--evidence", "bench", "--dir", dir, "--agent", "bench"}, &ms);
        stats["cli\ttg done"].Add(ms);
      }
    }
    std::printf("%d\tmcp\ttools/list bytes\t1\t%zu\t%zu\t%zu\n", a.tasks, list_bytes, list_bytes,
                list_bytes);
    for (const auto& [name, s] : stats) {
      std::printf("%d\t%s\t%zu\t%.3f\t%.3f\t%.3f\n", a.tasks, name.c_str(), s.ms.size(),
                  s.Pct(0.50), s.Pct(0.99), s.Mean());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mcp_bench: %s\n", e.what());
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
