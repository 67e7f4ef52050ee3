// DOCX (Office Open XML) rendering following GB/T 9704-2012 《党政机关公文格式》:
// A4, text block 156 × 225 mm (margins: top 37, bottom 35, left 28, right
// 26 mm), body 3号 (16 pt) 仿宋 on 22 lines of 28 characters, title 2号
// (22 pt) 小标宋 centred, "一、" headings 黑体, "（一）" 楷体, page numbers
// "— 1 —" in 4号 (14 pt) 宋体, odd pages right, even pages left.
//
// The package is zipped with libzip; entries get a fixed time so the same
// document always gives the same bytes (and the same SHA-256 when published).

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/gateway/render/gongwen.h"
#include "services/gateway/render/markup.h"
#include "services/gateway/render/renderer.h"
#include "services/kernel/utf8.h"

namespace fazhi::render {
namespace {

// Twentieths of a point (twips); 1 mm = 56.7 twips.
constexpr int kPageWidth = 11906, kPageHeight = 16838;
constexpr int kMarginTop = 2098, kMarginBottom = 1984, kMarginLeft = 1588, kMarginRight = 1474;
constexpr int kFooterDistance = 1247;  // 22 mm: the page number sits ~7 mm below the text block
// 225 mm / 22 lines ≈ 579 twips ≈ 28.95 pt per line.
constexpr int kLinePitch = 579;
// 156 mm / 28 characters ≈ 15.8 pt per character for 16 pt type: each
// character is set 0.25 pt (5 twips) tighter. (A character grid would do the
// same in Word, but LibreOffice gives a glyph wider than its grid cell two
// cells, halving the line; plain letter-spacing reads the same everywhere.)
constexpr int kLetterSpacing = -5;
// One 3号 character as set: 16 pt less the letter spacing, in twips; and
// the text block's width.
constexpr int kCharTwips = 320 + kLetterSpacing;
constexpr int kTextWidth = kPageWidth - kMarginLeft - kMarginRight;  // 8844: 156 mm
// Word and LibreOffice put a little room between Chinese text and Latin
// letters or digits (LibreOffice 7.4 ignores w:autoSpaceDE/DN="0"): 3.45 pt
// measured in LibreOffice at 16 pt. A width that decides where the 落款
// stands counts it at each change of script.
constexpr int kAutoSpaceTwips = 69;
// Room LibreOffice needs for a mark it hangs past a line: its 16 pt box.
constexpr int kHangRoomTwips = 330;

constexpr char kFangSong[] = "仿宋_GB2312";
constexpr char kXiaoBiaoSong[] = "方正小标宋简体";
constexpr char kHeiTi[] = "黑体";
constexpr char kKaiTi[] = "楷体_GB2312";
constexpr char kSongTi[] = "宋体";
// Latin letters and digits: Times New Roman, half a character wide as the
// 公文 expect (LibreOffice sets it in its metric twin, Liberation Serif).
constexpr char kLatin[] = "Times New Roman";

std::string Fonts(const char* east_asian, const char* latin) {
  return absl::StrCat("<w:rFonts w:ascii=\"", latin, "\" w:hAnsi=\"", latin, "\" w:eastAsia=\"",
                      east_asian, "\" w:cs=\"", latin, "\"/>");
}

std::string Run(absl::string_view text) {
  return absl::StrCat("<w:r><w:t xml:space=\"preserve\">", EscapeXml(text), "</w:t></w:r>");
}

std::string Paragraph(absl::string_view style, absl::string_view text, absl::string_view ppr = "") {
  return absl::StrCat("<w:p><w:pPr><w:pStyle w:val=\"", style, "\"/>", ppr, "</w:pPr>", Run(text),
                      "</w:p>");
}

// Width of a line of body text in twips, as the 落款's geometry counts it.
int Twips(absl::string_view text) {
  int twips = HalfWidths(text) * kCharTwips / 2;
  bool latin = false;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool is_latin = c < 0x80;
    if (i > 0 && is_latin != latin) twips += kAutoSpaceTwips;
    latin = is_latin;
    uint32_t code_point;
    const size_t length = kernel::DecodeUtf8At(text, i, &code_point);
    i += length == 0 ? 1 : length;
  }
  return twips;
}

// 版头 of a report sent upward: the 发文机关标志 in red, then the 发文字号
// one character in from the left and the 签发人 one in from the right on one
// line, over a red rule as wide as the text block.
std::string Header(const Document& d, const Layout& layout) {
  const std::string mark = absl::StrCat(d.organ, "文件");
  // At most 42 pt (初号), smaller when the name would not fit the line.
  const int chars = std::max(1, layout.header_mark_halves / 2);
  const int half_points = std::min(84, 2 * 420 / chars);
  std::string out = absl::StrCat(
      "<w:p><w:pPr><w:pStyle w:val=\"OrganMark\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"", half_points,
      "\"/><w:szCs w:val=\"", half_points, "\"/></w:rPr><w:t xml:space=\"preserve\">",
      EscapeXml(mark), "</w:t></w:r></w:p>");
  out += Paragraph("Normal", "", "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>");
  absl::StrAppend(
      &out, "<w:p><w:pPr><w:pStyle w:val=\"NumberLine\"/><w:tabs><w:tab w:val=\"right\" w:pos=\"",
      kTextWidth - kCharTwips, "\"/></w:tabs></w:pPr>", Run(d.document_number));
  if (!d.issuer.empty()) {
    absl::StrAppend(&out, "<w:r><w:tab/><w:t xml:space=\"preserve\">签发人：</w:t></w:r>",
                    "<w:r><w:rPr>", Fonts(kKaiTi, "KaiTi"), "</w:rPr><w:t xml:space=\"preserve\">",
                    EscapeXml(d.issuer), "</w:t></w:r>");
  }
  out += "</w:p>";
  // The title stands two lines below the rule.
  out += Paragraph("Normal", "");
  return out;
}

// 落款 without a seal (GB/T 9704-2012 §7.3.5.2): both lines set from the
// left, at positions counted from the text block's right edge, so the date
// starts exactly two characters right of the 署名.
std::string Closing(const Document& d) {
  const SignatureGeometry g =
      LayOutSignature(Twips(d.signature), Twips(d.date), kTextWidth, kCharTwips);
  std::string out = Paragraph("Normal", "");  // one blank line below the body
  auto line = [](absl::string_view text, int left) {
    return Paragraph("Closing", text,
                     absl::StrCat("<w:ind w:left=\"", left, "\" w:leftChars=\"0\"/>"));
  };
  if (!d.signature.empty()) out += line(d.signature, g.signature_left);
  if (!d.date.empty()) out += line(d.date, g.date_left);
  return out;
}

std::string DocumentXml(const Document& d, const Layout& layout) {
  std::string body;
  if (layout.has_header) body += Header(d, layout);
  if (layout.organ_above_title) body += Paragraph("Organ", d.organ);
  for (const std::string& line : layout.title_lines) body += Paragraph("Title", line);
  body += Paragraph("Normal", "");  // the blank line under the title
  if (!layout.addressee_line.empty()) body += Paragraph("Addressee", layout.addressee_line);
  for (const Block& b : d.body) {
    if (b.kind == BlockKind::kHeading) {
      body += Paragraph(absl::StrCat("Heading", std::clamp(b.level, 1, 4)), b.number + b.text);
    } else {
      for (absl::string_view line : absl::StrSplit(b.text, '\n')) body += Paragraph("Normal", line);
    }
  }
  if (!d.signature.empty() || !d.date.empty()) body += Closing(d);
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      "\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>",
      body,
      "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>"
      "<w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>",
      absl::StrCat("<w:pgSz w:w=\"", kPageWidth, "\" w:h=\"", kPageHeight, "\"/>"),
      absl::StrCat("<w:pgMar w:top=\"", kMarginTop, "\" w:right=\"", kMarginRight, "\" w:bottom=\"",
                   kMarginBottom, "\" w:left=\"", kMarginLeft, "\" w:header=\"851\" w:footer=\"",
                   kFooterDistance, "\" w:gutter=\"0\"/>"),
      absl::StrCat("<w:docGrid w:type=\"lines\" w:linePitch=\"", kLinePitch, "\"/>"),
      "</w:sectPr></w:body></w:document>");
}

std::string ParagraphStyle(absl::string_view id, absl::string_view name, absl::string_view ppr,
                           absl::string_view rpr) {
  return absl::StrCat("<w:style w:type=\"paragraph\" w:styleId=\"", id, "\"><w:name w:val=\"", name,
                      "\"/>", id == "Normal" ? "" : "<w:basedOn w:val=\"Normal\"/>",
                      "<w:qFormat/><w:pPr>", ppr, "</w:pPr><w:rPr>", rpr, "</w:rPr></w:style>");
}

std::string StylesXml() {
  const std::string line = absl::StrCat("<w:spacing w:line=\"", kLinePitch,
                                        "\" w:lineRule=\"exact\" w:before=\"0\" w:after=\"0\"/>");
  // Text that can fill a line keeps its punctuation inside the 版心 (避头尾
  // within the text block). ISO/IEC 29500-1 §17.3.1.21: w:overflowPunct on
  // (also when omitted) lets a closing mark extend one character past the
  // text extents, so the docDefaults say val="0", which Word and WPS follow.
  // LibreOffice's DOCX import (7.4, and its source since) maps the value the
  // other way round (val="0" turns its hanging punctuation on, "1" off) and
  // applies it at every level Word reads too, so no value of it is right in
  // both. What tells them apart: Word lets w:rightChars override w:right,
  // LibreOffice ignores w:rightChars. So these paragraphs carry a right
  // indent that only LibreOffice applies (w:right: a 16 pt mark's box and a
  // little) and w:rightChars="0" for Word: in LibreOffice a full line then
  // holds 27 characters and a hung mark stays inside the 版心; Word keeps 28
  // a line and hangs nothing. Lines that never fill (title, 落款) say 0.
  const std::string right = absl::StrCat(" w:rightChars=\"0\" w:right=\"", kHangRoomTwips, "\"");
  const std::string no_right = " w:rightChars=\"0\" w:right=\"0\"";
  // Two characters of 16 pt: 640 twips; firstLineChars for grid-aware apps.
  const std::string indent =
      absl::StrCat("<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"", right, "/>");
  const std::string size16 = absl::StrCat("<w:spacing w:val=\"", kLetterSpacing,
                                          "\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>");
  const std::string fangsong = Fonts(kFangSong, kLatin);
  auto heading = [&](int level, const char* east_asian, const char* latin) {
    return ParagraphStyle(
        absl::StrCat("Heading", level), absl::StrCat("heading ", level),
        absl::StrCat("<w:keepNext/>", line, indent, "<w:outlineLvl w:val=\"", level, "\"/>"),
        absl::StrCat(Fonts(east_asian, latin), size16));
  };
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      "\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:docDefaults><w:rPrDefault><w:rPr>",
      fangsong, size16,
      "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>"
      "<w:pPrDefault><w:pPr><w:overflowPunct w:val=\"0\"/><w:snapToGrid "
      "w:val=\"1\"/></w:pPr></w:pPrDefault>"
      "</w:docDefaults>",
      ParagraphStyle("Normal", "Normal", absl::StrCat(line, indent, "<w:jc w:val=\"both\"/>"),
                     absl::StrCat(fangsong, size16)),
      ParagraphStyle("Organ", "Organ",
                     absl::StrCat("<w:spacing w:line=\"720\" w:lineRule=\"exact\"/><w:ind "
                                  "w:firstLineChars=\"0\" w:firstLine=\"0\"",
                                  no_right, "/><w:jc w:val=\"center\"/>"),
                     absl::StrCat(Fonts(kXiaoBiaoSong, "SimSun"),
                                  "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>")),
      // 发文机关标志: red 小标宋, centred, off the line grid (it is larger).
      ParagraphStyle("OrganMark", "Organ Mark",
                     absl::StrCat("<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" "
                                  "w:lineRule=\"auto\" w:before=\"0\" w:after=\"0\"/>"
                                  "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"",
                                  no_right, "/><w:jc w:val=\"center\"/>"),
                     absl::StrCat(Fonts(kXiaoBiaoSong, "SimSun"), "<w:color w:val=\"FF0000\"/>")),
      // 发文字号 and 签发人 over the red rule, 4 mm (11 pt) below the text.
      ParagraphStyle("NumberLine", "Number Line",
                     absl::StrCat("<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"11\" "
                                  "w:color=\"FF0000\"/></w:pBdr>",
                                  line, "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\" w:left=\"",
                                  kCharTwips, "\"", no_right, "/><w:jc w:val=\"left\"/>"),
                     absl::StrCat(fangsong, size16)),
      ParagraphStyle(
          "Title", "Title",
          absl::StrCat("<w:spacing w:line=\"720\" w:lineRule=\"exact\"/><w:ind "
                       "w:firstLineChars=\"0\" w:firstLine=\"0\"",
                       no_right, "/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/>"),
          absl::StrCat(Fonts(kXiaoBiaoSong, "SimSun"),
                       "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>")),
      ParagraphStyle(
          "Addressee", "Addressee",
          absl::StrCat(line, "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"", right, "/>"),
          absl::StrCat(fangsong, size16)),
      heading(1, kHeiTi, "SimHei"), heading(2, kKaiTi, "KaiTi"), heading(3, kFangSong, kLatin),
      heading(4, kFangSong, kLatin),
      // 落款 lines: set from the left at the positions Closing() computes.
      ParagraphStyle("Closing", "Closing",
                     absl::StrCat(line, "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"", no_right,
                                  "/><w:jc w:val=\"left\"/>"),
                     absl::StrCat(fangsong, size16)),
      ParagraphStyle(
          "PageNumber", "Page Number", "<w:ind w:firstLine=\"0\"/>",
          absl::StrCat(Fonts(kSongTi, "SimSun"), "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")),
      "</w:styles>");
}

std::string FooterXml(bool odd) {
  // "— 1 —": em dashes around the PAGE field; odd pages right, even left,
  // each one character in from the edge of the text block.
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      "\n<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
      "<w:p><w:pPr><w:pStyle w:val=\"PageNumber\"/>",
      odd ? "<w:ind w:right=\"280\"/><w:jc w:val=\"right\"/>"
          : "<w:ind w:left=\"280\"/><w:jc w:val=\"left\"/>",
      "</w:pPr>", Run("— "),
      "<w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>", Run(" —"),
      "</w:p></w:ftr>");
}

std::string FontTableXml() {
  // Each Chinese face with the name Word/WPS know it by as an alternative;
  // LibreOffice substitutes an installed CJK face (e.g. Noto Serif CJK SC).
  auto font = [](const char* name, const char* alt, const char* family) {
    return absl::StrCat("<w:font w:name=\"", name, "\"><w:altName w:val=\"", alt,
                        "\"/><w:charset w:val=\"86\"/><w:family w:val=\"", family, "\"/></w:font>");
  };
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      "\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
      font(kFangSong, "仿宋", "modern"), font(kXiaoBiaoSong, "宋体", "roman"),
      font(kHeiTi, "SimHei", "modern"), font(kKaiTi, "楷体", "modern"),
      font(kSongTi, "SimSun", "roman"), "</w:fonts>");
}

constexpr char kContentTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>)";

constexpr char kPackageRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>)";

constexpr char kDocumentRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>)";

// Odd and even pages get their own footers (page number right or left).
constexpr char kSettings[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="640"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>)";

std::string CoreXml(const Document& d) {
  return absl::StrCat(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      "\n<cp:coreProperties "
      "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>",
      EscapeXml(d.title), "</dc:title><dc:creator>",
      EscapeXml(d.organ.empty() ? d.signature : d.organ),
      "</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>");
}

// An entry of the package: its text, or (fixed >= 0) the index of an
// entry of the fixed parts' archive, copied still deflated.
//
// How a part is compressed: the fixed parts, zipped once, by libzip at the
// highest level; a document's own text, deflated at every rendering, here
// at the fastest (DeflatedSource); core.xml, a few hundred bytes, is stored:
// a compressor's set-up costs more than the bytes it would save.
enum class Packing { kLibzipBest, kFastest, kStored };
struct Part {
  const char* name;
  std::string content;
  int fixed = -1;
  Packing packing = Packing::kLibzipBest;
};

// A part deflated here and handed to libzip already compressed, which
// libzip copies as it is (as it copies an entry of another archive).
// libzip's own compressor sets up a full-size zlib state for every part
// (a 32 KiB window and a 64 KiB hash table, allocated and cleared), which
// for a document of a few kilobytes cost more than deflating it; here the
// window and the hash are sized to the text.
struct Deflated {
  std::string bytes;
  zip_uint64_t size = 0;
  zip_uint32_t crc = 0;
  zip_uint64_t offset = 0;  // read position
  zip_error_t error;
};

absl::StatusOr<std::unique_ptr<Deflated>> DeflateFastest(absl::string_view text) {
  auto out = std::make_unique<Deflated>();
  zip_error_init(&out->error);
  out->size = text.size();
  out->crc = static_cast<zip_uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size())));
  int window_bits = 9;  // zlib's smallest raw window
  while (window_bits < 15 && (size_t{1} << window_bits) < text.size()) ++window_bits;
  const int mem_level = std::clamp(window_bits - 8, 1, 8);
  z_stream stream;
  std::memset(&stream, 0, sizeof stream);
  if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, -window_bits, mem_level,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return absl::InternalError("zip: cannot start deflating");
  }
  out->bytes.resize(deflateBound(&stream, static_cast<uLong>(text.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out->bytes.data());
  stream.avail_out = static_cast<uInt>(out->bytes.size());
  const int result = deflate(&stream, Z_FINISH);
  out->bytes.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return absl::InternalError("zip: cannot deflate a part");
  return out;
}

// libzip's source callback over a Deflated, which it owns (ZIP_SOURCE_FREE).
zip_int64_t DeflatedSource(void* state, void* data, zip_uint64_t length, zip_source_cmd_t cmd) {
  auto* part = static_cast<Deflated*>(state);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      part->offset = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const zip_uint64_t n = std::min<zip_uint64_t>(length, part->bytes.size() - part->offset);
      std::memcpy(data, part->bytes.data() + part->offset, n);
      part->offset += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* stat = static_cast<zip_stat_t*>(data);
      zip_stat_init(stat);
      stat->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      stat->size = part->size;
      stat->comp_size = part->bytes.size();
      stat->comp_method = ZIP_CM_DEFLATE;
      stat->crc = part->crc;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&part->error, data, length);
    case ZIP_SOURCE_FREE:
      delete part;
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                            ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      zip_error_set(&part->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

using ZipPtr = std::unique_ptr<zip_t, decltype(&zip_discard)>;

// Builds a zip archive in memory from `parts`; `fixed` holds the bytes of
// an archive Zip made, which the parts with a fixed index come from.
absl::StatusOr<std::string> Zip(const std::vector<Part>& parts, absl::string_view fixed = "") {
  zip_error_t error;
  zip_error_init(&error);
  ZipPtr fixed_archive(nullptr, &zip_discard);
  if (!fixed.empty()) {
    zip_source_t* source = zip_source_buffer_create(fixed.data(), fixed.size(), 0, &error);
    zip_t* opened = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (opened == nullptr) {
      if (source) zip_source_free(source);
      return absl::InternalError("zip: cannot open the fixed parts");
    }
    fixed_archive.reset(opened);
  }
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) return absl::InternalError("zip: cannot create a buffer");
  zip_source_keep(buffer);  // the archive's close must not free the bytes
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(buffer);
    return absl::InternalError(absl::StrCat("zip: ", zip_error_strerror(&error)));
  }
  constexpr time_t kFixedTime = 1704067200;  // 2024-01-01: stable bytes
  for (const Part& part : parts) {
    // A whole entry of another archive comes over compressed as it is.
    zip_source_t* source = nullptr;
    if (part.fixed >= 0) {
      source = zip_source_zip(archive, fixed_archive.get(), part.fixed, 0, 0, -1);
    } else if (part.packing == Packing::kFastest) {
      absl::StatusOr<std::unique_ptr<Deflated>> deflated = DeflateFastest(part.content);
      if (!deflated.ok()) {
        zip_discard(archive);
        zip_source_free(buffer);
        return deflated.status();
      }
      source = zip_source_function(archive, &DeflatedSource, deflated->get());
      if (source != nullptr) deflated->release();  // the source frees it
    } else {
      source = zip_source_buffer(archive, part.content.data(), part.content.size(), 0);
    }
    zip_int64_t index = source ? zip_file_add(archive, part.name, source, ZIP_FL_ENC_UTF_8) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      zip_discard(archive);
      zip_source_free(buffer);
      return absl::InternalError(absl::StrCat("zip: cannot add ", part.name));
    }
    zip_file_set_mtime(archive, index, kFixedTime, 0);
    if (part.packing == Packing::kStored) {
      zip_set_file_compression(archive, index, ZIP_CM_STORE, 0);
    } else {
      zip_set_file_compression(archive, index, ZIP_CM_DEFLATE, 9);  // kFastest: already deflated
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    zip_source_free(buffer);
    return absl::InternalError("zip: cannot write the archive");
  }
  std::string bytes;
  zip_stat_t stat;
  if (zip_source_stat(buffer, &stat) == 0 && zip_source_open(buffer) == 0) {
    bytes.resize(stat.size);
    const zip_int64_t read = zip_source_read(buffer, bytes.data(), stat.size);
    zip_source_close(buffer);
    if (read != static_cast<zip_int64_t>(stat.size)) bytes.clear();
  }
  zip_source_free(buffer);
  if (bytes.empty()) return absl::InternalError("zip: cannot read the archive back");
  return bytes;
}

// The package's parts in order, the same for every document but
// docProps/core.xml and word/document.xml. With `fixed_from_archive` the
// others are indexes into the archive FixedPartsArchive() makes of them.
std::vector<Part> Parts(const Document& d, const Layout& layout, bool fixed_from_archive) {
  int next_fixed = 0;
  auto fixed = [&](const char* name, std::string content) {
    return fixed_from_archive ? Part{name, "", next_fixed++} : Part{name, std::move(content)};
  };
  // The content types first, as some readers expect.
  std::vector<Part> parts;
  parts.push_back(fixed("[Content_Types].xml", kContentTypes));
  parts.push_back(fixed("_rels/.rels", kPackageRels));
  parts.push_back({"docProps/core.xml", CoreXml(d), -1, Packing::kStored});
  parts.push_back({"word/document.xml", DocumentXml(d, layout), -1, Packing::kFastest});
  parts.push_back(fixed("word/_rels/document.xml.rels", kDocumentRels));
  parts.push_back(fixed("word/styles.xml", StylesXml()));
  parts.push_back(fixed("word/settings.xml", kSettings));
  parts.push_back(fixed("word/fontTable.xml", FontTableXml()));
  parts.push_back(fixed("word/footer1.xml", FooterXml(/*odd=*/true)));
  parts.push_back(fixed("word/footer2.xml", FooterXml(/*odd=*/false)));
  return parts;
}

// The fixed parts zipped once, at the first DOCX: deflating them (level 9,
// each part a fresh compressor) was most of rendering a DOCX.
const absl::StatusOr<std::string>& FixedPartsArchive() {
  static const absl::StatusOr<std::string>* const archive = [] {
    std::vector<Part> fixed;
    for (Part& part : Parts(Document{}, Layout{}, /*fixed_from_archive=*/false)) {
      if (absl::string_view(part.name) != "docProps/core.xml" &&
          absl::string_view(part.name) != "word/document.xml") {
        fixed.push_back(std::move(part));
      }
    }
    return new absl::StatusOr<std::string>(Zip(fixed));
  }();
  return *archive;
}

}  // namespace

absl::StatusOr<std::string> RenderDocx(const Document& document, const Layout& layout,
                                       bool reuse_fixed_parts) {
  if (!reuse_fixed_parts) return Zip(Parts(document, layout, /*fixed_from_archive=*/false));
  const absl::StatusOr<std::string>& fixed = FixedPartsArchive();
  if (!fixed.ok()) return fixed.status();
  return Zip(Parts(document, layout, /*fixed_from_archive=*/true), *fixed);
}

namespace {

class DocxRenderer : public Renderer {
 public:
  std::string format() const override { return "docx"; }
  std::string media_type() const override {
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  }
  absl::StatusOr<std::string> Render(const Document& d, const Layout& layout) const override {
    return RenderDocx(d, layout, /*reuse_fixed_parts=*/true);
  }
};

}  // namespace

std::unique_ptr<Renderer> MakeDocxRenderer() { return std::make_unique<DocxRenderer>(); }

}  // namespace fazhi::render
