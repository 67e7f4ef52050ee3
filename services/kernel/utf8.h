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

// Decodes the character that starts at byte `at` of `text` strictly (no
// overlong forms, surrogates, values past U+10FFFF or truncated
// sequences). Returns its length in bytes and sets *code_point, or returns
// 0 when the bytes at `at` are not UTF-8. `at` must be < text.size().
size_t DecodeUtf8At(absl::string_view text, size_t at, uint32_t* code_point);

// Number of Unicode code points, or -1 for invalid UTF-8.
int64_t Utf8Length(absl::string_view text);

// At most `max_bytes` bytes of `text`, cut on a character boundary and
// marked with "…" when cut, so a bounded copy of a caller's text stays
// valid UTF-8 (protobuf and JSON refuse a split character).
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

// Whether a code point may stand in stored text: XML 1.0's Char production
// (no C0 controls but tab, newline and carriage return, no U+FFFE/U+FFFF,
// no surrogates) and no bidirectional embeddings, overrides or isolates
// (U+202A–U+202E, U+2066–U+2069), which make a document read otherwise
// than it is stored.
bool IsAllowedTextCodePoint(uint32_t code_point);

}  // namespace fazhi::kernel

#endif  // FAZHI_SERVICES_KERNEL_UTF8_H_
