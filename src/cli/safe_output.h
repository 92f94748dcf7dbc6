// Output that is safe for a terminal. Stored text comes from many agents and older stores: a
// title or note holding an escape sequence must not recolour, retitle or rewrite the reader's
// terminal. Every byte tg prints passes through TerminalSafeBuf, which shows control
// characters (but line feed and tab), bidirectional overrides and invalid UTF-8 as visible
// escapes. JSON output passes unchanged: its control characters are already escaped, invalid
// bytes already replaced, and the escapes used here (\u009b) are JSON's own, so a value that
// holds DEL or a C1 control reads back the same.
#pragma once

#include <array>
#include <streambuf>
#include <string>
#include <string_view>

namespace tg::cli {

// `text` as TerminalSafeBuf writes it. With `tail`, an incomplete UTF-8 sequence at the end is
// left out and stored there, to be completed by the next piece; without, it is replaced.
std::string TerminalSafe(std::string_view text, std::string* tail = nullptr);

class TerminalSafeBuf final : public std::streambuf {
 public:
  explicit TerminalSafeBuf(std::streambuf* target) : target_(target) {
    setp(buf_.data(), buf_.data() + buf_.size());
  }
  ~TerminalSafeBuf() override { Finish(); }
  TerminalSafeBuf(const TerminalSafeBuf&) = delete;
  TerminalSafeBuf& operator=(const TerminalSafeBuf&) = delete;

  // Writes what is buffered, including an unfinished UTF-8 sequence (as escapes).
  void Finish();

 protected:
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  void Drain(bool final);

  std::streambuf* target_;
  std::array<char, 4096> buf_;
  std::string tail_;  // an incomplete UTF-8 sequence carried to the next write
};

}  // namespace tg::cli
