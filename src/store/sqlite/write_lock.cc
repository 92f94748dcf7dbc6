#include "store/sqlite/write_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tg::store::sqlite {

namespace {

// The timer's only job is to interrupt flock(); the handler does nothing.
void OnTimer(int) {}

int TimerSignal() { return SIGRTMIN + 1; }

void InstallHandlerOnce() {
  static bool installed = [] {
    struct sigaction sa {};
    sa.sa_handler = OnTimer;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: flock must return EINTR
    sigaction(TimerSignal(), &sa, nullptr);
    return true;
  }();
  (void)installed;
}

std::string ReadHolder(int fd) {
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return {};
  std::string s(buf, static_cast<size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

// Blocks in flock() until the lock is granted or `timeout_ms` passes. A per-thread timer
// signal interrupts the wait, so this is safe in a multi-threaded process.
int LockWithTimeout(int fd, int timeout_ms) {
  InstallHandlerOnce();
  struct sigevent sev {};
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = TimerSignal();
  sev._sigev_un._tid = static_cast<pid_t>(syscall(SYS_gettid));
  timer_t timer;
  if (timer_create(CLOCK_MONOTONIC, &sev, &timer) != 0) return errno;
  struct itimerspec its {};
  its.it_value.tv_sec = timeout_ms / 1000;
  its.it_value.tv_nsec = static_cast<long>(timeout_ms % 1000) * 1'000'000L;
  if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
  timer_settime(timer, 0, &its, nullptr);
  int rc = flock(fd, LOCK_EX);
  int err = rc == 0 ? 0 : errno;
  timer_delete(timer);
  return err;
}

}  // namespace

namespace {
int64_t g_last_wait_us = 0;
}  // namespace

int64_t WriteLock::LastWaitMicros() { return g_last_wait_us; }

WriteLock::~WriteLock() {
  if (fd_ < 0) return;
  if (held_) {
    // Forget who held it, so a waiter never names a finished process.
    (void)!ftruncate(fd_, 0);
    flock(fd_, LOCK_UN);
  }
  close(fd_);
}

Result<WriteLock> WriteLock::Acquire(const std::string& path, int timeout_ms,
                                     const std::string& holder) {
  // O_NOFOLLOW: the holder's name is written into this file, so a tg.lock that is a symlink
  // (to ~/.bashrc, say) must not be followed.
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    int err = errno;
    if (err == EACCES || err == EROFS || err == EPERM) {
      return Fail(Code::kReadOnly,
                  fmt::format("cannot write to the store: {} ({}); reads still work — check the "
                              "permissions of .taskgraph/",
                              path, std::strerror(err)));
    }
    return Fail(Code::kIoError, fmt::format("cannot open {}: {}", path, std::strerror(err)));
  }
  WriteLock lock(fd);
  g_last_wait_us = 0;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      return Fail(Code::kIoError, fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      long waited = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1'000'000;
      int err = waited >= timeout_ms ? EINTR : LockWithTimeout(fd, timeout_ms - int(waited));
      if (err == 0) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        g_last_wait_us =
            (now.tv_sec - start.tv_sec) * 1'000'000 + (now.tv_nsec - start.tv_nsec) / 1000;
        break;
      }
      if (err == EINTR && waited < timeout_ms) continue;  // another signal; keep waiting
      if (err != EINTR) {
        return Fail(Code::kIoError, fmt::format("cannot lock {}: {}", path, std::strerror(err)));
      }
      std::string who = ReadHolder(fd);
      return Fail(Code::kStoreBusy,
                  fmt::format("the store stayed busy for {} ms{}; retry, or raise "
                              "TG_LOCK_TIMEOUT (e.g. TG_LOCK_TIMEOUT=60s)",
                              timeout_ms, who.empty() ? "" : " (held by " + who + ")"));
    }
  }
  lock.held_ = true;
  // Best effort: a holder description that cannot be written only makes messages vaguer.
  if (ftruncate(fd, 0) == 0) {
    (void)!pwrite(fd, holder.data(), holder.size(), 0);
  }
  return lock;
}

}  // namespace tg::store::sqlite
