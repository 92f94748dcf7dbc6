// Milliseconds for the process-timing tools (cli_bench, agents): the monotonic clock, and the
// CPU times wait4 reports.
#pragma once

#include <sys/time.h>

#include <ctime>

namespace tg::bench {

inline double NowMs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

inline double Ms(const timeval& t) {
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
}

}  // namespace tg::bench
