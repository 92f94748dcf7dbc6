#include "store/watch.h"

#include <fmt/format.h>
#include <poll.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tg::store {

namespace {

int64_t MonotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

Result<std::unique_ptr<ChangeWatcher>> ChangeWatcher::Start(const Store& store,
                                                            int64_t timeout_ms) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Fail(Code::kIoError, fmt::format("inotify: {}", std::strerror(errno)));
  // Every committing writer modifies tg.db-wal (or tg.db), and releases tg.lock.
  if (inotify_add_watch(fd, store.dir().c_str(), IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    int err = errno;
    close(fd);
    return Fail(Code::kIoError,
                fmt::format("cannot watch {}: {}", store.dir(), std::strerror(err)));
  }
  return std::unique_ptr<ChangeWatcher>(new ChangeWatcher(fd, MonotonicMs() + timeout_ms));
}

ChangeWatcher::~ChangeWatcher() { close(fd_); }

bool ChangeWatcher::Wait() {
  for (;;) {
    int64_t left = deadline_ms_ - MonotonicMs();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 60'000)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;  // timeout slice: loop re-checks the deadline
    char buf[4096];
    while (read(fd_, buf, sizeof buf) > 0) {
    }
    return true;
  }
}

}  // namespace tg::store
