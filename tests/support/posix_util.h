// Small POSIX helpers shared by the process runners of the tests (process.cc, child.cc).
#pragma once

#include <time.h>

#include <string>
#include <vector>

namespace tg::test {

// Milliseconds on the monotonic clock: for deadlines, never for synchronisation.
inline long NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1'000'000;
}

// argv/envp for posix_spawn: pointers into `v`, which must outlive the call, and a null end.
inline std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace tg::test
