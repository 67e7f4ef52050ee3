// Plain text, Markdown and HTML renderings.

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/gateway/render/markup.h"
#include "services/gateway/render/renderer.h"

namespace fazhi::render {
namespace {

// Two ideographic spaces: the two-character first-line indent of 公文 body
// text in plain text.
constexpr char kIndent[] = "\u3000\u3000";

class TextRenderer : public Renderer {
 public:
  std::string format() const override { return "txt"; }
  std::string media_type() const override { return "text/plain; charset=utf-8"; }
  absl::StatusOr<std::string> Render(const Document& d) const override {
    std::string out;
    if (!d.organ.empty()) absl::StrAppend(&out, d.organ, "\n\n");
    absl::StrAppend(&out, d.title, "\n\n");
    if (!d.addressee.empty()) absl::StrAppend(&out, d.addressee, "\n");
    for (const Block& b : d.body) {
      if (b.kind == BlockKind::kHeading) {
        absl::StrAppend(&out, "\n", kIndent, b.number, b.text, "\n");
      } else {
        for (absl::string_view line : absl::StrSplit(b.text, '\n')) {
          absl::StrAppend(&out, kIndent, line, "\n");
        }
      }
    }
    out += "\n";
    if (!d.signature.empty()) absl::StrAppend(&out, d.signature, "\n");
    if (!d.date.empty()) absl::StrAppend(&out, d.date, "\n");
    return out;
  }
};

class MarkdownRenderer : public Renderer {
 public:
  std::string format() const override { return "md"; }
  std::string media_type() const override { return "text/markdown; charset=utf-8"; }
  absl::StatusOr<std::string> Render(const Document& d) const override {
    std::string out;
    if (!d.organ.empty()) absl::StrAppend(&out, "**", EscapeMarkdown(d.organ), "**\n\n");
    absl::StrAppend(&out, "# ", EscapeMarkdown(d.title), "\n\n");
    if (!d.addressee.empty()) absl::StrAppend(&out, EscapeMarkdown(d.addressee), "\n\n");
    for (const Block& b : d.body) {
      if (b.kind == BlockKind::kHeading) {
        absl::StrAppend(&out, std::string(std::min(b.level, 4) + 1, '#'), " ",
                        EscapeMarkdown(b.number), EscapeMarkdown(b.text), "\n\n");
      } else {
        for (absl::string_view line : absl::StrSplit(b.text, '\n')) {
          absl::StrAppend(&out, EscapeMarkdown(line), "\n\n");
        }
      }
    }
    if (!d.signature.empty()) absl::StrAppend(&out, "<p align=\"right\">", EscapeXml(d.signature), "</p>\n\n");
    if (!d.date.empty()) absl::StrAppend(&out, "<p align=\"right\">", EscapeXml(d.date), "</p>\n");
    return out;
  }
};

// GB/T 9704-2012 on screen and paper: A4, margins 37/26/35/28 mm, body 16 pt
// 仿宋 on a fixed 28.95 pt line, title 22 pt 小标宋, headings 黑体 and 楷体.
constexpr char kHtmlStyle[] = R"css(
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { margin: 0 auto; max-width: 156mm; font-family: "仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.95pt; color: #000; }
.organ { text-align: center; font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt; line-height: 1.4; margin: 0 0 0.5em; }
h1 { text-align: center; font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; line-height: 1.4; margin: 0 0 28.95pt; }
h2, h3, h4, h5 { font-size: 16pt; font-weight: normal; line-height: 28.95pt; margin: 0; text-indent: 2em; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; }
h3 { font-family: "楷体_GB2312", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.addressee { text-indent: 0; }
p.signature, p.date { text-indent: 0; text-align: right; padding-right: 4em; }
p.signature { margin-top: 28.95pt; }
@media screen { body { padding: 20mm 0; } }
)css";

class HtmlRenderer : public Renderer {
 public:
  std::string format() const override { return "html"; }
  std::string media_type() const override { return "text/html; charset=utf-8"; }
  absl::StatusOr<std::string> Render(const Document& d) const override {
    std::string out = absl::StrCat(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
        EscapeXml(d.title), "</title>\n<style>", kHtmlStyle, "</style>\n</head>\n<body>\n");
    if (!d.organ.empty()) absl::StrAppend(&out, "<div class=\"organ\">", EscapeXml(d.organ), "</div>\n");
    absl::StrAppend(&out, "<h1>", EscapeXml(d.title), "</h1>\n");
    if (!d.addressee.empty()) {
      absl::StrAppend(&out, "<p class=\"addressee\">", EscapeXml(d.addressee), "</p>\n");
    }
    for (const Block& b : d.body) {
      if (b.kind == BlockKind::kHeading) {
        const int h = std::min(b.level, 4) + 1;
        absl::StrAppend(&out, "<h", h, ">", EscapeXml(b.number), EscapeXml(b.text), "</h", h, ">\n");
      } else {
        for (absl::string_view line : absl::StrSplit(b.text, '\n')) {
          absl::StrAppend(&out, "<p>", EscapeXml(line), "</p>\n");
        }
      }
    }
    if (!d.signature.empty()) absl::StrAppend(&out, "<p class=\"signature\">", EscapeXml(d.signature), "</p>\n");
    if (!d.date.empty()) absl::StrAppend(&out, "<p class=\"date\">", EscapeXml(d.date), "</p>\n");
    out += "</body>\n</html>\n";
    return out;
  }
};

}  // namespace

std::unique_ptr<Renderer> MakeTextRenderer() { return std::make_unique<TextRenderer>(); }
std::unique_ptr<Renderer> MakeMarkdownRenderer() { return std::make_unique<MarkdownRenderer>(); }
std::unique_ptr<Renderer> MakeHtmlRenderer() { return std::make_unique<HtmlRenderer>(); }

std::unique_ptr<Renderer> RendererFor(absl::string_view format) {
  if (format == "txt" || format == "text") return MakeTextRenderer();
  if (format == "md" || format == "markdown") return MakeMarkdownRenderer();
  if (format == "html") return MakeHtmlRenderer();
  if (format == "docx") return MakeDocxRenderer();
  return nullptr;
}

std::vector<std::string> SupportedFormats() { return {"txt", "md", "html", "docx"}; }

}  // namespace fazhi::render
