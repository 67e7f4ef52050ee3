#ifndef FAZHI_SERVICES_KERNEL_UTF8_H_
#define FAZHI_SERVICES_KERNEL_UTF8_H_

// UTF-8, decoded in one place: validation, the placeholder parser and the
// renderers all read text through DecodeUtf8At, so they agree on what is a
// character and what is not.

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::kernel {

// Number of Unicode code points, or -1 for invalid UTF-8.
int64_t Utf8Length(absl::string_view text);

// At most `max_bytes` bytes of `text`, cut on a character boundary and
// marked with "…" when cut, so a bounded copy of a caller's text stays
// valid UTF-8 (protobuf and JSON refuse a split character).
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// The two below are inline: validation decodes every character of every
// imported row.

// Decodes the character that starts at byte `at` of `text` strictly (no
// overlong forms, surrogates, values past U+10FFFF or truncated
// sequences). Returns its length in bytes and sets *code_point, or returns
// 0 when the bytes at `at` are not UTF-8. `at` must be < text.size().
inline size_t DecodeUtf8At(absl::string_view text, size_t at, uint32_t* code_point) {
  const auto c = static_cast<unsigned char>(text[at]);
  size_t extra;
  uint32_t value;
  if (c < 0x80) {
    extra = 0;
    value = c;
  } else if ((c & 0xE0) == 0xC0) {
    extra = 1;
    value = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    extra = 2;
    value = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    extra = 3;
    value = c & 0x07;
  } else {
    return 0;
  }
  if (at + extra >= text.size()) return 0;  // truncated sequence
  for (size_t k = 1; k <= extra; ++k) {
    const auto cc = static_cast<unsigned char>(text[at + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    value = (value << 6) | (cc & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[extra] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *code_point = value;
  return extra + 1;
}

// Whether a code point may stand in stored text: XML 1.0's Char production
// (no C0 controls but tab, newline and carriage return, no U+FFFE/U+FFFF,
// no surrogates) and no bidirectional embeddings, overrides or isolates
// (U+202A–U+202E, U+2066–U+2069), which make a document read otherwise
// than it is stored.
inline bool IsAllowedTextCodePoint(uint32_t c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  if (c == 0x7F) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if (c == 0xFFFE || c == 0xFFFF) return false;
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return false;
  return c <= 0x10FFFF;
}

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_UTF8_H_
