// cli_bench: whole-process timing of one command, run many times.
//
//   cli_bench [--runs N] [--warmup W] [--ids FILE] [--label TEXT] [--samples FILE]
//             -- program args...
//   cli_bench --stats FILE [--label TEXT]
//
// Each run spawns the program (looked up in PATH) with stdin and stdout on /dev/null, waits for
// it, and times spawn-to-exit on the monotonic clock, as hyperfine -N does. What hyperfine
// cannot do is give every run its own argument: with --ids, "{id}" in an argument is replaced
// by line i of FILE for run i (warmup runs take the first W lines), so a mutating command such as
// `tg start {id}` acts on a different task each time. A run that exits non-zero aborts the
// series with its stderr: a failed command is fast, and must not be counted as a fast run.
//
// It also takes the child's CPU time (user + system, from wait4): on a busy machine the wall
// time includes waiting for a CPU and for the disk, and the CPU time tells the two apart.
//
// Prints one tab-separated line: label, then in milliseconds the wall-time median, p90, min and
// mean, the number of runs, and the median CPU time. --samples also appends "wall cpu" for every
// run to FILE, so that a series measured in several rounds (interleaved with other commands, to
// spread the machine's background load evenly) can be summarised as a whole with --stats.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

#include "clock_ms.h"

extern char** environ;

namespace {

using tg::bench::Ms;
using tg::bench::NowMs;

std::vector<std::string> Substitute(const std::vector<std::string>& cmd, const std::string& id) {
  std::vector<std::string> out = cmd;
  for (auto& a : out) {
    for (size_t p; (p = a.find("{id}")) != std::string::npos;) a.replace(p, 4, id);
  }
  return out;
}

struct Sample {
  double wall = -1;  // negative: the run failed
  double cpu = 0;
};

// Runs `cmd` once and times it.
Sample RunOnce(const std::vector<std::string>& cmd, const std::string& err_path) {
  std::vector<char*> argv;
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  double t0 = NowMs();
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  int status = 0;
  rusage ru{};
  if (rc == 0) wait4(pid, &status, 0, &ru);
  double t1 = NowMs();
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
  return {t1 - t0, Ms(ru.ru_utime) + Ms(ru.ru_stime)};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int Usage() {
  std::cerr << "usage: cli_bench [--runs N] [--warmup W] [--ids FILE] [--label TEXT] "
               "[--samples FILE] -- program args...\n"
               "       cli_bench --stats FILE [--label TEXT]\n";
  return 2;
}

int PrintStats(const std::string& label, const std::vector<Sample>& samples) {
  if (samples.empty()) {
    std::cerr << "cli_bench: no samples for " << label << "\n";
    return 1;
  }
  std::vector<double> wall, cpu;
  for (const auto& s : samples) {
    wall.push_back(s.wall);
    cpu.push_back(s.cpu);
  }
  std::sort(wall.begin(), wall.end());
  size_t n = wall.size();
  double p90 = wall[static_cast<size_t>(std::ceil(0.9 * static_cast<double>(n))) - 1];
  double mean = std::accumulate(wall.begin(), wall.end(), 0.0) / static_cast<double>(n);
  std::printf("%s\t%.2f\t%.2f\t%.2f\t%.2f\t%zu\t%.2f\n", label.c_str(), Median(wall), p90, wall[0],
              mean, n, Median(cpu));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 50, warmup = 3;
  std::string ids_path, label, samples_path, stats_path;
  int i = 1;
  for (; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) return Usage();
    if (k == "--runs") {
      runs = std::atoi(argv[++i]);
    } else if (k == "--warmup") {
      warmup = std::atoi(argv[++i]);
    } else if (k == "--ids") {
      ids_path = argv[++i];
    } else if (k == "--label") {
      label = argv[++i];
    } else if (k == "--samples") {
      samples_path = argv[++i];
    } else if (k == "--stats") {
      stats_path = argv[++i];
    } else {
      return Usage();
    }
  }
  if (!stats_path.empty()) {
    std::ifstream in(stats_path);
    std::vector<Sample> samples;
    for (Sample s; in >> s.wall >> s.cpu;) samples.push_back(s);
    return PrintStats(label.empty() ? stats_path : label, samples);
  }
  if (i >= argc || runs < 1 || warmup < 0) return Usage();
  std::vector<std::string> cmd(argv + i, argv + argc);
  if (label.empty()) label = cmd[0];

  std::vector<std::string> ids;
  if (!ids_path.empty()) {
    std::ifstream in(ids_path);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) ids.push_back(line);
    }
    if (ids.size() < static_cast<size_t>(warmup + runs)) {
      std::cerr << "cli_bench: " << ids_path << " has " << ids.size() << " ids, need "
                << warmup + runs << "\n";
      return 2;
    }
  }

  char err_tmpl[] = "/tmp/cli_bench_err_XXXXXX";
  int fd = mkstemp(err_tmpl);
  if (fd < 0) return 1;
  close(fd);
  std::string err_path = err_tmpl;

  std::vector<Sample> samples;
  for (int r = 0; r < warmup + runs; ++r) {
    auto run = ids.empty() ? cmd : Substitute(cmd, ids[static_cast<size_t>(r)]);
    Sample s = RunOnce(run, err_path);
    if (s.wall < 0) {
      std::cerr << "cli_bench: run " << r + 1 << " failed:";
      for (const auto& a : run) std::cerr << " " << a;
      std::cerr << "\n" << std::ifstream(err_path).rdbuf();
      std::remove(err_path.c_str());
      return 1;
    }
    if (r >= warmup) samples.push_back(s);
  }
  std::remove(err_path.c_str());

  if (!samples_path.empty()) {
    std::ofstream out(samples_path, std::ios::app);
    for (const auto& s : samples) out << s.wall << " " << s.cpu << "\n";
  }
  return PrintStats(label, samples);
}
