// Runs a child process with an exact argv and environment, capturing stdout and stderr, with a
// timeout after which the child is killed (so a hung command fails its test instead of the suite).
#pragma once

#include <string>
#include <vector>

namespace tg::test {

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal (see signal)
  int signal = 0;
  bool timed_out = false;
  std::string out, err;
};

struct RunOptions {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // KEY=VALUE; nothing is inherited
  std::string cwd;               // empty: inherit
  std::string input;             // written to stdin
  int timeout_ms = 180'000;      // a safety net against a hang, far past any loaded machine's run
};

RunResult RunProcess(const RunOptions& opts);

// Starts a child with stdin, stdout and stderr on /dev/null and returns its pid (-1 on failure),
// for tests that kill processes at arbitrary moments.
int SpawnQuiet(const RunOptions& opts);
// Waits for a child started by SpawnQuiet: its exit code, or the signal that ended it.
RunResult Reap(int pid);

}  // namespace tg::test
