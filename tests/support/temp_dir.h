// A fresh private folder for one test, removed when the test ends: mkdtemp's random name, so
// that parallel test processes, and a later run after a killed one, never share files. In a
// fixture, declare it before anything that keeps files in it open (a store), so that it is
// removed after them.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace tg::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "tg-unit") {
    path_ = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!mkdtemp(path_.data())) throw std::runtime_error("mkdtemp failed for " + path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace tg::test
