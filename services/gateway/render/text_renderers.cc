// Plain text, Markdown and HTML renderings.

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/gateway/render/gongwen.h"
#include "services/gateway/render/markup.h"
#include "services/gateway/render/renderer.h"

namespace fazhi::render {
namespace {

// Two ideographic spaces: the two-character first-line indent of 公文 body
// text in plain text.
constexpr char kIndent[] = "\u3000\u3000";

// Blank room of `halves` half characters: ideographic spaces and, for an
// odd count, one ASCII space.
std::string Room(int halves) {
  std::string out;
  for (int i = 0; i < halves / 2; ++i) out += "\u3000";
  if (halves % 2 != 0) out += " ";
  return out;
}

// A line centred on the 28-character line.
std::string Centred(absl::string_view line) {
  return absl::StrCat(Room(std::max(0, 2 * kLineChars - HalfWidths(line)) / 2), line);
}

class TextRenderer : public Renderer {
 public:
  std::string format() const override { return "txt"; }
  std::string media_type() const override { return "text/plain; charset=utf-8"; }
  absl::StatusOr<std::string> Render(const Document& d, const Layout& layout) const override {
    std::string out;
    if (layout.has_header) {
      // 版头: the 发文机关标志, then 发文字号 one character in from the left
      // and 签发人 one in from the right, over the rule.
      absl::StrAppend(&out, Centred(absl::StrCat(d.organ, "文件")), "\n\n");
      const std::string issuer = d.issuer.empty() ? "" : absl::StrCat("签发人：", d.issuer);
      const int room = 2 * kLineChars - 4 - layout.document_number_halves - HalfWidths(issuer);
      absl::StrAppend(&out, Room(2), d.document_number, Room(std::max(room, 2)), issuer, "\n");
      for (int i = 0; i < kLineChars; ++i) out += "\u2501";
      out += "\n\n";
    }
    if (layout.organ_above_title) absl::StrAppend(&out, Centred(d.organ), "\n\n");
    for (const std::string& line : layout.title_lines) absl::StrAppend(&out, Centred(line), "\n");
    out += "\n";
    if (!layout.addressee_line.empty()) absl::StrAppend(&out, layout.addressee_line, "\n");
    for (const Block& b : d.body) {
      if (b.kind == BlockKind::kHeading) {
        absl::StrAppend(&out, "\n", kIndent, b.number, b.text, "\n");
      } else {
        for (absl::string_view line : absl::StrSplit(b.text, '\n')) {
          absl::StrAppend(&out, kIndent, line, "\n");
        }
      }
    }
    // 落款 (GB/T 9704 §7.3.5.2) on the 28-character line.
    out += "\n";
    const SignatureGeometry& g = layout.signature;
    if (!d.signature.empty()) absl::StrAppend(&out, Room(g.signature_left), d.signature, "\n");
    if (!d.date.empty()) absl::StrAppend(&out, Room(g.date_left), d.date, "\n");
    return out;
  }
};

class MarkdownRenderer : public Renderer {
 public:
  std::string format() const override { return "md"; }
  std::string media_type() const override { return "text/markdown; charset=utf-8"; }
  absl::StatusOr<std::string> Render(const Document& d, const Layout& layout) const override {
    std::string out;
    if (layout.has_header) {
      absl::StrAppend(&out, "**", EscapeMarkdown(absl::StrCat(d.organ, "文件")), "**\n\n",
                      EscapeMarkdown(d.document_number));
      if (!d.issuer.empty()) absl::StrAppend(&out, "\u3000签发人：", EscapeMarkdown(d.issuer));
      out += "\n\n---\n\n";
    }
    if (layout.organ_above_title) absl::StrAppend(&out, "**", EscapeMarkdown(d.organ), "**\n\n");
    absl::StrAppend(&out, "# ", EscapeMarkdown(absl::StrJoin(layout.title_lines, "")), "\n\n");
    if (!layout.addressee_line.empty()) {
      absl::StrAppend(&out, EscapeMarkdown(layout.addressee_line), "\n\n");
    }
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
    if (!d.signature.empty())
      absl::StrAppend(&out, "<p align=\"right\">", EscapeXml(d.signature), "</p>\n\n");
    if (!d.date.empty()) absl::StrAppend(&out, "<p align=\"right\">", EscapeXml(d.date), "</p>\n");
    return out;
  }
};

// GB/T 9704-2012 on screen and paper: A4, margins 37/26/35/28 mm, body 16 pt
// 仿宋 on a fixed 28.95 pt line, each character set 0.25 pt tight so that 28
// fill the 156 mm line (as in the DOCX), title 22 pt 小标宋, headings 黑体
// and 楷体. Line ends: strict 避头尾, no punctuation hung past the text
// block, no extra room between Chinese and Latin text (widths stay
// countable). The style is the same for every document (the web page admits
// it by its hash), so what varies (the 落款's case, the 版头 mark's size) is
// a class.
constexpr char kHtmlStyle[] = R"css(
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { --char: calc(1em - 0.25pt); margin: 0 auto; max-width: 156mm; font-family: "仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 28.95pt; letter-spacing: -0.25pt; color: #000; line-break: strict; word-break: normal; overflow-wrap: normal; hanging-punctuation: none; text-autospace: no-autospace; text-spacing-trim: space-all; }
.organ { text-align: center; font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt; line-height: 1.4; margin: 0 0 0.5em; }
.header { margin: 0 0 57.9pt; }
.organ-mark { text-align: center; color: #e60012; font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 42pt; line-height: 1.2; white-space: nowrap; margin: 0 0 28.95pt; }
.organ-mark.size-2 { font-size: 30pt; }
.organ-mark.size-3 { font-size: 22pt; }
.organ-mark.size-4 { font-size: 15pt; }
.number-line { display: flex; justify-content: space-between; text-indent: 0; padding: 0 var(--char) 4mm; border-bottom: 1.5pt solid #e60012; }
.issuer-name { font-family: "楷体_GB2312", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; }
h1 { text-align: center; font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal; line-height: 1.4; margin: 0 0 28.95pt; }
h2, h3, h4, h5 { font-size: 16pt; font-weight: normal; line-height: 28.95pt; margin: 0; text-indent: 2em; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; }
h3 { font-family: "楷体_GB2312", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.addressee { text-indent: 0; }
.closing { width: fit-content; margin: 28.95pt calc(2 * var(--char)) 0 auto; }
.closing p { text-indent: 0; text-align: left; white-space: nowrap; }
.closing .date { padding-left: calc(2 * var(--char)); margin-right: calc(-2 * var(--char)); }
.closing.long-date .date { margin-right: 0; }
@media screen { body { padding: 20mm 0; } }
)css";

class HtmlRenderer : public Renderer {
 public:
  std::string format() const override { return "html"; }
  std::string media_type() const override { return "text/html; charset=utf-8"; }
  absl::StatusOr<std::string> Render(const Document& d, const Layout& layout) const override {
    std::string out = absl::StrCat(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
        EscapeXml(d.title), "</title>\n<style>", kHtmlStyle, "</style>\n</head>\n<body>\n");
    if (layout.has_header) {
      const std::string mark = absl::StrCat(d.organ, "文件");
      const int chars = layout.header_mark_halves / 2;
      const char* size = chars <= 10   ? ""
                         : chars <= 14 ? " size-2"
                         : chars <= 20 ? " size-3"
                                       : " size-4";
      absl::StrAppend(&out, "<div class=\"header\">\n<div class=\"organ-mark", size, "\">",
                      EscapeXml(mark), "</div>\n<div class=\"number-line\"><span class=\"number\">",
                      EscapeXml(d.document_number), "</span>");
      if (!d.issuer.empty()) {
        absl::StrAppend(&out, "<span class=\"issuer\">签发人：<span class=\"issuer-name\">",
                        EscapeXml(d.issuer), "</span></span>");
      }
      out += "</div>\n</div>\n";
    }
    if (layout.organ_above_title)
      absl::StrAppend(&out, "<div class=\"organ\">", EscapeXml(d.organ), "</div>\n");
    std::vector<std::string> title;
    for (const std::string& line : layout.title_lines) title.push_back(EscapeXml(line));
    absl::StrAppend(&out, "<h1>", absl::StrJoin(title, "<br>"), "</h1>\n");
    if (!layout.addressee_line.empty()) {
      absl::StrAppend(&out, "<p class=\"addressee\">", EscapeXml(layout.addressee_line), "</p>\n");
    }
    for (const Block& b : d.body) {
      if (b.kind == BlockKind::kHeading) {
        const int h = std::min(b.level, 4) + 1;
        absl::StrAppend(&out, "<h", h, ">", EscapeXml(b.number), EscapeXml(b.text), "</h", h,
                        ">\n");
      } else {
        for (absl::string_view line : absl::StrSplit(b.text, '\n')) {
          absl::StrAppend(&out, "<p>", EscapeXml(line), "</p>\n");
        }
      }
    }
    // 落款: a box as wide as the longer of 署名 and date (the date counting
    // two characters less, or not, by case), two characters in from the right.
    if (!d.signature.empty() || !d.date.empty()) {
      absl::StrAppend(&out, "<div class=\"closing", layout.signature.long_date ? " long-date" : "",
                      "\">\n");
      if (!d.signature.empty())
        absl::StrAppend(&out, "<p class=\"signature\">", EscapeXml(d.signature), "</p>\n");
      if (!d.date.empty()) absl::StrAppend(&out, "<p class=\"date\">", EscapeXml(d.date), "</p>\n");
      out += "</div>\n";
    }
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
