#include "services/kernel/utf8.h"

#include "absl/strings/str_cat.h"

namespace fazhi::kernel {

size_t DecodeUtf8At(absl::string_view text, size_t at, uint32_t* code_point) {
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

int64_t Utf8Length(absl::string_view text) {
  int64_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    uint32_t code_point;
    const size_t length = DecodeUtf8At(text, i, &code_point);
    if (length == 0) return -1;
    i += length;
  }
  return count;
}

std::string TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  static constexpr absl::string_view kMark = "…";
  if (max_bytes < kMark.size()) return "";
  size_t cut = max_bytes - kMark.size();
  // Back off continuation bytes to the start of the character they belong to.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat(text.substr(0, cut), kMark);
}

bool IsAllowedTextCodePoint(uint32_t c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  if (c == 0x7F) return false;
  if (c >= 0xD800 && c <= 0xDFFF) return false;
  if (c == 0xFFFE || c == 0xFFFF) return false;
  if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return false;
  return c <= 0x10FFFF;
}

}  // namespace fazhi::kernel
