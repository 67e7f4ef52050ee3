#ifndef FAZHI_SERVICES_GATEWAY_RENDER_GONGWEN_H_
#define FAZHI_SERVICES_GATEWAY_RENDER_GONGWEN_H_

// The geometry of a 公文 (GB/T 9704-2012) that every renderer shares, as
// pure functions of character counts: how a long title breaks, where the
// 落款 stands, whether the organ's name heads the title. Widths are in half
// characters: a Chinese character or full-width mark is 2, an ASCII
// character (a digit of a date) 1.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/gateway/render/document.h"

namespace fazhi::render {

// The body's line: 28 characters of 3号 (16 pt) in the 156 mm text block.
inline constexpr int kLineChars = 28;
// The title's line: 2号 (22 pt) set 0.25 pt tight is 21.75 pt a character,
// and 156 mm = 442.2 pt holds 20 of them (20.3).
inline constexpr int kTitleLineChars = 20;

// Width of text in half characters.
int HalfWidths(absl::string_view text);

// Breaks a title into balanced lines of at most max_chars characters each,
// shaped as a trapezoid or diamond (no line narrower than both its
// neighbours), at word boundaries where it can: never inside a run of
// digits or Latin letters, before a closing or after an opening mark
// (避头尾), or inside `keep_whole` (the organ's name); preferably at the
// edges of words the titles of these reports are made of (关于, 年度,
// 法治政府, 建设, 情况, 报告…). The last line never has three characters or
// fewer (no lone "的报告"). A title holding newlines is the author's
// breaking and is kept as written (empty lines dropped).
std::vector<std::string> BreakTitle(absl::string_view title, int max_chars = kTitleLineChars,
                                    absl::string_view keep_whole = "");

// Where the 落款 without a seal stands (GB/T 9704-2012 §7.3.5.2): the 署名
// ends two characters in from the right edge; the date starts two
// characters right of the 署名's start; a date longer than the 署名 ends two
// characters in from the right instead, and the 署名 moves left to keep the
// offset. Widths and positions in any one unit (half characters for text,
// twips for DOCX), char_width being one character in it.
struct SignatureGeometry {
  int signature_left = 0;   // where the 署名 starts, from the left edge
  int signature_right = 0;  // room after it, to the right edge
  int date_left = 0;
  int date_right = 0;
  bool long_date = false;  // the date is longer than the 署名
};
SignatureGeometry LayOutSignature(int signature_width, int date_width,
                                  int line_width = 2 * kLineChars, int char_width = 2);

// The 主送机关 line: the addressee with a full-width colon, or empty.
std::string AddresseeLine(absl::string_view addressee);

// Whether the organ's name stands on a line of its own above the title: not
// under a 版头 (which carries it), and not when the title already holds it.
bool OrganAboveTitle(const Document& document);

// Whether the document has a 版头 (a report sent upward with its 发文字号).
bool HasHeader(const Document& document);

// What every renderer measures of a document the same way, measured once
// per document (LayOut) and handed to each renderer: the title's lines, the
// 主送机关 line, which of organ line and 版头 stand, and the widths of the
// 落款 in half characters.
struct Layout {
  bool has_header = false;
  bool organ_above_title = false;
  std::vector<std::string> title_lines;  // BreakTitle(title, kTitleLineChars, organ)
  std::string addressee_line;            // AddresseeLine(addressee)
  int header_mark_halves = 0;            // the 发文机关标志, organ + "文件"
  int document_number_halves = 0;
  int signature_halves = 0;
  int date_halves = 0;
  SignatureGeometry signature;  // on the 28-character line, in half characters
};
Layout LayOut(const Document& document);

}  // namespace fazhi::render

#endif  // FAZHI_SERVICES_GATEWAY_RENDER_GONGWEN_H_
