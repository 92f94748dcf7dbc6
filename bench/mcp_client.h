// A `tg mcp` server spoken to over pipes, for the benchmarks (mcp_bench, agents): one
// newline-delimited JSON-RPC request at a time, timed from writing it to reading the answer.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "clock_ms.h"

extern char** environ;

namespace tg::bench {

inline std::vector<char*> CArgs(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

class McpServer {
 public:
  // Starts `argv` (a path to tg, "mcp", its flags) and completes the initialize handshake.
  // `quiet`: the server's stderr goes to /dev/null (many servers at once, TG_TRACE set).
  explicit McpServer(const std::vector<std::string>& argv, bool quiet = false) {
    int in[2], out[2];
    // O_CLOEXEC: agents start servers from several threads at once, and a pipe end inherited by
    // another agent's server would keep this one's input open after we close it.
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    if (quiet) posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    auto a = CArgs(argv);
    int rc = posix_spawn(&pid_, a[0], &fa, nullptr, a.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    in_ = in[1];
    out_ = out[0];
    if (rc != 0) throw std::runtime_error("spawn tg mcp: " + std::string(strerror(rc)));
    Ask({{"jsonrpc", "2.0"},
         {"id", 0},
         {"method", "initialize"},
         {"params",
          {{"protocolVersion", "2025-11-25"}, {"capabilities", nlohmann::json::object()}}}});
  }
  McpServer(const McpServer&) = delete;
  McpServer& operator=(const McpServer&) = delete;
  ~McpServer() {
    close(in_);  // end of input: the server exits
    int status;
    waitpid(pid_, &status, 0);
    close(out_);
  }

  pid_t pid() const { return pid_; }

  // Sends one request and returns the answer line; *ms is the round trip.
  std::string Ask(const nlohmann::json& request, double* ms = nullptr) {
    std::string line = request.dump() + "\n";
    double t0 = NowMs();
    for (size_t off = 0; off < line.size();) {
      ssize_t n = write(in_, line.data() + off, line.size() - off);
      if (n <= 0) throw std::runtime_error("server stopped reading");
      off += static_cast<size_t>(n);
    }
    for (;;) {
      size_t nl = buf_.find('\n');
      if (nl != std::string::npos) {
        if (ms) *ms = NowMs() - t0;
        std::string reply = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return reply;
      }
      char b[65536];
      ssize_t n = read(out_, b, sizeof b);
      if (n <= 0) throw std::runtime_error("server closed its output");
      buf_.append(b, static_cast<size_t>(n));
    }
  }

  // One tools/call: the whole result object ({content, structuredContent, isError}).
  nlohmann::json CallResult(const std::string& tool, const nlohmann::json& args, double* ms) {
    auto r = nlohmann::json::parse(Ask({{"jsonrpc", "2.0"},
                                        {"id", ++id_},
                                        {"method", "tools/call"},
                                        {"params", {{"name", tool}, {"arguments", args}}}},
                                       ms));
    if (!r.contains("result")) throw std::runtime_error(tool + ": " + r.dump());
    return r["result"];
  }
  // The structured content of a call that must succeed.
  nlohmann::json Call(const std::string& tool, const nlohmann::json& args, double* ms) {
    auto r = CallResult(tool, args, ms);
    if (r["isError"] != false) throw std::runtime_error(tool + " failed: " + r.dump());
    return r["structuredContent"];
  }

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, id_ = 0;
  std::string buf_;
};

}  // namespace tg::bench
