// The files `tg setup` writes into a project, embedded in the binary.
#pragma once

#include <string_view>
#include <vector>

namespace tg::cli {

struct ScaffoldFile {
  std::string_view path;  // relative to the project folder
  std::string_view content;
  bool cursor_only = false;  // written only with --cursor
};

const std::vector<ScaffoldFile>& ScaffoldFiles();

}  // namespace tg::cli
