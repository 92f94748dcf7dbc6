// A child process to talk to: lines to its stdin, lines from its stdout, each read bounded by a
// timeout (a server that never answers fails its test instead of hanging it). stderr is kept.
#pragma once

#include <optional>
#include <string>

#include "support/process.h"

namespace tg::test {

class Child {
 public:
  explicit Child(const RunOptions& opts);  // opts.input and opts.timeout_ms are not used
  ~Child();                                // kills the child if it is still running
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool running() const { return pid_ > 0; }
  void WriteLine(const std::string& line);
  // The next line of stdout (without its newline); nullopt at end of output or after
  // `timeout_ms`.
  std::optional<std::string> ReadLine(int timeout_ms = 90'000);
  void CloseStdin();
  // Closes stdin and waits for the exit (killing the child after `timeout_ms`); out holds what
  // stdout had left unread, err all of stderr.
  RunResult Wait(int timeout_ms = 90'000);

 private:
  bool Pump(int timeout_ms);  // reads what is ready; false at timeout or end of both streams

  int pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string out_buf_, err_buf_;
};

}  // namespace tg::test
