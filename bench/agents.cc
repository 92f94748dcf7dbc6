// agents: many agents working one graph at once, each a loop of whole tg (or task) processes.
//
//   agents --mode tg|claim|mcp|tw --agents N --records FILE [--tg PATH] [--task PATH] [--lock FILE]
//          [--total TASKS] [--duration SECONDS]
//   agents --stats [--label TEXT] FILE...
//
// Each agent is a thread that spawns one process at a time (stdin on /dev/null, stdout and
// stderr read through pipes) and times it from spawn to exit on the monotonic clock:
//
//   tg     `tg next --json --limit 8`, then `tg start <id>` on each candidate in turn until one
//          succeeds (exit 4, TASK_ALREADY_CLAIMED, is a lost race: try the next candidate), then
//          `tg note <id> --msg ...` and `tg done <id> --evidence ...`.
//   claim  `tg next --claim --json` (pick and claim in one transaction), then note and done.
//   mcp    the claim loop over one long-lived `tg mcp --agent <name>` per agent, as an agent
//          harness drives tg: tools tg_claim_next, tg_note, tg_done. A call is timed from
//          writing the request to reading the answer; its CPU time is the server's (user +
//          system from /proc, in clock ticks: coarse per call, exact summed over a series).
//          The servers start and initialize first; the series begins when all are ready.
//   tw     Taskwarrior 2.6 driving the same loop, every call wrapped in `flock LOCK` (Taskwarrior
//          has no locking of its own): the `ready` report cut to 8 uuids of tasks not yet
//          started, `task <uuid> start` (exit 1 "already started" is a lost race), `task <uuid>
//          annotate ...`, `task <uuid> done`.
//
// Every agent passes its own --agent name (tg) and sets TG_TRACE=1, so the write commands print
// how long they waited for the writers' lock (`tg: trace: lock_wait_us=N` on stderr).
// An agent that finds nothing to start sleeps 10 ms and asks again. The series ends when
// --total tasks are done (the graph is drained) or after --duration seconds, whichever comes
// first; commands still running then are not counted.
//
// The run checks what it can see: no task claimed by two agents, none done twice, no command
// failing other than a lost start race. It writes one line per command to --records (kind,
// outcome, start and wall time in ms, CPU time, lock wait in us or -1, exit code, agent), after a
// header line `#series mode agents window_s tasks_done errors`, and prints a summary; --stats
// pools the records of several series (e.g. repeated rounds) into one summary:
//
//   series  label mode agents window_s commands cmd_per_s tasks_done tasks_per_s errors lost
//           idle_polls cpu_ms_per_task
//   latency label kind n p50 p90 p99 max              (one line per command kind, and "all")
//   lockwait label n waited_share p50 p90 p99 max max_over_p50 p50_of_waits
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "clock_ms.h"
#include "mcp_client.h"

namespace {

using tg::bench::Ms;
using tg::bench::NowMs;

struct Proc {
  int rc = -1;  // exit status, or -1 when it did not exit normally
  std::string out, err;
  double t0 = 0, wall = 0, cpu = 0;
};

// Spawns argv (looked up in PATH), collects stdout and stderr, waits, and times it.
Proc Run(const std::vector<std::string>& cmd) {
  Proc p;
  std::vector<char*> argv;
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int out[2], err[2];
  // O_CLOEXEC: other threads spawn at the same time, and a write end inherited by another
  // child would hold our read end open until that child exits.
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    p.err = std::string("pipe: ") + std::strerror(errno);
    return p;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  pid_t pid = 0;
  p.t0 = NowMs();
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc == 0) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    std::string* bufs[2] = {&p.out, &p.err};
    int open = 2;
    char buf[65536];
    while (open > 0) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n > 0) {
          bufs[i]->append(buf, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          fds[i].fd = -1;
          --open;
        }
      }
    }
    int status = 0;
    rusage ru{};
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
    }
    p.wall = NowMs() - p.t0;
    p.cpu = Ms(ru.ru_utime) + Ms(ru.ru_stime);
    p.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } else {
    p.err = std::string("spawn: ") + std::strerror(rc);
  }
  close(out[0]);
  close(err[0]);
  return p;
}

struct Record {
  std::string kind, outcome;
  double t0 = 0, wall = 0, cpu = 0;
  long lock_us = -1;
  int rc = 0, agent = 0;
};

struct Options {
  std::string mode, records, tg = "tg", task = "task", lock;
  int agents = 0, total = 1000;
  double duration_s = 600;
};

// Shared state of one series.
class Series {
 public:
  explicit Series(const Options& o)
      : o_(o),
        start_(NowMs()),
        end_(start_ + o.duration_s * 1e3),
        ready_(std::max(o.agents, 1), Restart{this}) {}

  // Agents whose front end takes a while to start (mode mcp: a server process each, with its
  // store connection) start it first and wait for each other, so the series measures the
  // calls, not process start-up competing with them for the cores; its window begins when the
  // last one is ready. An agent whose server failed to start drops out.
  void Ready() { ready_.arrive_and_wait(); }
  void NotReady() { ready_.arrive_and_drop(); }

  bool Stopped() {
    if (stop_.load()) return true;
    if (NowMs() >= end_) {
      std::lock_guard<std::mutex> g(mu_);
      stop_ = true;
    }
    return stop_.load();
  }

  void Add(Record r) {
    r.t0 -= start_;
    std::lock_guard<std::mutex> g(mu_);
    records_.push_back(std::move(r));
  }

  // A successful claim: no task may be claimed by two agents.
  void Claimed(const std::string& id, int agent) {
    std::lock_guard<std::mutex> g(mu_);
    auto [it, fresh] = claimed_.emplace(id, agent);
    if (!fresh)
      Error("claimed twice",
            id + " by agent " + std::to_string(it->second) + " and " + std::to_string(agent));
  }

  void Done(const std::string& id) {
    std::lock_guard<std::mutex> g(mu_);
    if (!done_.insert(id).second) Error("done twice", id);
    if (static_cast<int>(done_.size()) >= o_.total && !stop_.load()) {
      stop_ = true;
      end_ = NowMs();
    }
  }

  void Error(const std::string& what, const std::string& detail) {
    ++errors_;
    if (errors_ <= 10) std::cerr << "agents: ERROR " << what << ": " << detail << "\n";
  }

  void LockedError(const std::string& what, const std::string& detail) {
    std::lock_guard<std::mutex> g(mu_);
    Error(what, detail);
  }

  // Writes the records that finished within the series' window.
  bool Write(const std::string& path) {
    std::lock_guard<std::mutex> g(mu_);
    double window = std::min(end_, NowMs()) - start_;
    std::ofstream f(path);
    f << "#series\t" << o_.mode << "\t" << o_.agents << "\t" << window / 1e3 << "\t" << done_.size()
      << "\t" << errors_ << "\n";
    for (const auto& r : records_) {
      if (r.t0 + r.wall > window) continue;
      f << r.kind << "\t" << r.outcome << "\t" << r.t0 << "\t" << r.wall << "\t" << r.cpu << "\t"
        << r.lock_us << "\t" << r.rc << "\t" << r.agent << "\n";
    }
    return static_cast<bool>(f);
  }

  const Options& o_;

 private:
  std::mutex mu_;
  std::atomic<bool> stop_{false};
  double start_, end_;
  struct Restart {
    Series* s;
    void operator()() noexcept {
      s->start_ = NowMs();
      s->end_ = s->start_ + s->o_.duration_s * 1e3;
    }
  };
  std::barrier<Restart> ready_;
  std::vector<Record> records_;
  std::map<std::string, int> claimed_;
  std::set<std::string> done_;
  int errors_ = 0;
};

long LockWait(const std::string& err) {
  auto p = err.find("lock_wait_us=");
  if (p == std::string::npos) return -1;
  return std::atol(err.c_str() + p + 13);
}

std::string FirstLine(const std::string& s) {
  auto t = s;
  // Drop the trace line, which is not part of the error.
  for (size_t p; (p = t.find("tg: trace: ")) != std::string::npos;) {
    auto e = t.find('\n', p);
    t.erase(p, e == std::string::npos ? std::string::npos : e - p + 1);
  }
  auto e = t.find('\n');
  return e == std::string::npos ? t : t.substr(0, e);
}

class Agent {
 public:
  Agent(Series& s, int n) : s_(s), n_(n), name_("agent-" + std::to_string(n)) {}

  void Loop() {
    const std::string& mode = s_.o_.mode;
    if (mode == "mcp") {
      try {
        server_ = std::make_unique<tg::bench::McpServer>(
            std::vector<std::string>{s_.o_.tg, "mcp", "--agent", name_}, true);
      } catch (const std::exception& e) {
        s_.LockedError("mcp", e.what());
        s_.NotReady();
        return;
      }
      s_.Ready();
      while (!s_.Stopped()) {
        std::string id = McpClaim();
        if (id.empty()) continue;
        if (!McpStep("note", "tg_note",
                     {{"taskId", id}, {"message", "benchmark note by " + name_}}))
          continue;
        if (McpStep("done", "tg_done", {{"taskId", id}, {"evidence", "benchmark run by " + name_}}))
          s_.Done(id);
      }
      return;
    }
    while (!s_.Stopped()) {
      std::string id = mode == "claim" ? Claim() : Pick();
      if (id.empty()) continue;
      if (!Step(mode == "tw" ? "annotate" : "note", id)) continue;
      if (Step("done", id)) s_.Done(id);
    }
  }

 private:
  std::vector<std::string> Tg(std::vector<std::string> args) {
    args.insert(args.begin(), s_.o_.tg);
    args.insert(args.end(), {"--agent", name_});
    return args;
  }
  std::vector<std::string> Tw(std::vector<std::string> args) {
    args.insert(args.begin(), {"flock", s_.o_.lock, s_.o_.task});
    return args;
  }

  Proc Exec(const std::string& kind, const std::vector<std::string>& cmd, std::string outcome) {
    Proc p = Run(cmd);
    Record r{kind, outcome, p.t0, p.wall, p.cpu, LockWait(p.err), p.rc, n_};
    if (kind == "next") r.lock_us = -1;  // a read takes no lock
    last_ = r;
    return p;
  }
  void Log(const std::string& outcome) {
    last_.outcome = outcome;
    s_.Add(last_);
  }
  void Fail(const std::string& kind, const Proc& p) {
    Log("error");
    s_.LockedError(kind + " exit " + std::to_string(p.rc), FirstLine(p.err + p.out));
  }
  void Idle() { std::this_thread::sleep_for(std::chrono::milliseconds(10)); }

  // tg / tw: list candidates, start the first one that is still free.
  std::string Pick() {
    bool tw = s_.o_.mode == "tw";
    Proc p = tw ? Exec("next",
                       Tw({"rc.report.ready.columns=uuid", "rc.report.ready.labels=UUID", "limit:8",
                           "-ACTIVE", "ready"}),
                       "")
                : Exec("next", Tg({"next", "--json", "--limit", "8"}), "");
    std::vector<std::string> ids;
    if (tw) {
      // Taskwarrior exits 1 when the report is empty.
      if (p.rc != 0 && !(p.rc == 1 && p.out.find_first_not_of(" \n") == std::string::npos)) {
        Fail("next", p);
        return {};
      }
      std::istringstream in(p.out);
      for (std::string u; in >> u;) ids.push_back(u);
    } else {
      if (p.rc != 0) {
        Fail("next", p);
        return {};
      }
      try {
        for (const auto& t : nlohmann::json::parse(p.out)) {
          ids.push_back(t.at("hash_id").get<std::string>());
        }
      } catch (const std::exception& e) {
        Fail("next", p);
        return {};
      }
    }
    Log(ids.empty() ? "empty" : "ok");
    if (ids.empty()) {
      Idle();
      return {};
    }
    for (const auto& id : ids) {
      if (s_.Stopped()) return {};
      Proc q = Exec("start", tw ? Tw({id, "start"}) : Tg({"start", id, "--json"}), "");
      if (q.rc == 0) {
        Log("ok");
        s_.Claimed(id, n_);
        return id;
      }
      // A lost race: another agent claimed the task after our list was read ("lost"), or has
      // even finished it already ("stale"; tg: exit 4 INVALID_TRANSITION "is done").
      std::string both = q.out + q.err;
      if (tw ? q.rc == 1 && both.find("already started") != std::string::npos
             : q.rc == 4 && both.find("is being worked by") != std::string::npos) {
        Log("lost");
      } else if (tw ? q.rc == 1 && both.find("neither pending") != std::string::npos : q.rc == 4) {
        Log("stale");
      } else {
        Fail("start", q);
        return {};
      }
    }
    return {};
  }

  // Logs the claim just made ("empty": nothing was runnable, so wait a little) and returns `id`.
  std::string Took(const std::string& id) {
    Log(id.empty() ? "empty" : "ok");
    if (id.empty()) {
      Idle();
    } else {
      s_.Claimed(id, n_);
    }
    return id;
  }

  std::string Claim() {
    Proc p = Exec("claim", Tg({"next", "--claim", "--json"}), "");
    std::string id;
    try {
      if (p.rc == 0) {
        auto j = nlohmann::json::parse(p.out);
        if (!j.empty()) id = j.at(0).at("hash_id").get<std::string>();
      } else {
        Fail("claim", p);
        return {};
      }
    } catch (const std::exception& e) {
      Fail("claim", p);
      return {};
    }
    return Took(id);
  }

  // The server's CPU time so far (user + system), in milliseconds.
  double ServerCpuMs() const {
    std::ifstream f("/proc/" + std::to_string(server_->pid()) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces) start after the last ')'.
    std::istringstream in(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
      if (i >= 14) ticks += std::atof(field.c_str());  // utime, stime
    }
    return ticks * 1e3 / static_cast<double>(sysconf(_SC_CLK_TCK));
  }

  // One tool call, recorded as `kind`; the result object, or nullopt after logging an error.
  std::optional<nlohmann::json> McpCall(const std::string& kind, const std::string& tool,
                                        const nlohmann::json& args) {
    Record r{kind, "", NowMs(), 0, 0, -1, 0, n_};
    double cpu0 = ServerCpuMs();
    nlohmann::json result;
    try {
      result = server_->CallResult(tool, args, &r.wall);
    } catch (const std::exception& e) {
      last_ = r;
      Log("error");
      s_.LockedError(kind, e.what());
      return std::nullopt;
    }
    r.cpu = ServerCpuMs() - cpu0;
    last_ = r;
    if (result.value("isError", true)) {
      last_.rc = 1;
      Log("error");
      s_.LockedError(kind, result.dump().substr(0, 300));
      return std::nullopt;
    }
    return result["structuredContent"];
  }

  std::string McpClaim() {
    auto r = McpCall("claim", "tg_claim_next", nlohmann::json::object());
    if (!r) return {};
    std::string id;
    if (r->contains("task") && (*r)["task"].is_object()) id = (*r)["task"]["hash_id"];
    return Took(id);
  }

  bool McpStep(const std::string& kind, const std::string& tool, const nlohmann::json& args) {
    if (!McpCall(kind, tool, args)) return false;
    Log("ok");
    return true;
  }

  bool Step(const std::string& kind, const std::string& id) {
    std::vector<std::string> cmd;
    if (s_.o_.mode == "tw") {
      cmd = kind == "done" ? Tw({id, "done"}) : Tw({id, "annotate", "benchmark note by " + name_});
    } else if (kind == "done") {
      cmd = Tg({"done", id, "--json", "--evidence", "benchmark run by " + name_});
    } else {
      cmd = Tg({"note", id, "--json", "--msg", "benchmark note by " + name_});
    }
    Proc p = Exec(kind, cmd, "");
    if (p.rc != 0) {
      Fail(kind, p);
      return false;
    }
    Log("ok");
    return true;
  }

  Series& s_;
  int n_;
  std::string name_;
  Record last_;
  std::unique_ptr<tg::bench::McpServer> server_;  // mode mcp
};

int RunSeries(const Options& o) {
  setenv("TG_TRACE", "1", 1);
  Series s(o);
  std::vector<std::thread> threads;
  for (int i = 1; i <= o.agents; ++i) {
    threads.emplace_back([&s, i] { Agent(s, i).Loop(); });
  }
  for (auto& t : threads) t.join();
  if (!s.Write(o.records)) {
    std::cerr << "agents: cannot write " << o.records << "\n";
    return 1;
  }
  return 0;
}

// ---- statistics --------------------------------------------------------------------------------

double Pct(std::vector<double>& v, double p) {  // nearest rank
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p / 100 * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(k, 1, v.size()) - 1];
}

int Stats(const std::string& label, const std::vector<std::string>& files) {
  std::string mode;
  int agents = 0, errors = 0;
  long tasks = 0, commands = 0, lost = 0, idle = 0;
  double window = 0, cpu = 0;
  std::map<std::string, std::vector<double>> lat;
  std::vector<double> waits;
  for (const auto& path : files) {
    std::ifstream f(path);
    std::string line;
    if (!std::getline(f, line) || line.rfind("#series\t", 0) != 0) {
      std::cerr << "agents: " << path << " is not a records file\n";
      return 1;
    }
    std::istringstream h(line.substr(8));
    double w = 0;
    long t = 0;
    int e = 0;
    h >> mode >> agents >> w >> t >> e;
    window += w;
    tasks += t;
    errors += e;
    while (std::getline(f, line)) {
      std::istringstream in(line);
      Record r;
      in >> r.kind >> r.outcome >> r.t0 >> r.wall >> r.cpu >> r.lock_us >> r.rc >> r.agent;
      ++commands;
      cpu += r.cpu;
      lat["all"].push_back(r.wall);
      std::string k = r.kind;
      if (r.outcome == "lost" || r.outcome == "stale") ++lost;
      if (r.outcome == "empty") ++idle;
      if (r.outcome != "ok") k += "-" + r.outcome;
      lat[k].push_back(r.wall);
      if (r.kind == "start") lat["start-any"].push_back(r.wall);
      if (r.lock_us >= 0) waits.push_back(static_cast<double>(r.lock_us) / 1e3);
    }
  }
  std::printf("series\t%s\t%s\t%d\t%.2f\t%ld\t%.1f\t%ld\t%.2f\t%d\t%ld\t%ld\t%.1f\n", label.c_str(),
              mode.c_str(), agents, window, commands, static_cast<double>(commands) / window, tasks,
              static_cast<double>(tasks) / window, errors, lost, idle,
              tasks ? cpu / static_cast<double>(tasks) : 0.0);
  for (auto& [kind, v] : lat) {
    std::printf("latency\t%s\t%s\t%zu\t%.2f\t%.2f\t%.2f\t%.2f\n", label.c_str(), kind.c_str(),
                v.size(), Pct(v, 50), Pct(v, 90), Pct(v, 99), Pct(v, 100));
  }
  if (!waits.empty()) {
    std::vector<double> waited;
    for (double w : waits) {
      if (w > 0) waited.push_back(w);
    }
    double p50 = Pct(waits, 50), mx = Pct(waits, 100);
    std::printf("lockwait\t%s\t%zu\t%.3f\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f\t%.2f\n", label.c_str(),
                waits.size(),
                static_cast<double>(waited.size()) / static_cast<double>(waits.size()), p50,
                Pct(waits, 90), Pct(waits, 99), mx, p50 > 0 ? mx / p50 : NAN, Pct(waited, 50));
  }
  return 0;
}

int Usage() {
  std::cerr << "usage: agents --mode tg|claim|mcp|tw --agents N --records FILE [--tg PATH] "
               "[--task PATH] [--lock FILE] [--total TASKS] [--duration SECONDS]\n"
               "       agents --stats [--label TEXT] FILE...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string label;
  bool stats = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--stats") {
      stats = true;
      continue;
    }
    if (k.rfind("--", 0) != 0) {
      files.push_back(k);
      continue;
    }
    if (i + 1 >= argc) return Usage();
    std::string v = argv[++i];
    if (k == "--mode") {
      o.mode = v;
    } else if (k == "--agents") {
      o.agents = std::atoi(v.c_str());
    } else if (k == "--records") {
      o.records = v;
    } else if (k == "--tg") {
      o.tg = v;
    } else if (k == "--task") {
      o.task = v;
    } else if (k == "--lock") {
      o.lock = v;
    } else if (k == "--total") {
      o.total = std::atoi(v.c_str());
    } else if (k == "--duration") {
      o.duration_s = std::atof(v.c_str());
    } else if (k == "--label") {
      label = v;
    } else {
      return Usage();
    }
  }
  if (stats) return files.empty() ? Usage() : Stats(label, files);
  if ((o.mode != "tg" && o.mode != "claim" && o.mode != "mcp" && o.mode != "tw") || o.agents < 1 ||
      o.records.empty() || !files.empty() || (o.mode == "tw" && o.lock.empty())) {
    return Usage();
  }
  return RunSeries(o);
}
