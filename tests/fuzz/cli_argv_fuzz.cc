// libFuzzer target for the whole command line, in process: the input is an argv (arguments
// separated by NUL bytes) run through cli::Run against one graph that lives for the whole run.
// Whatever the arguments, tg must answer with a documented exit code and a clear error: no
// crash, no sanitizer report, no escaped exception (INTERNAL), no error of more than one line.
//
// The graph sits in a private temporary folder that is also the working directory. Arguments
// holding '/' or ".." are dropped, so that every path the fuzzer names (--out, --dir, setup
// --path, import) stays inside that folder; --wait and --watch are dropped, since they would
// wait for commits, and stdin is /dev/null, so the commands that read it (mcp, hook) see EOF.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "store/store.h"

namespace {

struct World {
  std::string root;
  tg::FixedClock clock{1'795'000'000'000};  // 2026-11-18
  tg::SequentialIdSource ids;

  World() {
    if (std::freopen("/dev/null", "r", stdin) == nullptr) std::abort();
    char tmpl[] = "/tmp/tg-cli-fuzz-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (dir == nullptr || chdir(dir) != 0) std::abort();
    root = dir;
    if (!tg::store::Init(root, {})) std::abort();
    // Something to act on: a plan, tasks with an edge, a claim, a note, a plan file.
    for (std::vector<std::string> args :
         {std::vector<std::string>{"plan", "new", "Release 1"},
          {"task", "new", "Write the parser", "--plan", "Release 1"},
          {"task", "new", "Ship it", "--plan", "Release 1"},
          {"start", "tg-000000"},
          {"note", "tg-000000", "--msg", "hello"}}) {
      Run(args);
    }
    FILE* f = std::fopen("plan.md", "w");
    std::fputs(
        "---\nname: File plan\ntodos:\n  - id: a\n    content: A\n  - id: b\n"
        "    content: B\n    blockedBy: [a]\n---\n",
        f);
    std::fclose(f);
  }

  ~World() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }

  int Run(const std::vector<std::string>& args, std::string* out_text = nullptr,
          std::string* err_text = nullptr) {
    std::ostringstream out, err;
    tg::cli::Env env;
    env.cwd = root;
    env.vars["TG_DIR"] = root;
    env.vars["TG_LOCK_TIMEOUT"] = "100ms";
    tg::cli::Session s(tg::cli::Io{out, err}, env, clock, ids);
    std::vector<const char*> argv{"tg"};
    for (const auto& a : args) argv.push_back(a.c_str());
    int rc = tg::cli::Run(static_cast<int>(argv.size()), argv.data(), s);
    if (out_text) *out_text = out.str();
    if (err_text) *err_text = err.str();
    return rc;
  }
};

void Fail(const char* what, const std::vector<std::string>& args, const std::string& err) {
  std::fprintf(stderr, "cli fuzz: %s\nargs:", what);
  for (const auto& a : args) std::fprintf(stderr, " [%s]", a.c_str());
  std::fprintf(stderr, "\nstderr:\n%s\n", err.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  std::vector<std::string> args;
  std::string cur;
  for (size_t i = 0; i <= size && args.size() < 24; ++i) {
    if (i < size && data[i] != 0) {
      cur += static_cast<char>(data[i]);
      continue;
    }
    bool unsafe = cur.find('/') != std::string::npos || cur.find("..") != std::string::npos ||
                  cur.starts_with("--wait") || cur.starts_with("--watch") || cur.size() > 4096;
    if (!unsafe) args.push_back(cur);
    cur.clear();
  }
  std::string out, err;
  int rc = world.Run(args, &out, &err);
  if (rc < 0 || rc > 7) Fail("exit code outside 0..7", args, err);
  // Every line on stderr is one whole message starting with "tg" and the command; an escaped
  // exception says "internal error" right after that prefix (the rest of a line may echo the
  // fuzzer's own text, "internal error" included).
  static const std::regex kInternal(R"(^tg(?: [a-z][a-z -]*)?: internal error)");
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("tg")) Fail("a stderr line that is not one tg message", args, err);
    if (std::regex_search(line, kInternal)) Fail("an exception escaped", args, err);
  }
  return 0;
}
