#ifndef FAZHI_SERVICES_GATEWAY_RENDER_DOCUMENT_H_
#define FAZHI_SERVICES_GATEWAY_RENDER_DOCUMENT_H_

// The composed annual report as a 公文 (official document), ready to render.
// Composition fills it; the renderers only lay it out. Heading numbers are
// computed here (NumberHeadings), never typed by authors.

#include <string>
#include <vector>

namespace fazhi::render {

enum class BlockKind {
  kHeading,    // level 1 "一、", 2 "（一）", 3 "1.", 4 "（1）"
  kParagraph,  // body text, first line indented two characters
};

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;       // headings only: 1..4
  std::string number;  // headings: "一、", "（二）", … (NumberHeadings fills it)
  std::string text;
  // A heading may run on into its paragraph on the same line, as 公文 often
  // do for level 2 and below ("（一）标题。正文……"); kept simple: separate.
};

struct Document {
  std::string organ;  // issuing organ (发文机关)
  // 版头, for a report sent upward: shown when document_number is set, as
  // the 发文机关标志 (organ + "文件") in red over a red rule, then the
  // 发文字号 and, a report being 上行文, its 签发人 on one line.
  std::string document_number;  // 发文字号, e.g. "鲁民〔2025〕3号"
  std::string issuer;           // 签发人 (the head who signs it off)
  std::string title;            // may hold the author's line breaks
  std::string addressee;        // 主送机关, e.g. "县委依法治县办" (optional)
  std::vector<Block> body;
  std::string signature;  // the organ's name at the end (署名)
  std::string date;       // 成文日期, "2025年1月15日"
};

// "一", "十", "十一", "二十", "一百零一" … for 1..999.
std::string ChineseNumeral(int n);

// Numbers every heading by level, restarting a level's count under each
// heading of the level above: 一、（一）（二）二、（一）…
void NumberHeadings(Document& document);

// Label of a heading of `level` at position `n` (1-based).
std::string HeadingLabel(int level, int n);

}  // namespace fazhi::render

#endif  // FAZHI_SERVICES_GATEWAY_RENDER_DOCUMENT_H_
