// libFuzzer target for src/mcp: whatever lines a client sends, the server must never crash,
// leak or hang, must answer a request with exactly one line of JSON-RPC carrying its id, and
// must never answer a notification. Each input is split into lines and fed to a fresh server
// (so both the handshake and the stateless paths are reached) over one real graph.
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "mcp/server.h"
#include "store/store.h"

namespace {

using tg::mcp::Json;

// The graph outlives every server; each server borrows it.
class Borrowed final : public tg::store::Store {
 public:
  explicit Borrowed(tg::store::Store& s) : s_(s) {}
  tg::Result<std::unique_ptr<tg::store::Reader>> Read() override { return s_.Read(); }
  tg::Result<std::unique_ptr<tg::store::Writer>> Write(const std::string& h) override {
    return s_.Write(h);
  }
  tg::Result<std::unique_ptr<tg::store::ChangeWatch>> Watch(int64_t t) override {
    return s_.Watch(t);
  }
  tg::Result<std::vector<tg::store::Finding>> CheckStorage() override { return s_.CheckStorage(); }
  const tg::store::Config& config() const override { return s_.config(); }
  std::string StateDir() const override { return s_.StateDir(); }
  int64_t LastWriteWaitMicros() const override { return s_.LastWriteWaitMicros(); }

 private:
  tg::store::Store& s_;
};

tg::store::Store& Graph() {
  static tg::FixedClock clock{1'700'000'000'000};
  static std::unique_ptr<tg::store::Store> store = [] {
    // Memory-backed when the machine has it: fuzzed writes sync on every commit.
    std::string base = std::filesystem::is_directory("/dev/shm")
                           ? "/dev/shm"
                           : std::filesystem::temp_directory_path().string();
    std::string t = base + "/tg-mcp-fuzz-XXXXXX";
    std::string dir = mkdtemp(t.data());
    if (!tg::store::Init(dir, {})) std::abort();
    auto s = tg::store::Open(dir, {}, clock);
    if (!s) std::abort();
    return std::move(*s);
  }();
  return *store;
}

[[noreturn]] void Fail(const char* why, std::string_view in, const std::string& out) {
  std::fprintf(stderr, "mcp handler: %s\n  in:  %.*s\n  out: %s\n", why,
               static_cast<int>(in.size()), in.data(), out.c_str());
  std::abort();
}

void Check(std::string_view line, const std::optional<std::string>& out) {
  if (tg::JsonDepth(line) > tg::mcp::kMaxNesting) {
    // Refused unparsed: an error with a null id, whatever the line was.
    Json j = out ? Json::parse(*out, nullptr, false) : Json();
    if (!j.is_object() || !j.contains("error") || !j["id"].is_null()) {
      Fail("too deep a line was not refused", line, out.value_or(""));
    }
    return;
  }
  Json in = Json::parse(line.begin(), line.end(), nullptr, false);
  bool notification =
      in.is_object() && in.value("jsonrpc", Json()) == "2.0" && in.contains("method") &&
      in["method"].is_string() && !in.contains("id") &&
      (!in.contains("params") || in["params"].is_object() || in["params"].is_array());
  if (!out) {
    std::string_view trimmed = line;
    while (!trimmed.empty() &&
           (trimmed.back() == '\r' || trimmed.back() == ' ' || trimmed.back() == '\t')) {
      trimmed.remove_suffix(1);
    }
    bool response = in.is_object() && in.contains("id") && !in.contains("method") &&
                    (in.contains("result") || in.contains("error"));
    if (!notification && !response && trimmed.find_first_not_of(" \t") != std::string_view::npos) {
      Fail("no answer to a message that needs one", line, "");
    }
    return;
  }
  if (notification) Fail("a notification was answered", line, *out);
  if (out->find('\n') != std::string::npos) Fail("answer spans lines", line, *out);
  Json j = Json::parse(*out, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j["jsonrpc"] != "2.0" || !j.contains("id") ||
      (j.contains("result") == j.contains("error"))) {
    Fail("answer is not JSON-RPC 2.0", line, *out);
  }
  if (in.is_object() && in.contains("id") && (in["id"].is_string() || in["id"].is_number()) &&
      in.value("jsonrpc", Json()) == "2.0" && j["id"] != in["id"]) {
    Fail("answer does not carry the request's id", line, *out);
  }
  if (j.contains("result") && j["result"].contains("structuredContent") &&
      !j["result"]["structuredContent"].is_object()) {
    Fail("structuredContent is not an object", line, *out);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static tg::SequentialIdSource ids;
  tg::mcp::ServerOptions o;
  o.open_store = [] {
    return tg::Result<std::unique_ptr<tg::store::Store>>(std::make_unique<Borrowed>(Graph()));
  };
  o.ids = &ids;
  o.identity = {"fuzz", true};
  tg::mcp::Server server(std::move(o));
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    Check(line, server.Handle(line));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return 0;
}
