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
  std::string organ;       // issuing organ, may stand above the title
  std::string title;
  std::string addressee;   // 主送机关, e.g. "县委、县政府：" (optional)
  std::vector<Block> body;
  std::string signature;   // the organ's name at the end
  std::string date;        // "2025年1月15日"
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
