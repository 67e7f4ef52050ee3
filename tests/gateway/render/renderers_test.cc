#include <zip.h>

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

// Reads one entry of a zip archive held in memory.
std::string ZipEntry(const std::string& archive, const char* name) {
  zip_error_t error;
  zip_source_t* source = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
  zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (zip == nullptr) return "";
  std::string content;
  zip_stat_t stat;
  if (zip_stat(zip, name, 0, &stat) == 0) {
    zip_file_t* file = zip_fopen(zip, name, 0);
    content.resize(stat.size);
    zip_fread(file, content.data(), stat.size);
    zip_fclose(file);
  }
  zip_close(zip);
  return content;
}

Document Hostile() {
  Document d = SampleDocument(1);
  d.body.push_back({BlockKind::kParagraph, 0, "",
                    "<script>alert('x')</script> & \"引号\" </w:t></w:r><w:r><w:t>注入 # 标题 *粗*"});
  return d;
}

TEST(TextRendererTest, HeadingsNumberedAndBodyIndented) {
  std::string text = RenderAs("txt", SampleDocument());
  EXPECT_THAT(text, HasSubstr("测试县民政局关于2024年法治政府建设情况的报告\n"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000一、党政主要负责人履行推进法治建设第一责任人职责情况\n"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000（二）工作事项2\n"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000四、下一年度"));
  EXPECT_THAT(text, HasSubstr("\u3000\u3000全年共开展集中学习12次"));
  EXPECT_THAT(text, HasSubstr("2025年1月15日\n"));
}

TEST(MarkdownRendererTest, StructureAndEscaping) {
  std::string md = RenderAs("md", Hostile());
  EXPECT_THAT(md, HasSubstr("# 测试县民政局关于2024年法治政府建设情况的报告\n"));
  EXPECT_THAT(md, HasSubstr("## 一、党政主要负责人"));
  EXPECT_THAT(md, HasSubstr("### （一）工作事项1"));
  EXPECT_THAT(md, HasSubstr("\\<script\\>"));
  EXPECT_THAT(md, HasSubstr("\\*粗\\*"));
}

TEST(HtmlRendererTest, PrintStyleAndInertNarrative) {
  std::string html = RenderAs("html", Hostile());
  EXPECT_THAT(html, HasSubstr("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }"));
  EXPECT_THAT(html, HasSubstr("<h2>一、党政主要负责人"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;引号&quot;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(DocxRendererTest, PackageHoldsTheTextWithGbMargins) {
  std::string docx = RenderAs("docx", SampleDocument());
  ASSERT_GT(docx.size(), 100u);
  EXPECT_EQ(docx.substr(0, 2), "PK");
  std::string document = ZipEntry(docx, "word/document.xml");
  EXPECT_THAT(document, HasSubstr("一、党政主要负责人履行推进法治建设第一责任人职责情况"));
  EXPECT_THAT(document, HasSubstr("w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\""));
  EXPECT_THAT(document, HasSubstr("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  std::string styles = ZipEntry(docx, "word/styles.xml");
  EXPECT_THAT(styles, HasSubstr("w:eastAsia=\"仿宋_GB2312\""));
  EXPECT_THAT(styles, HasSubstr("w:eastAsia=\"黑体\""));
  EXPECT_THAT(styles, HasSubstr("<w:sz w:val=\"44\"/>"));  // 22 pt title
  EXPECT_THAT(ZipEntry(docx, "word/settings.xml"), HasSubstr("<w:evenAndOddHeaders/>"));
  EXPECT_THAT(ZipEntry(docx, "word/footer1.xml"), HasSubstr("<w:jc w:val=\"right\"/>"));
  EXPECT_THAT(ZipEntry(docx, "word/footer2.xml"), HasSubstr("<w:jc w:val=\"left\"/>"));
}

TEST(DocxRendererTest, NarrativeCannotInjectMarkup) {
  std::string document = ZipEntry(RenderAs("docx", Hostile()), "word/document.xml");
  EXPECT_THAT(document, HasSubstr("&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:t&gt;注入"));
  EXPECT_THAT(document, Not(HasSubstr("</w:t></w:r><w:r><w:t>注入")));
}

TEST(DocxRendererTest, SameDocumentSameBytes) {
  EXPECT_EQ(RenderAs("docx", SampleDocument()), RenderAs("docx", SampleDocument()));
}

TEST(EscapeXmlTest, DropsNonCharactersAndBidiOverridesAndReplacesBadBytes) {
  EXPECT_EQ(EscapeXml("a\xEF\xBF\xBF" "b\xEF\xBF\xBE" "c\xE2\x80\xAE" "d"), "abcd");
  EXPECT_EQ(EscapeXml("a\xE4\xB8" "b"), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  EXPECT_EQ(EscapeXml("中&<"), "中&amp;&lt;");
  EXPECT_EQ(EscapeMarkdown("&lt; \xE2\x80\xAE"), "\\&lt; ");
}

TEST(EscapeXmlTest, DropsCharactersXmlForbids) {
  EXPECT_EQ(EscapeXml(std::string("a\x01" "b\tc\n", 6)), "ab\tc\n");
}

TEST(RendererForTest, KnowsItsFormats) {
  for (const std::string& format : SupportedFormats()) EXPECT_NE(RendererFor(format), nullptr);
  EXPECT_EQ(RendererFor("pdf"), nullptr);
  EXPECT_EQ(RendererFor("docx")->media_type(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
}

}  // namespace
}  // namespace fazhi::render
