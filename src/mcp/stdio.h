// The stdio transport: newline-delimited messages on a file descriptor in, answers on a stream
// out, each flushed at once. Split from the server so both can be tested alone.
#pragma once

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "mcp/server.h"

namespace tg::mcp {

// A message longer than this is refused unparsed and its bytes are skipped: a runaway client
// cannot make the server hold an unbounded line.
inline constexpr size_t kMaxLineBytes = 4 << 20;

// Splits a byte stream into lines. A line over `limit` bytes is reported as too long (its bytes
// are not kept); a last line without a newline still counts at end of input.
class LineSplitter {
 public:
  explicit LineSplitter(size_t limit = kMaxLineBytes) : limit_(limit) {}
  // Calls on_line(line) for each complete line, or on_line with too_long = true.
  void Feed(std::string_view bytes,
            const std::function<void(std::string_view line, bool too_long)>& on_line);
  void Finish(const std::function<void(std::string_view line, bool too_long)>& on_line);

 private:
  size_t limit_;
  std::string buf_;
  bool overflow_ = false;
};

// Reads `in_fd` until end of input, answering each line on `out`. Returns 0 when input ends (or
// the client stops reading the answers), 1 when reading fails.
int Serve(int in_fd, std::ostream& out, std::ostream& err, Server& server);

}  // namespace tg::mcp
