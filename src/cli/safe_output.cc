#include "cli/safe_output.h"

#include <fmt/format.h>

#include "core/text.h"
#include "core/utf8.h"

namespace tg::cli {

namespace {

// Bytes a UTF-8 sequence starting with `b0` claims (0 for a byte that cannot start one).
size_t SequenceLength(unsigned char b0) {
  return b0 < 0x80 ? 1 : b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
}

// `rest` is shorter than its lead byte claims: could more bytes still complete it?
bool CouldContinue(std::string_view rest) {
  for (size_t k = 1; k < rest.size(); ++k) {
    if ((static_cast<unsigned char>(rest[k]) & 0xC0) != 0x80) return false;
  }
  return true;
}

}  // namespace

std::string TerminalSafe(std::string_view text, std::string* tail) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char b = static_cast<unsigned char>(text[i]);
    // The common case, printable ASCII, line feed and tab, goes straight through.
    if ((b >= 0x20 && b < 0x7F) || b == '\n' || b == '\t') {
      out += text[i++];
      continue;
    }
    char32_t cp;
    size_t len = DecodeUtf8(text, i, cp);
    if (len == 0) {
      size_t want = SequenceLength(b);
      // A sequence cut off by the end of this piece: keep it for the next one.
      if (tail && want > 1 && i + want > text.size() && CouldContinue(text.substr(i))) {
        *tail = std::string(text.substr(i));
        return out;
      }
      out += "\xEF\xBF\xBD";  // U+FFFD, as JSON output shows invalid bytes
      ++i;
      continue;
    }
    if (IsUnsafeForTerminal(cp)) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

void TerminalSafeBuf::Drain(bool final) {
  std::string text = std::move(tail_);
  tail_.clear();
  text.append(pbase(), pptr());
  setp(buf_.data(), buf_.data() + buf_.size());
  std::string safe = TerminalSafe(text, final ? nullptr : &tail_);
  target_->sputn(safe.data(), static_cast<std::streamsize>(safe.size()));
}

TerminalSafeBuf::int_type TerminalSafeBuf::overflow(int_type c) {
  Drain(false);
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int TerminalSafeBuf::sync() {
  // A flush writes everything but an unfinished sequence, which waits for its last bytes.
  Drain(false);
  return target_->pubsync();
}

void TerminalSafeBuf::Finish() {
  Drain(true);
  target_->pubsync();
}

}  // namespace tg::cli
