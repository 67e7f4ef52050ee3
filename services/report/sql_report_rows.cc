#include "services/report/sql_report_rows.h"

#include <string>
#include <utility>
#include <vector>

#include "services/common/sql/columns.h"
#include "services/kernel/dates.h"

namespace fazhi::report {
namespace {

using sql::JsonObject;
using sql::JsonObjectWriter;
using sql::Row;
using sql::Value;

std::vector<std::pair<std::string, std::string>> SuppressionReasonList(const ReportContent& c) {
  return {c.suppression_reasons.begin(), c.suppression_reasons.end()};
}

JsonObjectWriter ContentJson(const ReportContent& c) {
  JsonObjectWriter layout;
  layout.Int("preset", static_cast<int>(c.layout.preset))
      .Objects("entries", c.layout.entries, [](const LayoutEntry& e, JsonObjectWriter& entry) {
        entry.Int("item", static_cast<int>(e.item)).Text("heading", e.heading);
      });
  JsonObjectWriter signatory;
  signatory.Text("name", c.signatory.name).Text("title", c.signatory.title);
  JsonObjectWriter content;
  content.Object("layout", layout)
      .Texts("preamble", c.preamble)
      .Objects("sections", c.sections,
               [](const Section& s, JsonObjectWriter& section) {
                 section.Int("item", static_cast<int>(s.item))
                     .Objects("items", s.items, [](const SectionItem& i, JsonObjectWriter& item) {
                       item.Text("heading", i.heading).Texts("paragraphs", i.paragraphs);
                     });
               })
      .Objects("shortcomings", c.shortcomings,
               [](const Shortcoming& s, JsonObjectWriter& shortcoming) {
                 shortcoming.Text("problem", s.problem)
                     .Text("cause", s.cause)
                     .Text("rectification", s.rectification)
                     .Text("owner", s.owner)
                     .Day("due_date", s.due_date)
                     .Int("status", static_cast<int>(s.status));
               })
      .Objects("plan_items", c.plan_items,
               [](const PlanItem& p, JsonObjectWriter& item) {
                 item.Text("heading", p.heading)
                     .Texts("paragraphs", p.paragraphs)
                     .Text("owner", p.owner)
                     .Day("due_date", p.due_date);
               })
      .Object("signatory", signatory)
      .Day("report_date", c.report_date)
      .Text("document_number", c.document_number)
      .Texts("suppressed_findings", c.suppressed_findings);
  // Absent when there are none, so a row from before reasons reads and
  // writes back the same.
  if (!c.suppression_reasons.empty()) {
    content.Objects("suppression_reasons", SuppressionReasonList(c),
                    [](const std::pair<std::string, std::string>& r, JsonObjectWriter& reason) {
                      reason.Text("finding", r.first).Text("reason", r.second);
                    });
  }
  return content;
}

// Fills everything but title and due dates, which have columns.
void ContentFrom(const JsonObject& j, ReportContent& c) {
  // A missing layout reads as preset 0, as it always has.
  j.Object("layout", [&c](const JsonObject& layout) {
    c.layout.preset = static_cast<LayoutPreset>(layout.Int("preset"));
    layout.ForEachObject("entries", [&c](const JsonObject& e) {
      c.layout.entries.push_back({static_cast<ContentItem>(e.Int("item")), e.Text("heading")});
    });
  });
  c.preamble = j.Texts("preamble");
  j.ForEachObject("sections", [&c](const JsonObject& s) {
    Section& section = c.sections.emplace_back();
    section.item = static_cast<ContentItem>(s.Int("item"));
    s.ForEachObject("items", [&section](const JsonObject& i) {
      section.items.push_back({i.Text("heading"), i.Texts("paragraphs")});
    });
  });
  j.ForEachObject("shortcomings", [&c](const JsonObject& s) {
    c.shortcomings.push_back({s.Text("problem"), s.Text("cause"), s.Text("rectification"),
                              s.Text("owner"), s.Day("due_date"),
                              static_cast<RectificationStatus>(s.Int("status"))});
  });
  j.ForEachObject("plan_items", [&c](const JsonObject& p) {
    c.plan_items.push_back(
        {p.Text("heading"), p.Texts("paragraphs"), p.Text("owner"), p.Day("due_date")});
  });
  j.Object("signatory", [&c](const JsonObject& signatory) {
    c.signatory = {signatory.Text("name"), signatory.Text("title")};
  });
  c.report_date = j.Day("report_date");
  c.document_number = j.Text("document_number");
  c.suppressed_findings = j.Texts("suppressed_findings");
  // Rows from before reasons were stored have none.
  j.ForEachObject("suppression_reasons", [&c](const JsonObject& r) {
    c.suppression_reasons[r.Text("finding")] = r.Text("reason");
  });
}

JsonObjectWriter LifecycleJson(const Lifecycle& l) {
  JsonObjectWriter life;
  life.Text("submitted_by", l.submitted_by)
      .Time("submit_time", l.submit_time)
      .Text("approved_by", l.approved_by)
      .Time("approve_time", l.approve_time)
      .Text("published_by", l.published_by)
      .Time("publish_time", l.publish_time)
      .Time("first_submit_time", l.first_submit_time)
      .Time("first_publish_time", l.first_publish_time);
  if (!l.last_transition) return life.Null("last_transition");
  const Transition& t = *l.last_transition;
  JsonObjectWriter last;
  last.Text("method", t.method)
      .Text("actor", t.actor)
      .Int("time", sql::ToMicros(t.time))
      .Text("comment", t.comment)
      .Int("from", static_cast<int>(t.from))
      .Int("to", static_cast<int>(t.to));
  return life.Object("last_transition", last);
}

Lifecycle LifecycleFrom(const JsonObject& j) {
  Lifecycle l;
  l.submitted_by = j.Text("submitted_by");
  l.submit_time = j.Time("submit_time");
  l.approved_by = j.Text("approved_by");
  l.approve_time = j.Time("approve_time");
  l.published_by = j.Text("published_by");
  l.publish_time = j.Time("publish_time");
  l.first_submit_time = j.Time("first_submit_time");
  l.first_publish_time = j.Time("first_publish_time");
  Transition last;
  const bool has_last = j.Object("last_transition", [&last](const JsonObject& t) {
    last = {t.Text("method"),
            t.Text("actor"),
            sql::FromMicros(t.Int("time")),
            t.Text("comment"),
            static_cast<ReportState>(t.Int("from")),
            static_cast<ReportState>(t.Int("to"))};
  });
  if (has_last) l.last_transition = std::move(last);
  return l;
}

std::string ContactsJson(const std::vector<Contact>& contacts) {
  return sql::ObjectsToJson(contacts, [](const Contact& c, JsonObjectWriter& contact) {
    contact.Text("name", c.name).Text("phone", c.phone).Text("email", c.email);
  });
}

std::vector<Contact> ContactsFrom(const std::string& json) {
  std::vector<Contact> contacts;
  sql::ForEachJsonObject(json, [&contacts](const JsonObject& c) {
    contacts.push_back({c.Text("name"), c.Text("phone"), c.Text("email")});
  });
  return contacts;
}

// The due day is [year, month, day].
std::string RemediesJson(const std::vector<FindingRemedy>& remedies) {
  return sql::ObjectsToJson(remedies, [](const FindingRemedy& r, JsonObjectWriter& remedy) {
    remedy.Text("finding", r.finding)
        .Text("cause", r.cause)
        .Text("rectification", r.rectification)
        .Text("owner", r.owner)
        .Ints("due", {r.due_year, r.due_month, r.due_day});
  });
}

std::vector<FindingRemedy> RemediesFrom(const std::string& json) {
  std::vector<FindingRemedy> remedies;
  sql::ForEachJsonObject(json, [&remedies](const JsonObject& r) {
    FindingRemedy& remedy = remedies.emplace_back(FindingRemedy{
        r.Text("finding"), r.Text("cause"), r.Text("rectification"), r.Text("owner")});
    const std::vector<int64_t> due = r.Ints("due");
    if (due.size() == 3) {
      remedy.due_year = static_cast<int>(due[0]);
      remedy.due_month = static_cast<int>(due[1]);
      remedy.due_day = static_cast<int>(due[2]);
    }
  });
  return remedies;
}

}  // namespace

const sql::RecordTableSpec& OrganizationCodec::Spec() {
  static const auto* spec =
      new sql::RecordTableSpec{"organizations",
                               "organization",
                               {"full_name", "region", "supervisors", "credit_code", "contacts",
                                "two_person_approval", "finding_remedies", "addressee"}};
  return *spec;
}

std::vector<Value> OrganizationCodec::Values(const Organization& o) {
  return {Value(o.full_name),
          Value(o.region),
          Value(sql::ListToJson(o.supervisors)),
          sql::OptionalText(o.credit_code),
          Value(ContactsJson(o.contacts)),
          sql::Bool(o.two_person_approval),
          Value(RemediesJson(o.finding_remedies)),
          Value(o.addressee)};
}

Organization OrganizationCodec::FromRow(const Row& row, size_t c) {
  Organization o;
  o.full_name = row.Text(c);
  o.region = row.Text(c + 1);
  o.supervisors = sql::ListFromJson(row.Text(c + 2));
  o.credit_code = row.Text(c + 3);
  o.contacts = ContactsFrom(row.Text(c + 4));
  o.two_person_approval = row.Bool(c + 5);
  o.finding_remedies = RemediesFrom(row.Text(c + 6));
  o.addressee = row.Text(c + 7);
  return o;
}

const sql::RecordTableSpec& ReportCodec::Spec() {
  static const auto* spec = new sql::RecordTableSpec{
      "reports",
      "report",
      {"year", "state", "report_revision", "published_revision", "title", "content",
       "submit_before", "publish_before", "correction_reason", "lifecycle"}};
  return *spec;
}

std::vector<Value> ReportCodec::Values(const Report& r) {
  return {Value(int64_t{r.year}),
          Value(int64_t{static_cast<int>(r.state)}),
          Value(int64_t{r.revision}),
          Value(int64_t{r.published_revision}),
          Value(r.content.title),
          Value(ContentJson(r.content).ToJson()),
          Value(kernel::FormatDate(r.content.submit_before)),
          Value(kernel::FormatDate(r.content.publish_before)),
          Value(r.correction_reason),
          Value(LifecycleJson(r.life).ToJson())};
}

Report ReportCodec::FromRow(const Row& row, size_t c) {
  Report r;
  r.year = static_cast<int32_t>(row.Int(c));
  r.state = static_cast<ReportState>(row.Int(c + 1));
  r.revision = static_cast<int32_t>(row.Int(c + 2));
  r.published_revision = static_cast<int32_t>(row.Int(c + 3));
  r.content.title = row.Text(c + 4);
  sql::ReadJsonObject(row.Text(c + 5),
                      [&r](const JsonObject& content) { ContentFrom(content, r.content); });
  r.content.submit_before = sql::DayFromText(row.Text(c + 6));
  r.content.publish_before = sql::DayFromText(row.Text(c + 7));
  r.correction_reason = row.Text(c + 8);
  sql::ReadJsonObject(row.Text(c + 9),
                      [&r](const JsonObject& life) { r.life = LifecycleFrom(life); });
  return r;
}

std::string SnapshotJson(const Report& r) {
  JsonObjectWriter snapshot;
  snapshot.Text("org", r.meta.org)
      .Text("id", r.meta.id)
      .Int("row_revision", r.meta.revision)
      .Int("create_time", sql::ToMicros(r.meta.create_time))
      .Int("update_time", sql::ToMicros(r.meta.update_time))
      .Int("year", r.year)
      .Int("state", static_cast<int>(r.state))
      .Int("revision", r.revision)
      .Int("published_revision", r.published_revision)
      .Text("title", r.content.title)
      .Object("content", ContentJson(r.content))
      .Text("submit_before", kernel::FormatDate(r.content.submit_before))
      .Text("publish_before", kernel::FormatDate(r.content.publish_before))
      .Text("correction_reason", r.correction_reason)
      .Object("lifecycle", LifecycleJson(r.life));
  return snapshot.ToJson();
}

Report SnapshotFrom(const std::string& json) {
  Report r;
  sql::ReadJsonObject(json, [&r](const JsonObject& j) {
    r.meta.org = j.Text("org");
    r.meta.id = j.Text("id");
    r.meta.revision = j.Int("row_revision");
    r.meta.create_time = sql::FromMicros(j.Int("create_time"));
    r.meta.update_time = sql::FromMicros(j.Int("update_time"));
    r.year = static_cast<int32_t>(j.Int("year"));
    r.state = static_cast<ReportState>(j.Int("state"));
    r.revision = static_cast<int32_t>(j.Int("revision"));
    r.published_revision = static_cast<int32_t>(j.Int("published_revision"));
    r.content.title = j.Text("title");
    j.Object("content", [&r](const JsonObject& content) { ContentFrom(content, r.content); });
    r.content.submit_before = sql::DayFromText(j.Text("submit_before"));
    r.content.publish_before = sql::DayFromText(j.Text("publish_before"));
    r.correction_reason = j.Text("correction_reason");
    j.Object("lifecycle", [&r](const JsonObject& life) { r.life = LifecycleFrom(life); });
  });
  return r;
}

}  // namespace fazhi::report
