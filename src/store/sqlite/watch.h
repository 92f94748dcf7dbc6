// Waiting for another process to change the store, without polling: an inotify watch on
// .taskgraph/ wakes the waiter when any writer commits (the WAL file is written).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/error.h"

#include "store/store.h"

namespace tg::store::sqlite {

class ChangeWatcher final : public ChangeWatch {
 public:
  // Starts watching now, so a change between a failed attempt and the next Wait() is not missed.
  // `timeout_ms` bounds the total time all Wait() calls may block.
  static Result<std::unique_ptr<ChangeWatcher>> Start(const std::string& dir, int64_t timeout_ms);
  ~ChangeWatcher() override;
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // Blocks until the store changes or `at_most_ms` passes (true), or the time is up (false).
  bool Wait(std::optional<int64_t> at_most_ms) override;
  int ReadyFd() const override { return fd_; }
  bool Consume() override;

 private:
  ChangeWatcher(int fd, int64_t deadline_ms) : fd_(fd), deadline_ms_(deadline_ms) {}
  int fd_;
  int64_t deadline_ms_;  // CLOCK_MONOTONIC
};

}  // namespace tg::store::sqlite
