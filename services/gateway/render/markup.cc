#include "services/gateway/render/markup.h"

#include <cstdint>

#include "services/kernel/utf8.h"

namespace fazhi::render {
namespace {

// Validation refuses these in stored text (services/kernel/utf8.h,
// IsAllowedTextCodePoint); a renderer drops them all the same, so no text
// that slipped past, or was stored before the rule, can break a document:
// C0 controls but tab and newline, U+FFFE/U+FFFF (not XML 1.0 characters)
// and the bidirectional embeddings, overrides and isolates.
bool Dropped(uint32_t c) {
  if (c < 0x20) return c != '\t' && c != '\n';
  return c == 0x7F || c == 0xFFFE || c == 0xFFFF || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Calls `emit(code_point, bytes)` for each character of `text`; a byte that
// does not start a valid UTF-8 sequence comes out as U+FFFD.
template <typename Emit>
void ForEachCodePoint(absl::string_view text, Emit emit) {
  static constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";
  size_t i = 0;
  while (i < text.size()) {
    uint32_t code_point;
    const size_t length = kernel::DecodeUtf8At(text, i, &code_point);
    if (length == 0) {
      emit(0xFFFD, kReplacement);
      ++i;
      continue;
    }
    emit(code_point, text.substr(i, length));
    i += length;
  }
}

}  // namespace

std::string EscapeXml(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  ForEachCodePoint(text, [&](uint32_t c, absl::string_view bytes) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (!Dropped(c)) out.append(bytes.data(), bytes.size());
    }
  });
  return out;
}

std::string EscapeMarkdown(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool line_start = true;
  ForEachCodePoint(text, [&](uint32_t c, absl::string_view bytes) {
    switch (c) {
      // `&` too: "&lt;" would otherwise render as "<".
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '~':
      case '&':
        out += '\\';
        out += static_cast<char>(c);
        break;
      case '#':
      case '-':
      case '+':
      case '=':
        if (line_start) out += '\\';
        out += static_cast<char>(c);
        break;
      default:
        if (!Dropped(c)) out.append(bytes.data(), bytes.size());
    }
    line_start = c == '\n';
  });
  return out;
}

}  // namespace fazhi::render
