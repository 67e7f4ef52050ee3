// The DOCX must really open: LibreOffice converts it to PDF, and the PDF
// has the pages, the text and the "— N —" page numbers.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/gateway/render/renderer.h"
#include "tests/gateway/render/sample_document.h"
#include "tests/testing/temp_dir.h"

namespace fazhi::render {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The PDF's text with all white space removed: pdftotext spaces out CJK
// characters set on the document grid.
std::string Compact(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\f' && c != '\r' && c != '\t') out += c;
  }
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

int Shell(const std::string& command) { return std::system(command.c_str()); }

TEST(DocxLibreOfficeTest, ConvertsToPdfWithPagesTextAndPageNumbers) {
  fazhi::testing::TempDir dir;
  auto docx = MakeDocxRenderer()->Render(SampleDocument(6));
  ASSERT_TRUE(docx.ok());
  {
    std::ofstream out(dir.File("report.docx"), std::ios::binary);
    out << *docx;
  }
  // A profile of its own, so parallel runs and a desktop session don't clash.
  const std::string convert =
      absl::StrCat("cd '", dir.path(), "' && HOME='", dir.path(),
                   "' timeout 180 libreoffice --headless ", "-env:UserInstallation=file://",
                   dir.path(), "/profile --convert-to pdf report.docx ", ">convert.log 2>&1");
  ASSERT_EQ(Shell(convert), 0) << Slurp(dir.File("convert.log"));
  ASSERT_EQ(
      Shell(absl::StrCat("pdfinfo '", dir.File("report.pdf"), "' > '", dir.File("info.txt"), "'")),
      0);
  ASSERT_EQ(Shell(absl::StrCat("pdftotext '", dir.File("report.pdf"), "' '", dir.File("report.txt"),
                               "'")),
            0);
  const std::string info = Slurp(dir.File("info.txt"));
  const std::string text = Compact(Slurp(dir.File("report.txt")));

  int pages = 0;
  std::sscanf(info.substr(info.find("Pages:") + 6).c_str(), "%d", &pages);
  EXPECT_GE(pages, 3) << info;
  EXPECT_THAT(info, ::testing::HasSubstr("pts (A4)"));  // GB/T 9704: A4
  for (const char* expected :
       {"测试县民政局关于2024年法治政府建设情况的报告",
        "一、党政主要负责人履行推进法治建设第一责任人职责情况", "（二）工作事项2",
        "四、下一年度推进法治政府建设的主要安排", "2025年1月15日", "—1—", "—2—"}) {
    EXPECT_TRUE(Contains(text, expected)) << "the PDF lacks " << expected;
  }
  EXPECT_TRUE(Contains(text, absl::StrCat("—", pages, "—"))) << "no number on the last page";
}

}  // namespace
}  // namespace fazhi::render
