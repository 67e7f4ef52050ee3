// Narrative text reaches HTML and DOCX (XML) renderings: whatever it holds,
// it must come out inert — escaped text has no markup characters left, and
// every '&' starts one of the entities the escaper writes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/gateway/render/markup.h"
#include "services/gateway/render/renderer.h"

namespace {

bool StartsEntity(const std::string& s, size_t i) {
  for (const char* entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"}) {
    if (s.compare(i, std::char_traits<char>::length(entity), entity) == 0) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string escaped = fazhi::render::EscapeXml(text);
  for (size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    if (c == '<' || c == '>' || c == '"' || c == '\'') std::abort();
    if (c == '&' && !StartsEntity(escaped, i)) std::abort();
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') std::abort();
  }
  fazhi::render::Document d;
  d.title = text;
  d.body.push_back({fazhi::render::BlockKind::kHeading, 1, "", text});
  d.body.push_back({fazhi::render::BlockKind::kParagraph, 0, "", text});
  fazhi::render::NumberHeadings(d);
  for (const char* format : {"html", "md", "txt"}) {
    auto rendered = fazhi::render::RendererFor(format)->Render(d);
    if (!rendered.ok()) std::abort();
  }
  const auto html = fazhi::render::RendererFor("html")->Render(d);
  // The text adds no element: exactly the tags the renderer writes.
  size_t paragraphs = 0;
  for (size_t at = html->find("<p>"); at != std::string::npos; at = html->find("<p>", at + 1))
    ++paragraphs;
  size_t lines = 1;
  for (char c : text) lines += c == '\n';
  if (paragraphs != lines) std::abort();
  return 0;
}
