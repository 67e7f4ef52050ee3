#include "services/gateway/compose.h"

#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/validation.h"
#include "services/gateway/fill.h"
#include "services/kernel/layout.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace rv1 = fazhi::report::v1;

// "一是", "二是", … for listing shortcomings in one voice.
std::string Ordinal(int n) { return absl::StrCat(fazhi::render::ChineseNumeral(n), "是"); }

// The text closed with a full stop unless it already ends a sentence.
std::string Sentence(std::string text) {
  for (const char* end : {"。", "！", "？", "；"}) {
    const std::string e(end);
    if (text.size() >= e.size() && text.compare(text.size() - e.size(), e.size(), e) == 0)
      return text;
  }
  return text.empty() ? text : text + "。";
}

class Composer {
 public:
  Composer(const ComposeInput& input, const FactCatalogue& facts)
      : in_(input.inputs),
        facts_(facts),
        missing_(input.missing_backends),
        narrative_field_(input.narrative_field) {}

  absl::StatusOr<v1::ComposedReport> Run() {
    v1::ComposedReport out;
    out.set_report(ReportName{in_.org, in_.year}.Format());
    const std::string organ = in_.organization ? in_.organization->full_name() : OrgName(in_.org);
    out.set_organ(organ);
    const rv1::Report& report = in_.report ? *in_.report : rv1::Report::default_instance();
    out.set_state(in_.report ? report.state() : rv1::REPORT_STATE_UNSPECIFIED);
    out.set_title(report.title().empty() ? kernel::DefaultTitle(organ, in_.year)
                                         : Fill(report.title(), "report.title"));
    for (int i = 0; i < report.preamble_size(); ++i) {
      out.add_preamble(Fill(report.preamble(i), absl::StrCat("report.preamble[", i, "]")));
    }

    std::set<std::string> suppressed(report.suppressed_findings().begin(),
                                     report.suppressed_findings().end());
    findings_ = DeriveFindings(in_, suppressed);
    // An organization's own remedy is a template; the defaults are plain.
    for (Finding& f : findings_) {
      if (f.remedy_field.empty()) continue;
      f.cause = Fill(f.cause, f.remedy_field + ".cause");
      f.rectification = Fill(f.rectification, f.remedy_field + ".rectification");
    }
    for (const Finding& f : findings_) {
      auto* p = out.add_findings();
      p->set_id(f.id);
      p->set_kind(f.kind);
      p->set_type(f.type);
      p->set_text(f.text);
      for (const auto& e : f.evidence) p->add_evidence(e);
      for (const auto& r : f.records) p->add_records(r);
      p->set_suppressed(f.suppressed);
      p->set_cause(f.cause);
      p->set_rectification(f.rectification);
      p->set_owner(f.owner);
      if (f.due) *p->mutable_due_date() = ToDate(*f.due);
      p->set_remedy_from_organization(!f.remedy_field.empty());
    }

    for (const auto& [item, heading, field] : Layout(report)) {
      auto* section = out.add_sections();
      section->set_item(item);
      section->set_heading(Fill(kernel::WithYears(heading), field));
      AddSection(report, item, *section);
    }
    out.set_signature(organ);
    // 公文 front matter: the 主送机关, and for a 版头 the 发文字号 with its 签发人.
    if (in_.organization) out.set_addressee(in_.organization->effective_addressee());
    out.set_document_number(report.document_number());
    if (!report.document_number().empty()) out.set_issuer(report.signatory().name());
    if (IsSet(report.report_date())) {
      out.set_date(ChineseDate(report.report_date().year(), report.report_date().month(),
                               report.report_date().day()));
    }
    for (const auto& m : missing_) out.add_missing_backends(m);
    NumberSections(out);

    if (!problems_.empty()) {
      FieldViolations v;
      for (const auto& p : problems_) v.Add(ProblemField(p.field), p.problem);
      return v.ToStatus();
    }
    return out;
  }

 private:
  // "report.title" as the request names it ("draft.title" for a draft).
  std::string ProblemField(const std::string& field) const {
    if (narrative_field_ == "report" || !absl::StartsWith(field, "report.")) return field;
    return absl::StrCat(narrative_field_, field.substr(std::string("report").size()));
  }

  std::string Fill(const std::string& text, const std::string& field) {
    return FillTemplate(text, facts_, field, problems_, missing_);
  }

  // The layout's sections, plus any of the five items it leaves out (the
  // regulation requires all five), in the regulation's wording.
  std::vector<std::tuple<rv1::ContentItem, std::string, std::string>> Layout(const rv1::Report& r) {
    std::vector<std::tuple<rv1::ContentItem, std::string, std::string>> entries;
    std::set<int> seen;
    for (int i = 0; i < r.layout().entries_size(); ++i) {
      const auto& e = r.layout().entries(i);
      entries.emplace_back(e.item(), e.heading(),
                           absl::StrCat("report.layout.entries[", i, "].heading"));
      seen.insert(e.item());
    }
    for (const auto& preset : kernel::PresetEntries(kernel::LayoutPreset::kYearPrefixed)) {
      const int item = static_cast<int>(preset.item);
      if (seen.insert(item).second) {
        entries.emplace_back(static_cast<rv1::ContentItem>(item), preset.heading, "default layout");
      }
    }
    bool has_other = false;
    for (const auto& e : entries)
      has_other = has_other || std::get<0>(e) == rv1::CONTENT_ITEM_OTHER;
    if (!has_other)
      entries.emplace_back(rv1::CONTENT_ITEM_OTHER, "其他需要报告的情况", "default layout");
    return entries;
  }

  static void AddBlock(v1::ComposedSection& s, v1::BlockKind kind, int level, std::string text,
                       const char* origin) {
    auto* b = s.add_blocks();
    b->set_kind(kind);
    b->set_level(level);
    b->set_text(std::move(text));
    b->set_origin(origin);
  }

  void AddSection(const rv1::Report& r, rv1::ContentItem item, v1::ComposedSection& s) {
    bool wrote = false;
    for (int si = 0; si < r.sections_size(); ++si) {
      if (r.sections(si).item() != item) continue;
      const auto& section = r.sections(si);
      for (int ii = 0; ii < section.items_size(); ++ii) {
        const auto& it = section.items(ii);
        const std::string at = absl::StrCat("report.sections[", si, "].items[", ii, "]");
        if (!it.heading().empty()) {
          AddBlock(s, v1::BLOCK_KIND_HEADING, 2, Fill(it.heading(), at + ".heading"), "narrative");
        }
        for (int pi = 0; pi < it.paragraphs_size(); ++pi) {
          AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0,
                   Fill(it.paragraphs(pi), absl::StrCat(at, ".paragraphs[", pi, "]")), "narrative");
          wrote = true;
        }
      }
    }
    if (item == rv1::CONTENT_ITEM_SHORTCOMINGS) wrote = AddShortcomings(r, s) || wrote;
    if (item == rv1::CONTENT_ITEM_NEXT_YEAR_PLAN) wrote = AddPlanItems(r, s) || wrote;
    if (!wrote) AddGenerated(item, s);
  }

  // "一是…。原因：…。整改：…。（责任：…，…前完成）": the authored
  // shortcomings first, then the findings, in one sequence.
  static std::string Shortcoming(int n, const std::string& problem, const std::string& cause,
                                 const std::string& rectification, const std::string& owner,
                                 std::optional<absl::CivilDay> due) {
    std::string text = absl::StrCat(Ordinal(n), Sentence(problem));
    if (!cause.empty()) absl::StrAppend(&text, "原因：", Sentence(cause));
    if (!rectification.empty()) absl::StrAppend(&text, "整改：", Sentence(rectification));
    std::vector<std::string> who_when;
    if (!owner.empty()) who_when.push_back(absl::StrCat("责任：", owner));
    if (due)
      who_when.push_back(
          absl::StrCat(ChineseDate(due->year(), due->month(), due->day()), "前完成"));
    if (!who_when.empty()) absl::StrAppend(&text, "（", absl::StrJoin(who_when, "，"), "）");
    return text;
  }

  bool AddShortcomings(const rv1::Report& r, v1::ComposedSection& s) {
    int n = 0;
    for (int i = 0; i < r.shortcomings_size(); ++i) {
      const auto& sc = r.shortcomings(i);
      const std::string at = absl::StrCat("report.shortcomings[", i, "]");
      std::optional<absl::CivilDay> due;
      if (IsSet(sc.due_date())) due = ToCivilDay(sc.due_date());
      AddBlock(
          s, v1::BLOCK_KIND_PARAGRAPH, 0,
          Shortcoming(++n, Fill(sc.problem(), at + ".problem"), Fill(sc.cause(), at + ".cause"),
                      Fill(sc.rectification(), at + ".rectification"), sc.owner(), due),
          "narrative");
    }
    for (const Finding& f : findings_) {
      if (f.suppressed) continue;
      AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0,
               Shortcoming(++n, f.text, f.cause, f.rectification, f.owner, f.due), "finding");
    }
    return n > 0;
  }

  bool AddPlanItems(const rv1::Report& r, v1::ComposedSection& s) {
    for (int i = 0; i < r.plan_items_size(); ++i) {
      const auto& p = r.plan_items(i);
      const std::string at = absl::StrCat("report.plan_items[", i, "]");
      AddBlock(s, v1::BLOCK_KIND_HEADING, 2, Fill(p.heading(), at + ".heading"), "narrative");
      for (int j = 0; j < p.paragraphs_size(); ++j) {
        AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0,
                 Fill(p.paragraphs(j), absl::StrCat(at, ".paragraphs[", j, "]")), "narrative");
      }
    }
    return r.plan_items_size() > 0;
  }

  std::string F(const std::string& name, const std::string& unit = "") {
    const Fact* fact = facts_.Find(name);
    return fact == nullptr ? std::string("—") : absl::StrCat(fact->text, unit);
  }
  bool HasPrefix(const std::string& service) {
    auto it = facts_.facts().lower_bound(service + ".");
    return it != facts_.facts().end() && it->first.rfind(service + ".", 0) == 0;
  }

  const Fact* FactOrNull(const std::string& name) const { return facts_.Find(name); }
  double Number(const std::string& name) const {
    const Fact* fact = facts_.Find(name);
    return fact != nullptr && fact->number ? *fact->number : 0;
  }

  // A first draft for a section nobody wrote: the regulation's words and
  // what the records show, never an activity without a record.
  void AddGenerated(rv1::ContentItem item, v1::ComposedSection& s) {
    std::vector<std::string> paragraphs;
    const bool study = HasPrefix("study"), duty = HasPrefix("duty");
    switch (item) {
      case rv1::CONTENT_ITEM_HEAD_DUTY:
        paragraphs.push_back(
            "按照《党政主要负责人履行推进法治建设第一责任人职责规定》，主要负责人作为推进法治建设第"
            "一责任人，"
            "对法治建设重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办。");
        if (study && Number("study.head_attended") > 0) {
          std::string text = absl::StrCat("本年度学法记录显示，主要负责人参加各类学法活动",
                                          F("study.head_attended", "次"));
          if (Number("study.leadership.head_attended") > 0) {
            absl::StrAppend(&text, "，其中党组（中心组）学法",
                            F("study.leadership.head_attended", "次"));
          }
          if (Number("study.duty_statement.head_attended") > 0) {
            absl::StrAppend(&text, "，参加述法", F("study.duty_statement.head_attended", "次"));
          }
          paragraphs.push_back(text + "。");
        } else if (study) {
          paragraphs.push_back("本年度学法记录中没有主要负责人参加学法活动的记录。");
        }
        break;
      case rv1::CONTENT_ITEM_MEASURES:
        if (study && Number("study.sessions.total") > 0) {
          std::string text =
              absl::StrCat("全年开展各类学法活动", F("study.sessions.total", "次"), "、",
                           F("study.hours", "学时"), "，参学", F("study.attendances", "人次"));
          if (Number("study.all_staff.sessions") > 0) {
            absl::StrAppend(&text, "，其中集中学习", F("study.all_staff.sessions", "次"));
          }
          if (Number("study.leadership.sessions") > 0) {
            absl::StrAppend(&text, "、党组（中心组）学法", F("study.leadership.sessions", "次"));
          }
          const Fact* laws = FactOrNull("study.sessions.laws");
          if (laws != nullptr && !laws->items.empty()) {
            std::vector<std::string> titles;
            for (const std::string& law : laws->items)
              titles.push_back(absl::StrCat("《", law, "》"));
            absl::StrAppend(&text, "；学习内容涉及", absl::StrJoin(titles, ""), "等法律法规");
          }
          paragraphs.push_back(text + "。");
        }
        if (study && Number("study.publicity.events") > 0) {
          paragraphs.push_back(absl::StrCat(
              "开展普法宣传", F("study.publicity.events", "场"), "，地点包括",
              F("study.publicity.places"), "，设置展板", F("study.publicity.display_boards", "块"),
              "，发放宣传资料", F("study.publicity.leaflets", "份"), "，受众",
              F("study.publicity.people_reached", "人次"), "。"));
        }
        if (duty && Number("duty.powers") > 0) {
          paragraphs.push_back(absl::StrCat(
              "梳理行政执法事项", F("duty.powers", "项"), "，其中", F("duty.powers.staffed", "项"),
              "已依法配足执法人员；执法人员名册中在编在岗", F("duty.officers", "人"),
              "，持有效执法证", F("duty.officers.valid", "人"), "，具有法律职业资格",
              F("duty.officers.legal", "人"), "。"));
        }
        break;
      case rv1::CONTENT_ITEM_SHORTCOMINGS:
        paragraphs.push_back("经对本年度学法、普法和行政执法记录核查，未发现需要报告的不足。");
        break;
      case rv1::CONTENT_ITEM_NEXT_YEAR_PLAN:
        paragraphs.push_back(
            absl::StrCat(in_.year + 1, "年将针对", in_.year,
                         "年存在的不足逐项整改，落实学法制度，补齐执法力量短板。"));
        break;
      case rv1::CONTENT_ITEM_OTHER:
        paragraphs.push_back("无其他需要报告的情况。");
        break;
      default:
        break;
    }
    for (const std::string& m : missing_) {
      AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0, MissingMarker(m), "missing");
    }
    for (auto& p : paragraphs) AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0, std::move(p), "generated");
  }

  // Numbers sections (一、) and their sub-headings (（一）).
  static void NumberSections(v1::ComposedReport& out) {
    for (int i = 0; i < out.sections_size(); ++i) {
      auto* section = out.mutable_sections(i);
      section->set_number(fazhi::render::HeadingLabel(1, i + 1));
      int sub = 0;
      for (auto& block : *section->mutable_blocks()) {
        if (block.kind() == v1::BLOCK_KIND_HEADING) {
          block.set_number(fazhi::render::HeadingLabel(block.level(), ++sub));
        }
      }
    }
  }

  const YearInputs& in_;
  const FactCatalogue& facts_;
  std::vector<std::string> missing_;
  std::vector<TemplateProblem> problems_;
  const std::string narrative_field_;
  std::vector<Finding> findings_;
};

}  // namespace

absl::StatusOr<v1::ComposedReport> Compose(const ComposeInput& input, const FactCatalogue& facts) {
  return Composer(input, facts).Run();
}

fazhi::render::Document ToDocument(const v1::ComposedReport& report) {
  fazhi::render::Document d;
  d.organ = report.organ();
  d.title = report.title();
  for (const auto& p : report.preamble())
    d.body.push_back({fazhi::render::BlockKind::kParagraph, 0, "", p});
  for (const auto& section : report.sections()) {
    d.body.push_back({fazhi::render::BlockKind::kHeading, 1, section.number(), section.heading()});
    for (const auto& b : section.blocks()) {
      d.body.push_back({b.kind() == v1::BLOCK_KIND_HEADING ? fazhi::render::BlockKind::kHeading
                                                           : fazhi::render::BlockKind::kParagraph,
                        b.level(), b.number(), b.text()});
    }
  }
  d.signature = report.signature();
  d.date = report.date();
  d.addressee = report.addressee();
  d.document_number = report.document_number();
  d.issuer = report.issuer();
  return d;
}

}  // namespace fazhi::gateway
