#ifndef FAZHI_TESTS_REPORT_EARLIER_ROWS_H_
#define FAZHI_TESTS_REPORT_EARLIER_ROWS_H_

// Two records with every field set (texts that need escaping, absent
// optional values among present ones) and their JSON columns exactly as
// earlier versions of the report store wrote them (nlohmann::json::dump:
// members in key order, no spaces, UTF-8 unescaped). Existing databases
// hold rows of this format; they must read the same and keep their bytes.

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/report/model.h"

namespace fazhi::report {

inline Organization RichOrganization() {
  Organization o;
  o.meta.id = "minzheng";
  o.meta.org = "minzheng";
  o.full_name = "鲁山县民政局";
  o.region = "河南省平顶山市鲁山县";
  o.supervisors = {"yifazhixian", "shi-minzheng"};
  o.credit_code = "11410423005703518N";
  o.contacts = {{"王某", "0375-5012345", "fzb@example.org"}, {"李\"四\"", "", "a\\b@example.org"}};
  o.two_person_approval = true;
  o.finding_remedies = {{"duty.staff_short", "编制所限，“执法”岗位空缺\n第二行",
                         "{{next_year}}年补充", "人事股", 0, 9, 30},
                        {"duty.training.short", "", "", "", 2025, 4, 30},
                        {"study.lecture.short", "\x01\x1f tab\t", "😀", "/slash/", 0, 0, 0}};
  o.addressee = "县委依法治县办";
  return o;
}

inline Report RichReport() {
  Report r;
  r.meta.org = "minzheng";
  r.meta.id = "2024";
  r.meta.revision = 7;
  r.meta.create_time = absl::FromUnixMicros(1735689600123456);
  r.meta.update_time = absl::FromUnixMicros(1740000000654321);
  r.year = 2024;
  r.state = ReportState::kPublished;
  r.revision = 2;
  r.published_revision = 2;
  r.correction_reason = "更正\"学习\"次数";
  ReportContent& c = r.content;
  c.title = "鲁山县民政局关于2024年法治政府建设情况的报告";
  c.layout.preset = LayoutPreset::kCustom;
  c.layout.entries = {{ContentItem::kHeadDuty, "一把手"},
                      {ContentItem::kMeasures, "{{year}}年举措"}};
  c.preamble = {"开头第一段", "第二段\r\n"};
  c.sections = {{ContentItem::kMeasures,
                 {{"（一）学法", {"共{{study.sessions.all_staff}}次", "back\\slash"}}, {"", {}}}},
                {ContentItem::kOther, {}}};
  c.shortcomings = {{"执法力量不足", "缺少法律专业人才", "招录并培训", "政策法规股",
                     absl::CivilDay(2025, 6, 30), RectificationStatus::kInProgress},
                    {"p", "", "", "", std::nullopt, RectificationStatus::kOpen}};
  c.plan_items = {{"分解执法职责", {"落实到岗位"}, "执法科", std::nullopt},
                  {"h", {}, "", absl::CivilDay(2025, 12, 31)}};
  c.signatory = {"张三", "局长"};
  c.report_date = absl::CivilDay(2025, 2, 20);
  c.document_number = "鲁民〔2025〕3号";
  c.submit_before = absl::CivilDay(2025, 2, 25);
  c.publish_before = absl::CivilDay(2025, 4, 1);
  c.suppressed_findings = {"study.lecture.short"};
  Lifecycle& l = r.life;
  l.submitted_by = "clerk";
  l.submit_time = absl::FromUnixMicros(1739000000000001);
  l.approved_by = "head";
  l.approve_time = absl::FromUnixMicros(1739100000000002);
  l.published_by = "office";
  l.publish_time = absl::FromUnixMicros(1739200000000003);
  l.first_submit_time = absl::FromUnixMicros(1736000000000000);
  l.last_transition = Transition{"PublishReport",
                                 "office",
                                 absl::FromUnixMicros(1739200000000003),
                                 "发布\n说明",
                                 ReportState::kApproved,
                                 ReportState::kPublished};
  return r;
}

// The JSON columns of RichOrganization()'s row in organizations.
inline constexpr char kEarlierSupervisors[] = R"json(["yifazhixian","shi-minzheng"])json";
inline constexpr char kEarlierContacts[] =
    R"json([{"email":"fzb@example.org","name":"王某","phone":"0375-5012345"},)json"
    R"json({"email":"a\\b@example.org","name":"李\"四\"","phone":""}])json";
inline constexpr char kEarlierRemedies[] =
    R"json([{"cause":"编制所限，“执法”岗位空缺\n第二行","due":[0,9,30],)json"
    R"json("finding":"duty.staff_short","owner":"人事股",)json"
    R"json("rectification":"{{next_year}}年补充"},{"cause":"","due":[2025,4,30],)json"
    R"json("finding":"duty.training.short","owner":"","rectification":""},)json"
    R"json({"cause":"\u0001\u001f tab\t","due":[0,0,0],"finding":"study.lecture.short",)json"
    R"json("owner":"/slash/","rectification":"😀"}])json";

// The JSON columns of RichReport()'s row in reports.
inline constexpr char kEarlierContent[] =
    R"json({"document_number":"鲁民〔2025〕3号",)json"
    R"json("layout":{"entries":[{"heading":"一把手","item":3},)json"
    R"json({"heading":"{{year}}年举措","item":1}],"preset":4},)json"
    R"json("plan_items":[{"due_date":null,"heading":"分解执法职责","owner":"执法科",)json"
    R"json("paragraphs":["落实到岗位"]},{"due_date":"2025-12-31","heading":"h","owner":"",)json"
    R"json("paragraphs":[]}],"preamble":["开头第一段","第二段\r\n"],)json"
    R"json("report_date":"2025-02-20","sections":[{"item":1,)json"
    R"json("items":[{"heading":"（一）学法",)json"
    R"json("paragraphs":["共{{study.sessions.all_staff}}次","back\\slash"]},{"heading":"",)json"
    R"json("paragraphs":[]}]},{"item":5,"items":[]}],)json"
    R"json("shortcomings":[{"cause":"缺少法律专业人才","due_date":"2025-06-30",)json"
    R"json("owner":"政策法规股","problem":"执法力量不足",)json"
    R"json("rectification":"招录并培训","status":2},{"cause":"","due_date":null,)json"
    R"json("owner":"","problem":"p","rectification":"","status":1}],)json"
    R"json("signatory":{"name":"张三","title":"局长"},)json"
    R"json("suppressed_findings":["study.lecture.short"]})json";
inline constexpr char kEarlierLifecycle[] =
    R"json({"approve_time":1739100000000002,"approved_by":"head","first_publish_time":null,)json"
    R"json("first_submit_time":1736000000000000,"last_transition":{"actor":"office",)json"
    R"json("comment":"发布\n说明","from":3,"method":"PublishReport",)json"
    R"json("time":1739200000000003,"to":4},"publish_time":1739200000000003,)json"
    R"json("published_by":"office","submit_time":1739000000000001,"submitted_by":"clerk"})json";

// RichReport() frozen in a report_revisions row: its content and lifecycle
// as in its reports row.
inline std::string EarlierSnapshot() {
  return absl::StrCat(
      R"json({"content":)json", kEarlierContent,
      R"json(,"correction_reason":"更正\"学习\"次数","create_time":1735689600123456,)json"
      R"json("id":"2024","lifecycle":)json",
      kEarlierLifecycle,
      R"json(,"org":"minzheng","publish_before":"2025-04-01","published_revision":2,)json"
      R"json("revision":2,"row_revision":7,"state":4,"submit_before":"2025-02-25",)json"
      R"json("title":"鲁山县民政局关于2024年法治政府建设情况的报告",)json"
      R"json("update_time":1740000000654321,"year":2024})json");
}

// The same three for a default Report.
inline constexpr char kEarlierEmptyContent[] =
    R"json({"document_number":"","layout":{"entries":[],"preset":1},"plan_items":[],)json"
    R"json("preamble":[],"report_date":null,"sections":[],"shortcomings":[],)json"
    R"json("signatory":{"name":"","title":""},"suppressed_findings":[]})json";
inline constexpr char kEarlierEmptyLifecycle[] =
    R"json({"approve_time":null,"approved_by":"","first_publish_time":null,)json"
    R"json("first_submit_time":null,"last_transition":null,"publish_time":null,)json"
    R"json("published_by":"","submit_time":null,"submitted_by":""})json";
inline std::string EarlierEmptySnapshot() {
  return absl::StrCat(
      R"json({"content":)json", kEarlierEmptyContent,
      R"json(,"correction_reason":"","create_time":0,"id":"","lifecycle":)json",
      kEarlierEmptyLifecycle,
      R"json(,"org":"","publish_before":"1970-01-01","published_revision":0,)json"
      R"json("revision":1,"row_revision":0,"state":1,"submit_before":"1970-01-01",)json"
      R"json("title":"","update_time":0,"year":0})json");
}

}  // namespace fazhi::report

#endif  // FAZHI_TESTS_REPORT_EARLIER_ROWS_H_
