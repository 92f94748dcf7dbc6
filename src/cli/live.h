// The event loop of the live views (`tg dashboard`, `tg status --watch`): one poll over the
// store's change watch, the keyboard and a self-pipe for SIGWINCH / SIGINT / SIGTERM, plus a
// tick for ages. Nothing here polls the store: it redraws when a commit lands.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/store.h"

namespace tg::cli {

struct LiveEvent {
  bool commit = false;  // another process committed
  bool resize = false;  // SIGWINCH
  bool tick = false;    // the age timer ran out
  bool quit = false;    // SIGINT, SIGTERM, `q`, Ctrl-C, or the end of the keyboard input
};

class LiveLoop {
 public:
  // `key_fd` (-1: none) is read for `q` / Ctrl-C; `tick_ms` (0: none) bounds each wait.
  LiveLoop(store::ChangeWatch& watch, int key_fd, int64_t tick_ms);
  ~LiveLoop();  // restores the signal handlers it replaced
  LiveLoop(const LiveLoop&) = delete;
  LiveLoop& operator=(const LiveLoop&) = delete;

  LiveEvent Next();

 private:
  store::ChangeWatch& watch_;
  int key_fd_;
  int64_t tick_ms_;
  int64_t next_tick_ms_ = 0;
};

// The terminal while a full-screen view runs: raw keyboard, alternate screen, hidden cursor;
// everything restored by the destructor (also on an error return) exactly as it was.
class RawTerminal {
 public:
  static std::unique_ptr<RawTerminal> Enter(int in_fd, int out_fd);  // nullptr: not a terminal
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  RawTerminal(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}
  int in_, out_;
  bool saved_ = false;
  unsigned char saved_termios_[64] = {};
};

// Columns and rows of the terminal on `fd`, or nullopt.
std::optional<std::pair<int, int>> TerminalSize(int fd);
// Writes all of `bytes` to `fd` (retrying short writes); false on an error.
bool WriteAll(int fd, const std::string& bytes);

}  // namespace tg::cli
