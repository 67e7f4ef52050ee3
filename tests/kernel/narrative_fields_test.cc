#include "services/kernel/narrative_fields.h"

#include <string>
#include <utility>
#include <vector>

#include "fazhi/report/v1/report.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace fazhi::kernel {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(NarrativeFieldsTest, VisitsEveryTemplateInReadingOrderWithItsField) {
  report::v1::Report r;
  r.set_title("标题");
  r.add_preamble("导语");
  r.mutable_layout()->add_entries()->set_heading("一");
  auto* item = r.add_sections()->add_items();
  item->set_heading("小标题");
  item->add_paragraphs("段落");
  auto* shortcoming = r.add_shortcomings();
  shortcoming->set_problem("问题");
  shortcoming->set_cause("原因");
  shortcoming->set_rectification("整改");
  auto* plan = r.add_plan_items();
  plan->set_heading("安排");
  plan->add_paragraphs("措施");

  std::vector<std::pair<std::string, std::string>> seen;
  ForEachNarrativeField(r, [&](const std::string& field, const std::string& text) {
    seen.emplace_back(field, text);
  });
  EXPECT_THAT(seen, ElementsAre(Pair("report.title", "标题"), Pair("report.preamble[0]", "导语"),
                                Pair("report.layout.entries[0].heading", "一"),
                                Pair("report.sections[0].items[0].heading", "小标题"),
                                Pair("report.sections[0].items[0].paragraphs[0]", "段落"),
                                Pair("report.shortcomings[0].problem", "问题"),
                                Pair("report.shortcomings[0].cause", "原因"),
                                Pair("report.shortcomings[0].rectification", "整改"),
                                Pair("report.plan_items[0].heading", "安排"),
                                Pair("report.plan_items[0].paragraphs[0]", "措施")));
}

}  // namespace
}  // namespace fazhi::kernel
