// Graphviz's `dot` program, run as a child process: DOT in, SVG out. A program rather than
// libgvc in process, because `graphviz` is already a dependency (the DOT export tests use it),
// the tg binary and its .deb then need no Graphviz libraries at all, and a layout that crashes
// or hangs cannot take tg with it.
#pragma once

#include <string>

#include "core/error.h"

namespace tg::cli {

// IO_ERROR naming what to install when `dot` is missing, or with its message when it fails.
Result<std::string> DotToSvg(const std::string& dot);

}  // namespace tg::cli
