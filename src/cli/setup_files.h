// The files `tg setup` writes into a project, embedded in the binary.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "cli/setup_harness.h"

namespace tg::cli {

struct ScaffoldFile {
  std::string_view path;  // relative to the project folder
  std::string_view content;
  std::optional<Harness> only;  // written only for this harness; nullopt: for every project
};

const std::vector<ScaffoldFile>& ScaffoldFiles();

}  // namespace tg::cli
