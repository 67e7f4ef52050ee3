#include "services/kernel/utf8.h"

#include "absl/strings/str_cat.h"

namespace fazhi::kernel {

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

}  // namespace fazhi::kernel
