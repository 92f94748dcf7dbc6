// The writers' queue: an exclusive flock on .taskgraph/tg.lock taken before BEGIN IMMEDIATE.
// Blocking in the kernel wakes a waiter as soon as the holder finishes, where SQLite's busy
// handler would sleep in growing steps; the holder writes who it is into the file so that a
// waiter that gives up can name it.
#pragma once

#include <string>

#include "core/error.h"

namespace tg::store::sqlite {

class WriteLock {
 public:
  WriteLock(WriteLock&& o) noexcept : fd_(o.fd_), held_(o.held_) { o.fd_ = -1; }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;
  WriteLock& operator=(WriteLock&&) = delete;
  ~WriteLock();

  // Waits up to `timeout_ms` for the lock at `path`; `holder` describes this process for
  // others ("agent-2 running start, pid 4242"). STORE_BUSY names the holder on timeout;
  // READ_ONLY when the lock file cannot be opened for writing.
  static Result<WriteLock> Acquire(const std::string& path, int timeout_ms,
                                   const std::string& holder);

  // Microseconds the last Acquire() in this process waited for the lock (for TG_TRACE and the
  // fairness benchmark).
  static int64_t LastWaitMicros();

 private:
  explicit WriteLock(int fd) : fd_(fd) {}
  int fd_;
  // Only the holder may clear the holder's name: a waiter that gave up used to truncate the
  // file on its way out, so every later waiter's STORE_BUSY named nobody.
  bool held_ = false;
};

}  // namespace tg::store::sqlite
