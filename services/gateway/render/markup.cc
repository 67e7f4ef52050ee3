#include "services/gateway/render/markup.h"

#include <cstdint>

namespace fazhi::render {
namespace {

// Validation refuses these in stored text (services/common/validation.h,
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
    const auto c = static_cast<unsigned char>(text[i]);
    size_t extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
    uint32_t code_point = extra == 0 ? c : extra == 1 ? (c & 0x1F) : extra == 2 ? (c & 0x0F) : (c & 0x07);
    bool valid = extra <= 3 && i + extra < text.size();
    for (size_t k = 1; valid && k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      valid = (cc & 0xC0) == 0x80;
      code_point = (code_point << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    valid = valid && code_point >= kMinForLength[extra] && code_point <= 0x10FFFF &&
            !(code_point >= 0xD800 && code_point <= 0xDFFF);
    if (!valid) {
      emit(0xFFFD, kReplacement);
      ++i;
      continue;
    }
    emit(code_point, text.substr(i, extra + 1));
    i += extra + 1;
  }
}

}  // namespace

std::string EscapeXml(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  ForEachCodePoint(text, [&](uint32_t c, absl::string_view bytes) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
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
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~': case '&':
        out += '\\';
        out += static_cast<char>(c);
        break;
      case '#': case '-': case '+': case '=':
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
