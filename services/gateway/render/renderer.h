#ifndef FAZHI_SERVICES_GATEWAY_RENDER_RENDERER_H_
#define FAZHI_SERVICES_GATEWAY_RENDER_RENDERER_H_

// One renderer per output format, behind one interface.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/gateway/render/document.h"
#include "services/gateway/render/gongwen.h"

namespace fazhi::render {

class Renderer {
 public:
  virtual ~Renderer() = default;
  virtual std::string format() const = 0;      // "txt", "md", "html", "docx"
  virtual std::string media_type() const = 0;  // e.g. "text/html; charset=utf-8"
  // `layout` is LayOut(document), measured once for all the formats of a
  // document.
  virtual absl::StatusOr<std::string> Render(const Document& document,
                                             const Layout& layout) const = 0;
  absl::StatusOr<std::string> Render(const Document& document) const {
    return Render(document, LayOut(document));
  }
};

std::unique_ptr<Renderer> MakeTextRenderer();
std::unique_ptr<Renderer> MakeMarkdownRenderer();
std::unique_ptr<Renderer> MakeHtmlRenderer();
std::unique_ptr<Renderer> MakeDocxRenderer();

// The DOCX package of `document`. Its parts that are the same for every
// document are deflated once and copied into each package; with
// reuse_fixed_parts false they are deflated afresh (the bytes are the same:
// a test checks it).
absl::StatusOr<std::string> RenderDocx(const Document& document, const Layout& layout,
                                       bool reuse_fixed_parts);

// The renderer for a format name ("txt"/"text", "md"/"markdown", "html",
// "docx"), or null.
std::unique_ptr<Renderer> RendererFor(absl::string_view format);
std::vector<std::string> SupportedFormats();

}  // namespace fazhi::render

#endif  // FAZHI_SERVICES_GATEWAY_RENDER_RENDERER_H_
