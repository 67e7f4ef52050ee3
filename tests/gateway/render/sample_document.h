#ifndef FAZHI_TESTS_GATEWAY_RENDER_SAMPLE_DOCUMENT_H_
#define FAZHI_TESTS_GATEWAY_RENDER_SAMPLE_DOCUMENT_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "services/gateway/render/document.h"

namespace fazhi::render {

// A report-shaped document long enough to span several pages.
inline Document SampleDocument(int paragraphs_per_section = 3) {
  Document d;
  d.organ = "测试县民政局";
  d.title = "测试县民政局关于2024年法治政府建设情况的报告";
  d.addressee = "县委、县政府：";
  const char* sections[] = {"党政主要负责人履行推进法治建设第一责任人职责情况",
                            "推进法治政府建设的主要举措和成效", "存在的不足、原因和整改情况",
                            "下一年度推进法治政府建设的主要安排"};
  for (const char* section : sections) {
    d.body.push_back({BlockKind::kHeading, 1, "", section});
    for (int sub = 0; sub < 2; ++sub) {
      d.body.push_back({BlockKind::kHeading, 2, "", absl::StrCat("工作事项", sub + 1)});
      for (int p = 0; p < paragraphs_per_section; ++p) {
        d.body.push_back({BlockKind::kParagraph, 0, "",
                          absl::StrCat("全年共开展集中学习12次，党组会议学法每季度至少一次，"
                                       "学习《民法典》《行政处罚法》等法律法规，干部职工依法行政"
                                       "意识不断增强，第",
                                       p + 1, "段。")});
      }
    }
  }
  d.signature = "测试县民政局";
  d.date = "2025年1月15日";
  NumberHeadings(d);
  return d;
}

}  // namespace fazhi::render

#endif  // FAZHI_TESTS_GATEWAY_RENDER_SAMPLE_DOCUMENT_H_
