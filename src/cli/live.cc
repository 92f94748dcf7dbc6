#include "cli/live.h"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tg::cli {

namespace {

// A signal handler can only reach a descriptor through a global: the write end of the pipe
// the loop polls.
int g_signal_pipe[2] = {-1, -1};

void OnLiveSignal(int sig) {
  int saved = errno;
  char c = sig == SIGWINCH ? 'w' : 'q';
  if (g_signal_pipe[1] >= 0) [[maybe_unused]]
    ssize_t n = write(g_signal_pipe[1], &c, 1);
  errno = saved;
}

struct sigaction g_old_winch, g_old_int, g_old_term;

int64_t LiveNowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

LiveLoop::LiveLoop(store::ChangeWatch& watch, int key_fd, int64_t tick_ms)
    : watch_(watch), key_fd_(key_fd), tick_ms_(tick_ms) {
  if (pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_signal_pipe[0] = g_signal_pipe[1] = -1;
  struct sigaction sa {};
  sa.sa_handler = OnLiveSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGWINCH, &sa, &g_old_winch);
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
  next_tick_ms_ = tick_ms_ > 0 ? LiveNowMs() + tick_ms_ : 0;
}

LiveLoop::~LiveLoop() {
  sigaction(SIGWINCH, &g_old_winch, nullptr);
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  for (int& fd : g_signal_pipe) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

LiveEvent LiveLoop::Next() {
  LiveEvent ev;
  for (;;) {
    pollfd fds[3];
    int n = 0;
    int watch_fd = watch_.ReadyFd();
    int at_watch = -1, at_sig = -1, at_key = -1;
    if (watch_fd >= 0) fds[at_watch = n++] = pollfd{watch_fd, POLLIN, 0};
    if (g_signal_pipe[0] >= 0) fds[at_sig = n++] = pollfd{g_signal_pipe[0], POLLIN, 0};
    if (key_fd_ >= 0) fds[at_key = n++] = pollfd{key_fd_, POLLIN, 0};
    int64_t wait_ms = -1;
    if (tick_ms_ > 0) wait_ms = std::max<int64_t>(0, next_tick_ms_ - LiveNowMs());
    if (watch_fd < 0) {
      // A store without a descriptor: let its own Wait block for a while instead.
      bool more = watch_.Wait(std::min<int64_t>(wait_ms < 0 ? 1000 : wait_ms, 250));
      if (!more) ev.quit = true;
      ev.commit = more;
    }
    int got = poll(fds, static_cast<nfds_t>(n), watch_fd < 0 ? 0 : static_cast<int>(wait_ms));
    if (got < 0 && errno == EINTR) continue;
    if (at_sig >= 0 && (fds[at_sig].revents & POLLIN)) {
      char buf[64];
      for (ssize_t k; (k = read(g_signal_pipe[0], buf, sizeof buf)) > 0;) {
        for (ssize_t i = 0; i < k; ++i) (buf[i] == 'w' ? ev.resize : ev.quit) = true;
      }
    }
    if (at_key >= 0 && (fds[at_key].revents & (POLLIN | POLLHUP))) {
      char buf[64];
      ssize_t k = read(key_fd_, buf, sizeof buf);
      if (k == 0) ev.quit = true;  // the keyboard went away
      for (ssize_t i = 0; i < k; ++i) {
        if (buf[i] == 'q' || buf[i] == 'Q' || buf[i] == 3 /* Ctrl-C */ || buf[i] == 4) {
          ev.quit = true;
        }
      }
    }
    if (at_watch >= 0 && (fds[at_watch].revents & POLLIN))
      ev.commit = watch_.Consume() || ev.commit;
    if (tick_ms_ > 0 && LiveNowMs() >= next_tick_ms_) {
      ev.tick = true;
      next_tick_ms_ = LiveNowMs() + tick_ms_;
    }
    if (ev.commit || ev.resize || ev.tick || ev.quit) return ev;
  }
}

std::unique_ptr<RawTerminal> RawTerminal::Enter(int in_fd, int out_fd) {
  if (!isatty(out_fd)) return nullptr;
  std::unique_ptr<RawTerminal> t(new RawTerminal(in_fd, out_fd));
  termios tio;
  static_assert(sizeof(termios) <= sizeof(t->saved_termios_));
  if (isatty(in_fd) && tcgetattr(in_fd, &tio) == 0) {
    std::memcpy(t->saved_termios_, &tio, sizeof tio);
    t->saved_ = true;
    termios raw = tio;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(in_fd, TCSANOW, &raw);
  }
  // Alternate screen, cursor hidden, screen cleared.
  WriteAll(out_fd, "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J");
  return t;
}

RawTerminal::~RawTerminal() {
  // Cursor shown again, attributes reset, back to the main screen as it was.
  WriteAll(out_, "\x1b[0m\x1b[?25h\x1b[?1049l");
  if (saved_) {
    termios tio;
    std::memcpy(&tio, saved_termios_, sizeof tio);
    tcsetattr(in_, TCSANOW, &tio);
  }
}

std::optional<std::pair<int, int>> TerminalSize(int fd) {
  winsize ws{};
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return std::nullopt;
  return std::pair<int, int>{ws.ws_col, ws.ws_row};
}

bool WriteAll(int fd, const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + off, bytes.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace tg::cli
