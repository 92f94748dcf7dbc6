// make_graph: writes the deterministic benchmark graph (bench/graph_gen.h) into an initialised
// tg folder, and the same graph as Taskwarrior import JSON.
//
//   make_graph --dir <folder holding .taskgraph/> --tasks N [--tw-json FILE]
//
// Prints the short id of the task `tg show` is benchmarked on; a summary goes to stderr.
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "graph_gen.h"

namespace {

struct Args {
  std::string dir;
  int tasks = 0;
  std::string tw_json;
};

bool Parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--dir") {
      a.dir = argv[i + 1];
    } else if (k == "--tasks") {
      a.tasks = std::atoi(argv[i + 1]);
    } else if (k == "--tw-json") {
      a.tw_json = argv[i + 1];
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !a.dir.empty() && a.tasks > 0 && a.tasks % 100 == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!Parse(argc, argv, a)) {
    std::cerr << "usage: make_graph --dir <folder with .taskgraph/> --tasks <multiple of 100> "
                 "[--tw-json <file>]\n";
    return 2;
  }
  nlohmann::json tw = nlohmann::json::array();
  tg::bench::GraphInfo info;
  if (auto st = tg::bench::GenerateGraph(a.dir, a.tasks, &tw, &info); !st) {
    std::cerr << "make_graph: " << st.error().message << "\n";
    return 1;
  }
  std::cerr << fmt::format("make_graph: {} tasks in {} plans, {} blocking edges, {} runnable\n",
                           a.tasks, info.plans, info.edges, info.runnable);
  std::cout << info.show_id << "\n";
  if (!a.tw_json.empty()) {
    std::ofstream out(a.tw_json);
    out << tw.dump() << "\n";
    if (!out) {
      std::cerr << "make_graph: cannot write " << a.tw_json << "\n";
      return 1;
    }
  }
  return 0;
}
