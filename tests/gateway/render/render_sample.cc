// Writes the 公文 sample of the LibreOffice layout test in every format:
// render_sample OUT_DIR [header] → OUT_DIR/sample.{txt,md,html,docx}. The
// sample has a title too long for one line and paragraphs whose lines end
// in punctuation; with "header", a 版头 and a date longer than the 署名.

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/gateway/render/renderer.h"

namespace {

fazhi::render::Document Sample(bool header) {
  using fazhi::render::Block;
  using fazhi::render::BlockKind;
  fazhi::render::Document d;
  d.organ = "鲁山县民政局";
  d.title = "鲁山县民政局关于2024年法治政府建设情况的报告";
  d.addressee = "县委依法治县办";
  if (header) {
    d.organ = "鲁山县人民政府办公室";
    d.title =
        "鲁山县人民政府办公室关于2024年度推进法治政府建设和党政主要负责人履行推进法治建设第一责任人"
        "职责情况的报告";
    d.document_number = "鲁政办〔2025〕3号";
    d.issuer = "王建华";
    d.addressee = "县委、县政府";
  }
  d.body.push_back({BlockKind::kHeading, 1, "", "2024年推进法治政府建设的主要举措和成效"});
  // Each paragraph puts a mark where a line of 28 characters ends: 26
  // characters after the two-character indent, then a comma; and so on.
  const std::string run26 = "全年开展集中学法十二次党组会议学法每季度不少于一次干部";
  const std::string run28 = "职工学习民法典行政处罚法行政许可法等法律法规依法行政意识";
  for (int i = 0; i < 6; ++i) {
    std::string text = absl::StrCat(run26.substr(0, 3 * (26 - i % 3)), "，");
    for (int line = 0; line < 4; ++line) {
      absl::StrAppend(&text, run28.substr(0, 3 * (27 - (i + line) % 2)), line % 2 ? "。" : "、");
    }
    absl::StrAppend(&text, "第", i + 1, "段。");
    d.body.push_back({BlockKind::kParagraph, 0, "", text});
  }
  d.body.push_back({BlockKind::kHeading, 1, "", "2025年推进法治政府建设的主要安排"});
  d.body.push_back({BlockKind::kParagraph, 0, "", "持续落实学法制度，补齐执法力量短板。"});
  d.signature = d.organ;
  d.date = header ? "2025年12月31日" : "2025年1月15日";
  fazhi::render::NumberHeadings(d);
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: render_sample OUT_DIR [header]\n");
    return 2;
  }
  const bool header = argc > 2 && std::string(argv[2]) == "header";
  const fazhi::render::Document d = Sample(header);
  for (const std::string& format : fazhi::render::SupportedFormats()) {
    auto bytes = fazhi::render::RendererFor(format)->Render(d);
    if (!bytes.ok()) {
      std::fprintf(stderr, "%s: %s\n", format.c_str(),
                   std::string(bytes.status().message()).c_str());
      return 1;
    }
    std::ofstream(absl::StrCat(argv[1], "/sample.", format), std::ios::binary) << *bytes;
  }
  return 0;
}
