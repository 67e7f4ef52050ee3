#include "services/gateway/compose.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/validation.h"
#include "services/gateway/fill.h"
#include "services/report/content.h"

namespace fazhi::gateway {
namespace {

namespace v1 = fazhi::gateway::v1;
namespace rv1 = fazhi::report::v1;

// "一是", "二是", … for listing shortcomings in one voice.
std::string Ordinal(int n) { return absl::StrCat(fazhi::render::ChineseNumeral(n), "是"); }

// The text closed with a full stop unless it already ends a sentence.
std::string Sentence(std::string text) {
  for (const char* end : {"。", "！", "？", "；", "）"}) {
    const std::string e(end);
    if (text.size() >= e.size() && text.compare(text.size() - e.size(), e.size(), e) == 0) return text;
  }
  return text.empty() ? text : text + "。";
}

class Composer {
 public:
  Composer(const ComposeInput& input, const FactCatalogue& facts)
      : in_(input.inputs), facts_(facts), missing_(input.missing_backends) {}

  absl::StatusOr<v1::ComposedReport> Run() {
    v1::ComposedReport out;
    out.set_report(absl::StrCat("orgs/", in_.org, "/reports/", in_.year));
    const std::string organ =
        in_.organization ? in_.organization->full_name() : absl::StrCat("orgs/", in_.org);
    out.set_organ(organ);
    const rv1::Report report = in_.report.value_or(rv1::Report());
    out.set_state(in_.report ? report.state() : rv1::REPORT_STATE_UNSPECIFIED);
    out.set_title(report.title().empty() ? fazhi::report::DefaultTitle(organ, in_.year)
                                         : Fill(report.title(), "report.title"));
    for (int i = 0; i < report.preamble_size(); ++i) {
      out.add_preamble(Fill(report.preamble(i), absl::StrCat("report.preamble[", i, "]")));
    }

    std::set<std::string> suppressed(report.suppressed_findings().begin(),
                                     report.suppressed_findings().end());
    findings_ = DeriveFindings(in_, suppressed);
    for (const Finding& f : findings_) {
      auto* p = out.add_findings();
      p->set_id(f.id);
      p->set_type(f.type);
      p->set_text(f.text);
      for (const auto& e : f.evidence) p->add_evidence(e);
      p->set_suppressed(f.suppressed);
    }

    for (const auto& [item, heading, field] : Layout(report)) {
      auto* section = out.add_sections();
      section->set_item(item);
      section->set_heading(Fill(heading, field));
      AddSection(report, item, *section);
    }
    out.set_signature(organ);
    if (IsSet(report.report_date())) {
      out.set_date(ChineseDate(report.report_date().year(), report.report_date().month(),
                               report.report_date().day()));
    }
    for (const auto& m : missing_) out.add_missing_backends(m);
    NumberSections(out);

    if (!problems_.empty()) {
      FieldViolations v;
      for (const auto& p : problems_) v.Add(p.field, p.problem);
      return v.ToStatus();
    }
    return out;
  }

 private:
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
      entries.emplace_back(e.item(), e.heading(), absl::StrCat("report.layout.entries[", i, "].heading"));
      seen.insert(e.item());
    }
    for (const auto& preset : fazhi::report::PresetEntries(fazhi::report::LayoutPreset::kYearPrefixed)) {
      const int item = static_cast<int>(preset.item);
      if (seen.insert(item).second) {
        entries.emplace_back(static_cast<rv1::ContentItem>(item), preset.heading, "default layout");
      }
    }
    bool has_other = false;
    for (const auto& e : entries) has_other = has_other || std::get<0>(e) == rv1::CONTENT_ITEM_OTHER;
    if (!has_other) entries.emplace_back(rv1::CONTENT_ITEM_OTHER, "其他需要报告的情况", "default layout");
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

  bool AddShortcomings(const rv1::Report& r, v1::ComposedSection& s) {
    int n = 0;
    std::string problems;
    for (int i = 0; i < r.shortcomings_size(); ++i) {
      const auto& sc = r.shortcomings(i);
      const std::string at = absl::StrCat("report.shortcomings[", i, "]");
      std::string text = absl::StrCat(Ordinal(++n), Sentence(Fill(sc.problem(), at + ".problem")));
      if (!sc.cause().empty()) absl::StrAppend(&text, "原因：", Sentence(Fill(sc.cause(), at + ".cause")));
      if (!sc.rectification().empty()) {
        absl::StrAppend(&text, "整改：", Sentence(Fill(sc.rectification(), at + ".rectification")));
      }
      if (!sc.owner().empty() || IsSet(sc.due_date())) {
        absl::StrAppend(&text, "（", sc.owner().empty() ? "" : absl::StrCat("责任：", sc.owner()),
                        !sc.owner().empty() && IsSet(sc.due_date()) ? "，" : "",
                        IsSet(sc.due_date()) ? absl::StrCat(ChineseDate(sc.due_date().year(), sc.due_date().month(), sc.due_date().day()), "前完成") : "",
                        "）");
      }
      AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0, text, "narrative");
    }
    bool any_finding = false;
    for (const Finding& f : findings_) any_finding = any_finding || !f.suppressed;
    if (any_finding) {
      AddBlock(s, v1::BLOCK_KIND_HEADING, 2, "数据核查发现的问题", "finding");
      int k = 0;
      for (const Finding& f : findings_) {
        if (f.suppressed) continue;
        AddBlock(s, v1::BLOCK_KIND_PARAGRAPH, 0, absl::StrCat(Ordinal(++k), f.text), "finding");
      }
    }
    return n > 0 || any_finding;
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

  // A factual first draft for a section nobody wrote.
  void AddGenerated(rv1::ContentItem item, v1::ComposedSection& s) {
    std::vector<std::string> paragraphs;
    const bool study = HasPrefix("study"), duty = HasPrefix("duty");
    switch (item) {
      case rv1::CONTENT_ITEM_HEAD_DUTY:
        if (study) {
          paragraphs.push_back(absl::StrCat(
              "主要负责人认真履行推进法治建设第一责任人职责，全年参加学法活动", F("study.head_attended", "次"),
              "，党组（中心组）开展学法", F("study.leadership.sessions", "次"), "。"));
        }
        break;
      case rv1::CONTENT_ITEM_MEASURES:
        if (study) {
          paragraphs.push_back(absl::StrCat(
              "全年开展学法活动", F("study.sessions.total", "次"), "，其中集中学习",
              F("study.sessions.all_staff", "次"), "，干部职工累计学法", F("study.staff_hours", "小时"),
              "；重点学习了", F("study.laws"), "等法律法规。"));
          paragraphs.push_back(absl::StrCat(
              "开展普法宣传", F("study.publicity.events", "场"), "，地点包括", F("study.publicity.places"),
              "，设置展板", F("study.publicity.display_boards", "块"), "，发放宣传资料",
              F("study.publicity.leaflets", "份"), "，受众", F("study.publicity.people_reached", "人次"), "。"));
        }
        if (duty) {
          paragraphs.push_back(absl::StrCat(
              "梳理行政执法事项", F("duty.powers", "项"), "，在编在岗执法人员", F("duty.officers", "人"),
              "，其中持有效执法证", F("duty.officers.valid", "人"), "、具有法律职业资格",
              F("duty.officers.legal", "人"), "。"));
        }
        break;
      case rv1::CONTENT_ITEM_SHORTCOMINGS:
        paragraphs.push_back("经对本年度学法、普法和行政执法数据核查，未发现需要报告的不足。");
        break;
      case rv1::CONTENT_ITEM_NEXT_YEAR_PLAN:
        paragraphs.push_back(absl::StrCat("针对", in_.year, "年度存在的不足，", in_.year + 1,
                                          "年将持续落实学法制度，补齐执法力量短板，推进法治政府建设各项任务。"));
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
  for (const auto& p : report.preamble()) d.body.push_back({fazhi::render::BlockKind::kParagraph, 0, "", p});
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
  return d;
}

}  // namespace fazhi::gateway
