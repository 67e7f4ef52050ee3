#include <zip.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/render/markup.h"
#include "services/gateway/render/renderer.h"
#include "tests/gateway/render/sample_document.h"

namespace fazhi::render {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string RenderAs(absl::string_view format, const Document& d) {
  auto renderer = RendererFor(format);
  EXPECT_NE(renderer, nullptr) << format;
  auto bytes = renderer->Render(d);
  EXPECT_TRUE(bytes.ok()) << bytes.status();
  return bytes.ok() ? *bytes : "";
}

// Reads one entry of a zip archive held in memory to its end, where libzip
// checks the CRC; "" when it cannot (or the CRC is wrong).
std::string ZipEntry(const std::string& archive, const char* name) {
  zip_error_t error;
  zip_source_t* source = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) return "";
  std::string content;
  if (zip_file_t* file = zip_fopen(zip, name, 0); file != nullptr) {
    char chunk[4096];
    zip_int64_t n;
    while ((n = zip_fread(file, chunk, sizeof chunk)) > 0) content.append(chunk, n);
    if (n < 0) content.clear();
    zip_fclose(file);
  }
  zip_close(zip);
  return content;
}

std::string Spaces(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "\u3000";
  return out;
}

Document Hostile() {
  Document d = SampleDocument(1);
  d.body.push_back(
      {BlockKind::kParagraph, 0, "",
       "<script>alert('x')</script> & \"引号\" </w:t></w:r><w:r><w:t>注入 # 标题 *粗*"});
  return d;
}

TEST(TextRendererTest, HeadingsNumberedAndBodyIndented) {
  std::string text = RenderAs("txt", SampleDocument());
  // The title in two centred lines of 11 characters on the 28-character
  // line, no organ line above it, the addressee flush left after a blank.
  EXPECT_EQ(text.rfind("\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000 测试县民政局关于2024年\n"
                       "\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000 法治政府建设情况的报告\n\n"
                       "县委、县政府：\n",
                       0),
            0u)
      << text;
  EXPECT_THAT(text,
              HasSubstr("\u3000\u3000一、党政主要负责人履行推进法治建设第一责任人职责情况\n"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000（二）工作事项2\n"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000四、下一年度"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000全年共开展集中学习12次"));
  EXPECT_THAT(text, HasSubstr("2025年1月15日\n"));
}

TEST(TextRendererTest, SignatureAndDatePerGbT9704) {
  // 测试县民政局 (12 half characters) over 2025年1月15日 (13): the date
  // is longer, so it ends two characters in (56 - 4 - 13 = 39 halves from
  // the left) and the 署名 starts two characters before it (35).
  std::string text = RenderAs("txt", SampleDocument());
  EXPECT_THAT(text, HasSubstr(absl::StrCat("。\n\n", Spaces(17), " 测试县民政局\n", Spaces(19),
                                           " 2025年1月15日\n")));
  Document longer = SampleDocument(1);
  longer.signature = "测试县人民政府办公室";  // 20 halves: the 署名 two in, the date after it
  text = RenderAs("txt", longer);
  EXPECT_THAT(text, HasSubstr(absl::StrCat("\n", Spaces(16), "测试县人民政府办公室\n", Spaces(18),
                                           "2025年1月15日\n")));
}

TEST(TextRendererTest, HeaderForAReportSentUpward) {
  Document d = SampleDocument(1);
  d.document_number = "测民〔2025〕3号";
  d.issuer = "王建华";
  std::string text = RenderAs("txt", d);
  EXPECT_EQ(
      text.rfind(absl::StrCat(Spaces(10), "测试县民政局文件\n\n", Spaces(1), "测民〔2025〕3号"), 0),
      0u)
      << text;
  EXPECT_THAT(text, HasSubstr("签发人：王建华\n━━━━"));
}

TEST(MarkdownRendererTest, StructureAndEscaping) {
  std::string md = RenderAs("md", Hostile());
  EXPECT_THAT(md, HasSubstr("# 测试县民政局关于2024年法治政府建设情况的报告\n"));
  EXPECT_THAT(md, HasSubstr("## 一、党政主要负责人"));
  EXPECT_THAT(md, HasSubstr("### （一）工作事项1"));
  EXPECT_THAT(md, HasSubstr("\\<script\\>"));
  EXPECT_THAT(md, HasSubstr("\\*粗\\*"));
}

TEST(HtmlRendererTest, GongwenStructure) {
  std::string html = RenderAs("html", SampleDocument());
  EXPECT_THAT(html, HasSubstr("<h1>测试县民政局关于2024年<br>法治政府建设情况的报告</h1>\n"
                              "<p class=\"addressee\">县委、县政府：</p>"));
  EXPECT_THAT(html, Not(HasSubstr("class=\"organ")));  // the title holds the organ's name
  EXPECT_THAT(
      html, HasSubstr("<div class=\"closing long-date\">\n<p class=\"signature\">测试县民政局</p>\n"
                      "<p class=\"date\">2025年1月15日</p>\n</div>"));
  for (const char* rule :
       {"line-break: strict", "hanging-punctuation: none", "letter-spacing: -0.25pt"}) {
    EXPECT_THAT(html, HasSubstr(rule));
  }
  Document d = SampleDocument(1);
  d.title = "关于2024年法治政府建设情况的报告";
  d.document_number = "测民〔2025〕3号";
  d.issuer = "王建华";
  html = RenderAs("html", d);
  EXPECT_THAT(html, HasSubstr("<div class=\"organ-mark\">测试县民政局文件</div>"));
  EXPECT_THAT(
      html,
      HasSubstr("<span class=\"number\">测民〔2025〕3号</span><span class=\"issuer\">签发人："));
  EXPECT_THAT(html, Not(HasSubstr("<div class=\"organ\">")));  // the 版头 carries the name
  d.document_number.clear();
  EXPECT_THAT(RenderAs("html", d), HasSubstr("<div class=\"organ\">测试县民政局</div>"));
}

TEST(HtmlRendererTest, StyleIsTheSameForEveryDocument) {
  // The web page admits the rendering's style element by its hash.
  auto style = [](const std::string& html) {
    return html.substr(html.find("<style>"), html.find("</style>") - html.find("<style>"));
  };
  Document other = SampleDocument(1);
  other.document_number = "测民〔2025〕3号";
  other.signature = "测试县人民政府办公室";
  EXPECT_EQ(style(RenderAs("html", SampleDocument())), style(RenderAs("html", other)));
  EXPECT_EQ(style(RenderAs("html", SampleDocument())), style(RenderAs("html", Document{})));
}

TEST(HtmlRendererTest, PrintStyleAndInertNarrative) {
  std::string html = RenderAs("html", Hostile());
  EXPECT_THAT(html, HasSubstr("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"));
  EXPECT_THAT(html, HasSubstr("<h2>一、党政主要负责人"));
  EXPECT_THAT(html,
              HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;引号&quot;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(DocxRendererTest, PackageHoldsTheTextWithGbMargins) {
  std::string docx = RenderAs("docx", SampleDocument());
  ASSERT_GT(docx.size(), 100u);
  EXPECT_EQ(docx.substr(0, 2), "PK");
  std::string document = ZipEntry(docx, "word/document.xml");
  EXPECT_THAT(document, HasSubstr("一、党政主要负责人履行推进法治建设第一责任人职责情况"));
  EXPECT_THAT(document,
              HasSubstr("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\""));
  EXPECT_THAT(document, HasSubstr("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  std::string styles = ZipEntry(docx, "word/styles.xml");
  EXPECT_THAT(styles, HasSubstr("w:eastAsia=\"仿宋_GB2312\""));
  EXPECT_THAT(styles, HasSubstr("w:eastAsia=\"黑体\""));
  EXPECT_THAT(styles, HasSubstr("<w:sz w:val=\"44\"/>"));  // 22 pt title
  EXPECT_THAT(ZipEntry(docx, "word/settings.xml"), HasSubstr("<w:evenAndOddHeaders/>"));
  EXPECT_THAT(ZipEntry(docx, "word/footer1.xml"), HasSubstr("<w:jc w:val=\"right\"/>"));
  EXPECT_THAT(ZipEntry(docx, "word/footer2.xml"), HasSubstr("<w:jc w:val=\"left\"/>"));
}

TEST(DocxRendererTest, TitleLinesAddresseeAndClosing) {
  std::string document = ZipEntry(RenderAs("docx", SampleDocument()), "word/document.xml");
  EXPECT_THAT(document, HasSubstr("<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t "
                                  "xml:space=\"preserve\">测试县民政局关于2024年</w:t>"));
  EXPECT_THAT(document, HasSubstr("<w:pStyle w:val=\"Title\"/></w:pPr><w:r><w:t "
                                  "xml:space=\"preserve\">法治政府建设情况的报告</w:t>"));
  EXPECT_THAT(document, Not(HasSubstr("w:val=\"Organ\"")));
  EXPECT_THAT(document, HasSubstr(">县委、县政府：<"));
  // 落款: the date (13 halves: 2047 twips, and 5 changes of script at 69)
  // ends two characters (630) in from 8844; the 署名 starts 630 before it.
  const int date_left = 8844 - 630 - (13 * 315 / 2 + 5 * 69);
  EXPECT_THAT(document,
              HasSubstr(absl::StrCat(
                  "<w:pStyle w:val=\"Closing\"/><w:ind w:left=\"", date_left - 630,
                  "\" w:leftChars=\"0\"/></w:pPr><w:r><w:t xml:space=\"preserve\">测试县民政局<")));
  EXPECT_THAT(
      document,
      HasSubstr(absl::StrCat(
          "<w:pStyle w:val=\"Closing\"/><w:ind w:left=\"", date_left,
          "\" w:leftChars=\"0\"/></w:pPr><w:r><w:t xml:space=\"preserve\">2025年1月15日<")));
}

TEST(DocxRendererTest, PunctuationStaysInsideTheTextBlockInWordAndLibreOffice) {
  std::string styles = ZipEntry(RenderAs("docx", SampleDocument()), "word/styles.xml");
  // Word: no overflow (ISO/IEC 29500 §17.3.1.21); LibreOffice reads the
  // value inverted and hangs, into a right indent only it applies.
  EXPECT_THAT(styles, HasSubstr("<w:pPrDefault><w:pPr><w:overflowPunct w:val=\"0\"/>"));
  EXPECT_THAT(styles, HasSubstr("<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\" "
                                "w:rightChars=\"0\" w:right=\"330\"/>"));
}

TEST(DocxRendererTest, HeaderWithMarkNumberAndIssuer) {
  Document d = SampleDocument(1);
  d.document_number = "测民〔2025〕3号";
  d.issuer = "王建华";
  std::string document = ZipEntry(RenderAs("docx", d), "word/document.xml");
  EXPECT_THAT(document, HasSubstr("<w:pStyle w:val=\"OrganMark\"/>"));
  EXPECT_THAT(document, HasSubstr(">测试县民政局文件<"));
  EXPECT_THAT(document, HasSubstr(">测民〔2025〕3号<"));
  EXPECT_THAT(document, HasSubstr(">签发人：<"));
  EXPECT_THAT(ZipEntry(RenderAs("docx", d), "word/styles.xml"),
              HasSubstr("<w:color w:val=\"FF0000\"/>"));
}

TEST(DocxRendererTest, NarrativeCannotInjectMarkup) {
  std::string document = ZipEntry(RenderAs("docx", Hostile()), "word/document.xml");
  EXPECT_THAT(document, HasSubstr("&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:t&gt;注入"));
  EXPECT_THAT(document, Not(HasSubstr("</w:t></w:r><w:r><w:t>注入")));
}

TEST(DocxRendererTest, SameDocumentSameBytes) {
  EXPECT_EQ(RenderAs("docx", SampleDocument()), RenderAs("docx", SampleDocument()));
}

// The parts every package shares are deflated once and copied; the
// package must be the one deflating every part afresh would give.
TEST(DocxRendererTest, CachedFixedPartsGiveTheBytesOfAFreshPackage) {
  Document header = SampleDocument(2);
  header.document_number = "测民〔2025〕3号";
  header.issuer = "王建华";
  for (const Document& d : {SampleDocument(), header, Hostile(), Document{}}) {
    absl::StatusOr<std::string> cached = RenderDocx(d, LayOut(d), /*reuse_fixed_parts=*/true);
    absl::StatusOr<std::string> fresh = RenderDocx(d, LayOut(d), /*reuse_fixed_parts=*/false);
    ASSERT_TRUE(cached.ok()) << cached.status();
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    EXPECT_EQ(*cached, *fresh) << d.title;
    EXPECT_EQ(RenderAs("docx", d), *fresh);
    // And the copied parts read back whole.
    EXPECT_THAT(ZipEntry(*cached, "word/styles.xml"), HasSubstr("</w:styles>"));
    EXPECT_THAT(ZipEntry(*cached, "word/footer2.xml"), HasSubstr("</w:ftr>"));
  }
}

// A document's own parts are compressed as cheaply as they can be at every
// rendering (core.xml stored, document.xml deflated at the fastest level);
// the fixed parts, deflated once, stay at the highest. Every part reads back
// whole either way.
TEST(DocxRendererTest, EachPartIsCompressedAsChosen) {
  const std::string docx = RenderAs("docx", SampleDocument());
  zip_error_t error;
  zip_source_t* source = zip_source_buffer_create(docx.data(), docx.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  ASSERT_NE(zip, nullptr);
  std::map<std::string, zip_uint16_t> methods;
  for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
    zip_stat_t stat;
    ASSERT_EQ(zip_stat_index(zip, i, 0, &stat), 0);
    methods[stat.name] = stat.comp_method;
    if (std::string(stat.name) == "word/document.xml") {
      EXPECT_LT(stat.comp_size, stat.size / 2) << "document.xml is deflated";
    }
  }
  zip_close(zip);
  EXPECT_EQ(methods.size(), 10u);
  for (const auto& [name, method] : methods) {
    EXPECT_EQ(method, name == "docProps/core.xml" ? ZIP_CM_STORE : ZIP_CM_DEFLATE) << name;
  }
  EXPECT_THAT(ZipEntry(docx, "docProps/core.xml"), HasSubstr("</cp:coreProperties>"));
  EXPECT_THAT(ZipEntry(docx, "word/document.xml"), HasSubstr("</w:document>"));
}

// document.xml is deflated with a window sized to it: from an empty
// document to one past zlib's largest window (32 KiB) it reads back whole,
// its CRC checked by libzip, and ends where a document ends.
TEST(DocxRendererTest, DocumentsOfEverySizeReadBackWhole) {
  for (int paragraphs : {0, 1, 3, 40, 400}) {
    const Document d = paragraphs == 0 ? Document{} : SampleDocument(paragraphs);
    const std::string docx = RenderAs("docx", d);
    const std::string document = ZipEntry(docx, "word/document.xml");
    EXPECT_THAT(document, HasSubstr("</w:body></w:document>")) << paragraphs;
    if (paragraphs > 0) {
      EXPECT_THAT(document, HasSubstr(absl::StrCat("第", paragraphs, "段。"))) << paragraphs;
    }
    if (paragraphs == 400) {
      EXPECT_GT(document.size(), 32u * 1024);
    }
  }
}

TEST(EscapeXmlTest, DropsNonCharactersAndBidiOverridesAndReplacesBadBytes) {
  EXPECT_EQ(EscapeXml("a\xEF\xBF\xBF"
                      "b\xEF\xBF\xBE"
                      "c\xE2\x80\xAE"
                      "d"),
            "abcd");
  EXPECT_EQ(EscapeXml("a\xE4\xB8"
                      "b"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(EscapeXml("中&<"), "中&amp;&lt;");
  EXPECT_EQ(EscapeMarkdown("&lt; \xE2\x80\xAE"), "\\&lt; ");
}

TEST(EscapeXmlTest, DropsCharactersXmlForbids) {
  EXPECT_EQ(EscapeXml(std::string("a\x01"
                                  "b\tc\n",
                                  6)),
            "ab\tc\n");
}

TEST(RendererForTest, KnowsItsFormats) {
  for (const std::string& format : SupportedFormats()) EXPECT_NE(RendererFor(format), nullptr);
  EXPECT_EQ(RendererFor("pdf"), nullptr);
  EXPECT_EQ(RendererFor("docx")->media_type(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

}  // namespace
}  // namespace fazhi::render
