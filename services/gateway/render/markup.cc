#include "services/gateway/render/markup.h"

namespace fazhi::render {

std::string EscapeXml(absl::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && ch != '\t' && ch != '\n') break;  // not allowed in XML 1.0
        out += ch;
    }
  }
  return out;
}

std::string EscapeMarkdown(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool line_start = true;
  for (char ch : text) {
    switch (ch) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '>':
      case '|': case '~':
        out += '\\';
        out += ch;
        break;
      case '#': case '-': case '+': case '=':
        if (line_start) out += '\\';
        out += ch;
        break;
      default:
        out += ch;
    }
    line_start = ch == '\n';
  }
  return out;
}

}  // namespace fazhi::render
