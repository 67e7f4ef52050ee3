#include "services/gateway/compose.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/common/grpc_status.h"
#include "services/kernel/layout.h"
#include "tests/gateway/sample_inputs.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace rv1 = fazhi::report::v1;
using samples::Day;
using samples::SampleInputs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

rv1::LayoutEntry Entry(rv1::ContentItem item, const std::string& heading) {
  rv1::LayoutEntry e;
  e.set_item(item);
  e.set_heading(heading);
  return e;
}

// The layout the report service stores for the head-first preset, minus
// OTHER (as a custom layout may leave it out).
rv1::Layout HeadFirstWithoutOther() {
  rv1::Layout layout;
  layout.set_preset(rv1::LAYOUT_PRESET_CUSTOM);
  *layout.add_entries() = Entry(rv1::CONTENT_ITEM_HEAD_DUTY, "{{year}}年度主要负责人履职情况");
  *layout.add_entries() = Entry(rv1::CONTENT_ITEM_MEASURES, "{{year}}年度主要举措和成效");
  *layout.add_entries() = Entry(rv1::CONTENT_ITEM_SHORTCOMINGS, "存在的不足、原因和整改情况");
  *layout.add_entries() = Entry(rv1::CONTENT_ITEM_NEXT_YEAR_PLAN, "{{next_year}}年主要安排");
  return layout;
}

// A report with narrative for HEAD_DUTY and MEASURES, two shortcomings and
// one plan item; nobody wrote OTHER.
rv1::Report SampleReport() {
  rv1::Report r;
  r.set_name("orgs/test-minzheng/reports/2024");
  r.set_year(2024);
  r.set_title("{{org.name}}关于{{year}}年法治政府建设情况的报告");
  r.set_state(rv1::REPORT_STATE_DRAFT);
  *r.mutable_layout() = HeadFirstWithoutOther();
  r.add_preamble("{{year}}年，{{org.name}}认真落实法治政府建设各项部署。");
  {
    auto* s = r.add_sections();
    s->set_item(rv1::CONTENT_ITEM_MEASURES);
    auto* a = s->add_items();
    a->set_heading("领导班子学法常态化");
    a->add_paragraphs(
        "全年集中学习{{study.sessions.all_staff}}次，重点学习了{{study.laws | 书名号}}等法律。");
    a->add_paragraphs("在{{study.publicity.places}}等地开展宣传。");
    auto* b = s->add_items();
    b->set_heading("加强执法队伍建设");
    b->add_paragraphs("持证执法人员{{duty.officers.valid | 人}}。");
  }
  {
    auto* s = r.add_sections();
    s->set_item(rv1::CONTENT_ITEM_HEAD_DUTY);
    s->add_items()->add_paragraphs(
        "主要负责人主持党组学法{{study.leadership.sessions | 中文数字}}次。");
  }
  {
    auto* sc = r.add_shortcomings();
    sc->set_problem("运用法治思维的自觉性有待提高");
    sc->set_cause("专题研讨不多");
    sc->set_rectification("{{next_year}}年起每季度安排一次专题研讨");
    sc->set_owner("办公室");
    *sc->mutable_due_date() = Day(2025, 12, 31);
  }
  {
    auto* sc = r.add_shortcomings();
    sc->set_problem("行政执法力量不足。");
    sc->set_cause(
        "持证执法人员仅{{duty.officers.valid | 人}}，难以覆盖{{duty.domains.understaffed}}等领域");
  }
  {
    auto* p = r.add_plan_items();
    p->set_heading("推进行政执法规范化");
    p->add_paragraphs("把每项执法职权落实到岗位。");
  }
  *r.mutable_report_date() = Day(2025, 2, 20);
  return r;
}

ComposeInput SampleCompose() {
  ComposeInput input;
  input.inputs = SampleInputs();
  input.inputs.report = SampleReport();
  return input;
}

v1::ComposedReport ComposeOk(const ComposeInput& input) {
  absl::StatusOr<v1::ComposedReport> out = Compose(input, BuildFacts(input.inputs));
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : v1::ComposedReport();
}

std::vector<rv1::ContentItem> Items(const v1::ComposedReport& r) {
  std::vector<rv1::ContentItem> items;
  for (const auto& s : r.sections()) items.push_back(s.item());
  return items;
}

const v1::ComposedSection& SectionOf(const v1::ComposedReport& r, rv1::ContentItem item) {
  for (const auto& s : r.sections()) {
    if (s.item() == item) return s;
  }
  ADD_FAILURE() << "no section " << rv1::ContentItem_Name(item);
  static const v1::ComposedSection kNone;
  return kNone;
}

std::vector<std::string> Texts(const v1::ComposedSection& s, const std::string& origin = "") {
  std::vector<std::string> texts;
  for (const auto& b : s.blocks()) {
    if (origin.empty() || b.origin() == origin) texts.push_back(b.text());
  }
  return texts;
}

std::vector<std::string> BadRequestFields(const absl::Status& status) {
  google::rpc::BadRequest bad_request;
  EXPECT_TRUE(ReadDetail(status, bad_request)) << status;
  std::vector<std::string> fields;
  for (const auto& v : bad_request.field_violations()) fields.push_back(v.field());
  return fields;
}

TEST(ComposeTest, HeaderFieldsAreFilled) {
  const v1::ComposedReport r = ComposeOk(SampleCompose());
  EXPECT_EQ(r.report(), "orgs/test-minzheng/reports/2024");
  EXPECT_EQ(r.state(), rv1::REPORT_STATE_DRAFT);
  EXPECT_EQ(r.organ(), "测试县民政局");
  EXPECT_EQ(r.title(), "测试县民政局关于2024年法治政府建设情况的报告");
  EXPECT_THAT(r.preamble(), ElementsAre("2024年，测试县民政局认真落实法治政府建设各项部署。"));
  EXPECT_EQ(r.signature(), "测试县民政局");
  EXPECT_EQ(r.date(), "2025年2月20日");
  EXPECT_THAT(r.missing_backends(), IsEmpty());
}

TEST(ComposeTest, SectionsFollowTheLayoutAndOtherIsAppended) {
  const v1::ComposedReport r = ComposeOk(SampleCompose());
  EXPECT_THAT(Items(r), ElementsAre(rv1::CONTENT_ITEM_HEAD_DUTY, rv1::CONTENT_ITEM_MEASURES,
                                    rv1::CONTENT_ITEM_SHORTCOMINGS,
                                    rv1::CONTENT_ITEM_NEXT_YEAR_PLAN, rv1::CONTENT_ITEM_OTHER));
  std::vector<std::string> headings, numbers;
  for (const auto& s : r.sections()) {
    headings.push_back(s.heading());
    numbers.push_back(s.number());
  }
  EXPECT_THAT(headings,
              ElementsAre("2024年度主要负责人履职情况", "2024年度主要举措和成效",
                          "存在的不足、原因和整改情况", "2025年主要安排", "其他需要报告的情况"));
  EXPECT_THAT(numbers, ElementsAre("一、", "二、", "三、", "四、", "五、"));
}

TEST(ComposeTest, TheRegulationsOrderWithItsPreset) {
  ComposeInput input = SampleCompose();
  rv1::Layout* layout = input.inputs.report->mutable_layout();
  layout->Clear();
  layout->set_preset(rv1::LAYOUT_PRESET_REGULATION);
  for (const auto& e : kernel::PresetEntries(kernel::LayoutPreset::kRegulation)) {
    *layout->add_entries() = Entry(static_cast<rv1::ContentItem>(e.item), e.heading);
  }
  const v1::ComposedReport r = ComposeOk(input);
  EXPECT_THAT(Items(r), ElementsAre(rv1::CONTENT_ITEM_MEASURES, rv1::CONTENT_ITEM_SHORTCOMINGS,
                                    rv1::CONTENT_ITEM_HEAD_DUTY, rv1::CONTENT_ITEM_NEXT_YEAR_PLAN,
                                    rv1::CONTENT_ITEM_OTHER));
  EXPECT_EQ(r.sections(0).heading(), "2024年推进法治政府建设的主要举措和成效");
  EXPECT_EQ(r.sections(3).heading(), "2025年推进法治政府建设的主要安排");
}

TEST(ComposeTest, StoredHeadingsSayingNextOrLastYearGetTheYears) {
  // Layouts stored before the presets named the years.
  ComposeInput input = SampleCompose();
  rv1::Layout* layout = input.inputs.report->mutable_layout();
  layout->Clear();
  layout->set_preset(rv1::LAYOUT_PRESET_HEAD_FIRST);
  *layout->add_entries() =
      Entry(rv1::CONTENT_ITEM_MEASURES, "上一年度推进法治政府建设的主要举措和成效");
  *layout->add_entries() =
      Entry(rv1::CONTENT_ITEM_NEXT_YEAR_PLAN, "下一年度推进法治政府建设的初步安排");
  const v1::ComposedReport r = ComposeOk(input);
  EXPECT_EQ(r.sections(0).heading(), "2024年推进法治政府建设的主要举措和成效");
  EXPECT_EQ(r.sections(1).heading(), "2025年推进法治政府建设的初步安排");
}

TEST(ComposeTest, ItemsALayoutLeavesOutAreAddedInTheRegulationsOrder) {
  ComposeInput input = SampleCompose();
  rv1::Layout* layout = input.inputs.report->mutable_layout();
  layout->Clear();
  *layout->add_entries() = Entry(rv1::CONTENT_ITEM_SHORTCOMINGS, "不足");
  *layout->add_entries() = Entry(rv1::CONTENT_ITEM_HEAD_DUTY, "第一责任人");
  const v1::ComposedReport r = ComposeOk(input);
  EXPECT_THAT(Items(r), ElementsAre(rv1::CONTENT_ITEM_SHORTCOMINGS, rv1::CONTENT_ITEM_HEAD_DUTY,
                                    rv1::CONTENT_ITEM_MEASURES, rv1::CONTENT_ITEM_NEXT_YEAR_PLAN,
                                    rv1::CONTENT_ITEM_OTHER));
  EXPECT_EQ(r.sections(2).heading(), "2024年度推进法治政府建设的主要举措和成效");
  EXPECT_EQ(r.sections(3).heading(), "2025年度推进法治政府建设的主要安排");
  // The narrative still lands in its item's section.
  EXPECT_THAT(Texts(SectionOf(r, rv1::CONTENT_ITEM_MEASURES)),
              ::testing::Contains(HasSubstr("集中学习12次")));
}

TEST(ComposeTest, OtherIsNotDuplicatedWhenTheLayoutHasIt) {
  ComposeInput input = SampleCompose();
  *input.inputs.report->mutable_layout()->add_entries() =
      Entry(rv1::CONTENT_ITEM_OTHER, "其他情况");
  const v1::ComposedReport r = ComposeOk(input);
  ASSERT_EQ(r.sections_size(), 5);
  EXPECT_EQ(r.sections(4).heading(), "其他情况");
}

TEST(ComposeTest, NarrativeIsFilledWithNumberedSubHeadings) {
  const v1::ComposedReport r = ComposeOk(SampleCompose());
  const auto& measures = SectionOf(r, rv1::CONTENT_ITEM_MEASURES);
  ASSERT_EQ(measures.blocks_size(), 5);
  EXPECT_EQ(measures.blocks(0).kind(), v1::BLOCK_KIND_HEADING);
  EXPECT_EQ(measures.blocks(0).level(), 2);
  EXPECT_EQ(measures.blocks(0).number(), "（一）");
  EXPECT_EQ(measures.blocks(0).text(), "领导班子学法常态化");
  EXPECT_EQ(measures.blocks(1).kind(), v1::BLOCK_KIND_PARAGRAPH);
  EXPECT_EQ(measures.blocks(1).origin(), "narrative");
  EXPECT_EQ(measures.blocks(1).text(),
            "全年集中学习12次，重点学习了《民法典》《宪法》《行政处罚法》等法律。");
  EXPECT_EQ(measures.blocks(2).text(), "在尧山广场、县救助站等地开展宣传。");
  EXPECT_EQ(measures.blocks(3).number(), "（二）");
  EXPECT_EQ(measures.blocks(4).text(), "持证执法人员5人。");
  // Sub-heading numbers restart in every section.
  const auto& plan = SectionOf(r, rv1::CONTENT_ITEM_NEXT_YEAR_PLAN);
  EXPECT_EQ(plan.blocks(0).number(), "（一）");
  EXPECT_EQ(plan.blocks(0).text(), "推进行政执法规范化");
  const auto& head = SectionOf(r, rv1::CONTENT_ITEM_HEAD_DUTY);
  EXPECT_THAT(Texts(head), ElementsAre("主要负责人主持党组学法三次。"));
}

TEST(ComposeTest, ASectionNobodyWroteIsGeneratedFromTheFacts) {
  const v1::ComposedReport r = ComposeOk(SampleCompose());
  const auto& other = SectionOf(r, rv1::CONTENT_ITEM_OTHER);
  ASSERT_EQ(other.blocks_size(), 1);
  EXPECT_EQ(other.blocks(0).origin(), "generated");
  EXPECT_EQ(other.blocks(0).text(), "无其他需要报告的情况。");

  ComposeInput input = SampleCompose();
  input.inputs.report->clear_sections();
  input.inputs.report->clear_shortcomings();
  input.inputs.report->clear_plan_items();
  const v1::ComposedReport bare = ComposeOk(input);
  const auto& measures = SectionOf(bare, rv1::CONTENT_ITEM_MEASURES);
  EXPECT_THAT(
      Texts(measures, "generated"),
      ElementsAre(
          "全年开展各类学法活动20次、30学时，参学697人次，其中集中学习12次、党组（中心组）学法3次；"
          "学习内容涉及《民法典》《宪法》《行政处罚法》等法律法规。",
          AllOf(HasSubstr("普法宣传3场"), HasSubstr("尧山广场、县救助站"),
                HasSubstr("发放宣传资料1100份")),
          "梳理行政执法事项13项，其中6项已依法配足执法人员；执法人员名册中在编在岗9人，"
          "持有效执法证5人，具有法律职业资格2人。"));
  // The regulation's duties in its words, then only what the records show.
  EXPECT_THAT(
      Texts(SectionOf(bare, rv1::CONTENT_ITEM_HEAD_DUTY), "generated"),
      ElementsAre(
          AllOf(HasSubstr("《党政主要负责人履行推进法治建设第一责任人职责规定》"),
                HasSubstr("亲自部署")),
          "本年度学法记录显示，主要负责人参加各类学法活动15次，其中党组（中心组）学法3次。"));
  EXPECT_THAT(Texts(SectionOf(bare, rv1::CONTENT_ITEM_NEXT_YEAR_PLAN), "generated"),
              ElementsAre(HasSubstr("2025年将针对2024年存在的不足逐项整改")));
  for (const auto& s : bare.sections()) {
    for (const auto& b : s.blocks()) EXPECT_NE(b.origin(), "narrative") << b.text();
  }
}

TEST(ComposeTest, ShortcomingsHoldAuthoredEntriesThenUnsuppressedFindingsInOneSequence) {
  ComposeInput input = SampleCompose();
  input.inputs.report->add_suppressed_findings("duty.certificates.lapsed");
  const v1::ComposedReport r = ComposeOk(input);
  const auto& s = SectionOf(r, rv1::CONTENT_ITEM_SHORTCOMINGS);
  const std::vector<std::string> texts = Texts(s);
  ASSERT_GE(texts.size(), 3u);
  EXPECT_EQ(
      texts[0],
      "一是运用法治思维的自觉性有待提高。原因：专题研讨不多。整改：2025年起每季度安排一次专题研讨。"
      "（责任：办公室，2025年12月31日前完成）");
  // A problem already ending a sentence gets no second full stop.
  EXPECT_EQ(texts[1],
            "二是行政执法力量不足。原因：持证执法人员仅5人，难以覆盖养老服务、婚姻登记、慈善、殡葬"
            "、社会救助等领域。");
  EXPECT_EQ(s.blocks(0).origin(), "narrative");
  // No heading of its own: the findings go on with 三是, 四是…
  for (const auto& b : s.blocks()) EXPECT_EQ(b.kind(), v1::BLOCK_KIND_PARAGRAPH) << b.text();
  const std::vector<std::string> findings = Texts(s, "finding");
  ASSERT_EQ(findings.size(), 8u);  // nine, one suppressed
  EXPECT_EQ(findings[0],
            "三是第三季度未开展党组（中心组）学法，未做到每季度至少学法一次。"
            "原因：全年党组（中心组）学法3次，均安排在第一、第二、第四季度，未按季度分布。"
            "整改：把党组（中心组）学法列入党组会议年度计划，逐季度安排并留存记录。（责任：办公室，"
            "2025年3月31日前完成）");
  EXPECT_THAT(findings[1], StartsWith("四是学法计划要求每月"));
  EXPECT_THAT(findings[3],
              StartsWith("六是养老服务、殡葬2个领域共4项执法事项持有效执法证的执法人员不足两人"));
  EXPECT_THAT(findings[3], AllOf(HasSubstr("原因："), HasSubstr("整改："),
                                 HasSubstr("（责任：人事部门，2025年6月30日前完成）")));
  EXPECT_THAT(findings, Not(::testing::Contains(HasSubstr("执法证已过期或失效"))));
  EXPECT_THAT(findings.back(), StartsWith("十是1名持证执法人员年度培训学时未达到60学时"));
  // The findings list keeps the suppressed one, flagged, with its remedy.
  int suppressed = 0;
  for (const auto& f : r.findings()) {
    EXPECT_FALSE(f.cause().empty()) << f.id();
    EXPECT_FALSE(f.rectification().empty()) << f.id();
    EXPECT_FALSE(f.owner().empty()) << f.id();
    EXPECT_GT(f.due_date().year(), 0) << f.id();
    EXPECT_EQ(f.kind(), f.id().substr(0, f.kind().size())) << f.id();
    if (f.suppressed()) {
      ++suppressed;
      EXPECT_EQ(f.id(), "duty.certificates.lapsed");
    }
  }
  EXPECT_EQ(suppressed, 1);
  EXPECT_EQ(r.findings_size(), 9);
}

TEST(ComposeTest, AnOrganizationsOwnRemedyIsFilledLikeNarrative) {
  ComposeInput input = SampleCompose();
  auto* remedy = input.inputs.organization->add_finding_remedies();
  remedy->set_finding("duty.training.short");
  remedy->set_rectification(
      "{{next_year}}年组织补训，持证人员{{duty.officers.valid | 人}}全部达标");
  const v1::ComposedReport r = ComposeOk(input);
  const std::vector<std::string> findings =
      Texts(SectionOf(r, rv1::CONTENT_ITEM_SHORTCOMINGS), "finding");
  EXPECT_THAT(findings.back(), HasSubstr("整改：2025年组织补训，持证人员5人全部达标。"));
  for (const auto& f : r.findings()) {
    EXPECT_EQ(f.remedy_from_organization(), f.id() == "duty.training.short") << f.id();
  }
  // A template error in it is named by its field.
  remedy->set_cause("{{duty.nope}}");
  absl::StatusOr<v1::ComposedReport> out = Compose(input, BuildFacts(input.inputs));
  ASSERT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(out.status()),
              ElementsAre("organization.finding_remedies[0].cause"));
}

TEST(ComposeTest, NoShortcomingsAndEveryFindingSuppressedIsGenerated) {
  ComposeInput input = SampleCompose();
  input.inputs.report->clear_shortcomings();
  for (const Finding& f : DeriveFindings(input.inputs, {})) {
    input.inputs.report->add_suppressed_findings(f.id);
  }
  const v1::ComposedReport r = ComposeOk(input);
  const auto& s = SectionOf(r, rv1::CONTENT_ITEM_SHORTCOMINGS);
  ASSERT_EQ(s.blocks_size(), 1);
  EXPECT_EQ(s.blocks(0).origin(), "generated");
  EXPECT_THAT(s.blocks(0).text(), HasSubstr("未发现需要报告的不足"));
}

TEST(ComposeTest, EveryUnknownFactIsNamedWithItsField) {
  ComposeInput input = SampleCompose();
  rv1::Report& report = *input.inputs.report;
  report.mutable_sections(1)->mutable_items(0)->add_paragraphs(
      "共{{study.no_such_fact}}次");  // paragraphs[1]
  report.mutable_sections(0)->mutable_items(1)->set_heading("{{duty.nope}}");
  report.mutable_shortcomings(1)->set_rectification("补足{{duty.officers.wrong | 人}}");
  report.set_title("{{org.fullname}}的报告");
  report.mutable_layout()->mutable_entries(3)->set_heading("{{next.year}}年主要安排");
  report.mutable_plan_items(0)->add_paragraphs("语法{{错误");
  absl::StatusOr<v1::ComposedReport> out = Compose(input, BuildFacts(input.inputs));
  ASSERT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(BadRequestFields(out.status()),
              ::testing::UnorderedElementsAre("report.title", "report.layout.entries[3].heading",
                                              "report.sections[1].items[0].paragraphs[1]",
                                              "report.sections[0].items[1].heading",
                                              "report.shortcomings[1].rectification",
                                              "report.plan_items[0].paragraphs[1]"));
  const std::string message(out.status().message());
  for (const char* name :
       {"study.no_such_fact", "duty.nope", "duty.officers.wrong", "org.fullname", "next.year"}) {
    EXPECT_THAT(message, HasSubstr(name));
  }
}

TEST(ComposeTest, ANotStartedReportGetsTheDefaultsAndAFirstDraft) {
  ComposeInput input;
  input.inputs = SampleInputs();
  const v1::ComposedReport r = ComposeOk(input);
  EXPECT_EQ(r.state(), rv1::REPORT_STATE_UNSPECIFIED);
  EXPECT_EQ(r.title(), "测试县民政局关于2024年法治政府建设情况的报告");
  EXPECT_THAT(Items(r), ElementsAre(rv1::CONTENT_ITEM_MEASURES, rv1::CONTENT_ITEM_SHORTCOMINGS,
                                    rv1::CONTENT_ITEM_HEAD_DUTY, rv1::CONTENT_ITEM_NEXT_YEAR_PLAN,
                                    rv1::CONTENT_ITEM_OTHER));
  EXPECT_EQ(r.sections(0).heading(), "2024年度推进法治政府建设的主要举措和成效");
  // Findings alone fill the shortcomings section, from 一是.
  EXPECT_THAT(SectionOf(r, rv1::CONTENT_ITEM_SHORTCOMINGS).blocks(0).text(),
              StartsWith("一是第三季度"));
  EXPECT_EQ(r.date(), "");
}

TEST(ComposeTest, AMissingBackendIsMarkedInTheDraft) {
  ComposeInput input = SampleCompose();
  input.inputs.study.reset();
  input.missing_backends = {"study"};
  const v1::ComposedReport r = ComposeOk(input);
  EXPECT_THAT(r.missing_backends(), ElementsAre("study"));
  const std::string marker = "〔待补：study服务数据缺失〕";
  EXPECT_EQ(SectionOf(r, rv1::CONTENT_ITEM_MEASURES).blocks(1).text(),
            "全年集中学习" + marker + "次，重点学习了" + marker + "等法律。");
  // Duty facts are still there, and no study finding is claimed.
  EXPECT_EQ(SectionOf(r, rv1::CONTENT_ITEM_MEASURES).blocks(4).text(), "持证执法人员5人。");
  for (const auto& f : r.findings()) EXPECT_THAT(f.id(), StartsWith("duty.")) << f.id();
  // A section nobody wrote says what is missing.
  const auto& other = SectionOf(r, rv1::CONTENT_ITEM_OTHER);
  ASSERT_GE(other.blocks_size(), 1);
  EXPECT_EQ(other.blocks(0).origin(), "missing");
  EXPECT_EQ(other.blocks(0).text(), marker);
}

TEST(ComposeTest, ToDocumentLaysOutHeadingsAndParagraphs) {
  const v1::ComposedReport r = ComposeOk(SampleCompose());
  const fazhi::render::Document d = ToDocument(r);
  EXPECT_EQ(d.title, r.title());
  EXPECT_EQ(d.organ, "测试县民政局");
  EXPECT_EQ(d.date, "2025年2月20日");
  ASSERT_GE(d.body.size(), 3u);
  EXPECT_EQ(d.body[0].kind, fazhi::render::BlockKind::kParagraph);  // the preamble
  EXPECT_EQ(d.body[1].kind, fazhi::render::BlockKind::kHeading);
  EXPECT_EQ(d.body[1].level, 1);
  EXPECT_EQ(d.body[1].number, "一、");
  EXPECT_EQ(d.body[1].text, "2024年度主要负责人履职情况");
  int level1 = 0;
  for (const auto& b : d.body)
    level1 += b.kind == fazhi::render::BlockKind::kHeading && b.level == 1;
  EXPECT_EQ(level1, 5);
  // No 版头 unless the report has a 发文字号; no addressee unless known.
  EXPECT_EQ(d.document_number, "");
  EXPECT_EQ(d.issuer, "");
  EXPECT_EQ(d.addressee, "");
}

TEST(ComposeTest, AddresseeAndHeaderComeFromTheOrganizationAndReport) {
  ComposeInput input = SampleCompose();
  input.inputs.organization->set_effective_addressee("县委依法治县办");
  input.inputs.report->set_document_number("测民〔2025〕3号");
  input.inputs.report->mutable_signatory()->set_name("王建华");
  const v1::ComposedReport r = ComposeOk(input);
  EXPECT_EQ(r.addressee(), "县委依法治县办");
  EXPECT_EQ(r.document_number(), "测民〔2025〕3号");
  EXPECT_EQ(r.issuer(), "王建华");
  const fazhi::render::Document d = ToDocument(r);
  EXPECT_EQ(d.addressee, "县委依法治县办");
  EXPECT_EQ(d.document_number, "测民〔2025〕3号");
  EXPECT_EQ(d.issuer, "王建华");
  EXPECT_EQ(d.date, "2025年2月20日");  // Arabic digits, full year, no leading zeros
}

}  // namespace
}  // namespace fazhi::gateway
