#include "store/sqlite/watch.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace tg::store::sqlite {

namespace {

int64_t MonotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

Result<std::unique_ptr<ChangeWatcher>> ChangeWatcher::Start(const std::string& dir,
                                                            int64_t timeout_ms) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Fail(Code::kIoError, fmt::format("inotify: {}", std::strerror(errno)));
  // Every committing writer modifies tg.db-wal (or tg.db), and releases tg.lock.
  if (inotify_add_watch(fd, dir.c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    int err = errno;
    close(fd);
    return Fail(Code::kIoError, fmt::format("cannot watch {}: {}", dir, std::strerror(err)));
  }
  return std::unique_ptr<ChangeWatcher>(new ChangeWatcher(fd, MonotonicMs() + timeout_ms));
}

ChangeWatcher::~ChangeWatcher() { close(fd_); }

bool ChangeWatcher::Wait(std::optional<int64_t> at_most_ms) {
  const int64_t start = MonotonicMs();
  for (;;) {
    int64_t now = MonotonicMs();
    int64_t left = deadline_ms_ - now;
    if (left <= 0) return false;
    // A lease that runs out while we wait makes a task claimable with no commit at all.
    if (at_most_ms) {
      int64_t wake_in = start + std::max<int64_t>(*at_most_ms, 0) - now;
      if (wake_in <= 0) return true;
      left = std::min(left, wake_in);
    }
    pollfd p{fd_, POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 60'000)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;  // timeout slice: loop re-checks the deadline
    if (Consume()) return true;
  }
}

bool ChangeWatcher::Consume() {
  // Only a write to the database or its WAL is a commit; tg.lock changes with every writer,
  // including this process's own attempts, and must not wake us.
  alignas(inotify_event) char buf[4096];
  bool committed = false;
  for (ssize_t got; (got = read(fd_, buf, sizeof buf)) > 0;) {
    for (ssize_t off = 0; off < got;) {
      auto* ev = reinterpret_cast<inotify_event*>(buf + off);
      std::string_view name = ev->len ? std::string_view(ev->name) : std::string_view();
      if (name == "tg.db" || name == "tg.db-wal") committed = true;
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
    }
  }
  return committed;
}

}  // namespace tg::store::sqlite
