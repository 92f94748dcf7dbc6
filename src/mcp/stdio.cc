#include "mcp/stdio.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

namespace tg::mcp {

void LineSplitter::Feed(std::string_view bytes,
                        const std::function<void(std::string_view, bool)>& on_line) {
  while (!bytes.empty()) {
    size_t nl = bytes.find('\n');
    std::string_view part = bytes.substr(0, nl);
    if (!overflow_) {
      if (buf_.size() + part.size() > limit_) {
        overflow_ = true;
        buf_.clear();
        buf_.shrink_to_fit();
      } else {
        buf_.append(part);
      }
    }
    if (nl == std::string_view::npos) return;
    on_line(buf_, overflow_);
    buf_.clear();
    overflow_ = false;
    bytes.remove_prefix(nl + 1);
  }
}

void LineSplitter::Finish(const std::function<void(std::string_view, bool)>& on_line) {
  if (!buf_.empty() || overflow_) on_line(buf_, overflow_);
  buf_.clear();
  overflow_ = false;
}

int Serve(int in_fd, std::ostream& out, std::ostream& err, Server& server) {
  LineSplitter lines;
  bool out_ok = true;
  auto answer = [&](std::string_view line, bool too_long) {
    if (!out_ok) return;
    std::optional<std::string> reply =
        too_long ? std::optional<std::string>(server.TooLong(kMaxLineBytes)) : server.Handle(line);
    if (!reply) return;
    out << *reply << '\n';
    out.flush();
    if (!out) {
      err << "tg mcp: the client stopped reading; exiting\n";
      out_ok = false;
    }
  };
  char buf[64 * 1024];
  while (out_ok) {
    ssize_t n = read(in_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err << "tg mcp: cannot read stdin: " << strerror(errno) << '\n';
      return 1;
    }
    if (n == 0) break;
    lines.Feed(std::string_view(buf, static_cast<size_t>(n)), answer);
  }
  lines.Finish(answer);
  return 0;
}

}  // namespace tg::mcp
