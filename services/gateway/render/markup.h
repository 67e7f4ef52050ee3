#ifndef FAZHI_SERVICES_GATEWAY_RENDER_MARKUP_H_
#define FAZHI_SERVICES_GATEWAY_RENDER_MARKUP_H_

#include <string>

#include "absl/strings/string_view.h"

namespace fazhi::render {

// Escapes text for XML and HTML element content and attribute values, and
// drops characters XML 1.0 forbids (control characters other than tab and
// newline, U+FFFE, U+FFFF) and the bidirectional overrides, so narrative
// text can never become markup; bytes that are not UTF-8 become U+FFFD.
std::string EscapeXml(absl::string_view text);

// Escapes Markdown's inline and line-start syntax and `&` so text stays
// text; drops what EscapeXml drops.
std::string EscapeMarkdown(absl::string_view text);

}  // namespace fazhi::render

#endif  // FAZHI_SERVICES_GATEWAY_RENDER_MARKUP_H_
