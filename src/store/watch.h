// Waiting for another process to change the store, without polling: an inotify watch on
// .taskgraph/ wakes the waiter when any writer commits (the WAL file is written).
#pragma once

#include <memory>

#include "core/error.h"
#include "store/store.h"

namespace tg::store {

class ChangeWatcher {
 public:
  // Starts watching now, so a change between a failed attempt and the next Wait() is not missed.
  // `timeout_ms` bounds the total time all Wait() calls may block.
  static Result<std::unique_ptr<ChangeWatcher>> Start(const Store& store, int64_t timeout_ms);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // Blocks until the store changes (true) or the time is up (false).
  bool Wait();

 private:
  ChangeWatcher(int fd, int64_t deadline_ms) : fd_(fd), deadline_ms_(deadline_ms) {}
  int fd_;
  int64_t deadline_ms_;  // CLOCK_MONOTONIC
};

}  // namespace tg::store
