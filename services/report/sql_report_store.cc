#include "services/report/sql_report_store.h"

#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "services/common/resource.h"
#include "services/common/sql/record_table.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/report/digest.h"

namespace fazhi::report {
namespace {

using sql::Row;
using sql::Transaction;
using sql::TxMode;
using sql::Value;
using Json = nlohmann::json;

// ---------------------------------------------------------------------------
// JSON columns.

std::string Dump(const Json& json) {
  // Every text was checked to be UTF-8 before it got here; replacing is
  // only a guard against a crash.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json Parse(const std::string& text) { return Json::parse(text, nullptr, /*allow_exceptions=*/false); }

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t Int(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::vector<std::string> Strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

const Json& Array(const Json& j, const char* key) {
  static const Json* const kEmpty = new Json(Json::array());
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : *kEmpty;
}

Json DayJson(const std::optional<absl::CivilDay>& day) {
  return day ? Json(FormatDate(*day)) : Json(nullptr);
}

std::optional<absl::CivilDay> DayFrom(const Json& j, const char* key) {
  absl::CivilDay day;
  if (ParseDate(Str(j, key), &day)) return day;
  return std::nullopt;
}

absl::CivilDay DayFromText(const std::string& text) {
  absl::CivilDay day;
  ParseDate(text, &day);
  return day;
}

Json TimeJson(const std::optional<absl::Time>& t) {
  return t ? Json(sql::ToMicros(*t)) : Json(nullptr);
}

std::optional<absl::Time> TimeFrom(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return sql::FromMicros(it->get<int64_t>());
}

Json ContentJson(const ReportContent& c) {
  Json entries = Json::array();
  for (const LayoutEntry& e : c.layout.entries) {
    entries.push_back({{"item", static_cast<int>(e.item)}, {"heading", e.heading}});
  }
  Json sections = Json::array();
  for (const Section& s : c.sections) {
    Json items = Json::array();
    for (const SectionItem& i : s.items) {
      items.push_back({{"heading", i.heading}, {"paragraphs", i.paragraphs}});
    }
    sections.push_back({{"item", static_cast<int>(s.item)}, {"items", items}});
  }
  Json shortcomings = Json::array();
  for (const Shortcoming& s : c.shortcomings) {
    shortcomings.push_back({{"problem", s.problem},
                            {"cause", s.cause},
                            {"rectification", s.rectification},
                            {"owner", s.owner},
                            {"due_date", DayJson(s.due_date)},
                            {"status", static_cast<int>(s.status)}});
  }
  Json plan = Json::array();
  for (const PlanItem& p : c.plan_items) {
    plan.push_back({{"heading", p.heading},
                    {"paragraphs", p.paragraphs},
                    {"owner", p.owner},
                    {"due_date", DayJson(p.due_date)}});
  }
  return {{"layout", {{"preset", static_cast<int>(c.layout.preset)}, {"entries", entries}}},
          {"preamble", c.preamble},
          {"sections", sections},
          {"shortcomings", shortcomings},
          {"plan_items", plan},
          {"signatory", {{"name", c.signatory.name}, {"title", c.signatory.title}}},
          {"report_date", DayJson(c.report_date)},
          {"document_number", c.document_number},
          {"suppressed_findings", c.suppressed_findings}};
}

// Fills everything but title and due dates, which have columns.
void ContentFrom(const Json& j, ReportContent& c) {
  if (!j.is_object()) return;
  const Json layout = j.value("layout", Json::object());
  c.layout.preset = static_cast<LayoutPreset>(Int(layout, "preset"));
  for (const auto& e : Array(layout, "entries")) {
    c.layout.entries.push_back({static_cast<ContentItem>(Int(e, "item")), Str(e, "heading")});
  }
  c.preamble = Strings(j, "preamble");
  for (const auto& s : Array(j, "sections")) {
    Section section;
    section.item = static_cast<ContentItem>(Int(s, "item"));
    for (const auto& i : Array(s, "items")) {
      section.items.push_back({Str(i, "heading"), Strings(i, "paragraphs")});
    }
    c.sections.push_back(std::move(section));
  }
  for (const auto& s : Array(j, "shortcomings")) {
    c.shortcomings.push_back({Str(s, "problem"), Str(s, "cause"), Str(s, "rectification"),
                              Str(s, "owner"), DayFrom(s, "due_date"),
                              static_cast<RectificationStatus>(Int(s, "status"))});
  }
  for (const auto& p : Array(j, "plan_items")) {
    c.plan_items.push_back(
        {Str(p, "heading"), Strings(p, "paragraphs"), Str(p, "owner"), DayFrom(p, "due_date")});
  }
  const Json signatory = j.value("signatory", Json::object());
  c.signatory = {Str(signatory, "name"), Str(signatory, "title")};
  c.report_date = DayFrom(j, "report_date");
  c.document_number = Str(j, "document_number");
  c.suppressed_findings = Strings(j, "suppressed_findings");
}

Json LifecycleJson(const Lifecycle& l) {
  Json last = nullptr;
  if (l.last_transition) {
    const Transition& t = *l.last_transition;
    last = {{"method", t.method},
            {"actor", t.actor},
            {"time", sql::ToMicros(t.time)},
            {"comment", t.comment},
            {"from", static_cast<int>(t.from)},
            {"to", static_cast<int>(t.to)}};
  }
  return {{"submitted_by", l.submitted_by},
          {"submit_time", TimeJson(l.submit_time)},
          {"approved_by", l.approved_by},
          {"approve_time", TimeJson(l.approve_time)},
          {"published_by", l.published_by},
          {"publish_time", TimeJson(l.publish_time)},
          {"first_submit_time", TimeJson(l.first_submit_time)},
          {"first_publish_time", TimeJson(l.first_publish_time)},
          {"last_transition", last}};
}

Lifecycle LifecycleFrom(const Json& j) {
  Lifecycle l;
  if (!j.is_object()) return l;
  l.submitted_by = Str(j, "submitted_by");
  l.submit_time = TimeFrom(j, "submit_time");
  l.approved_by = Str(j, "approved_by");
  l.approve_time = TimeFrom(j, "approve_time");
  l.published_by = Str(j, "published_by");
  l.publish_time = TimeFrom(j, "publish_time");
  l.first_submit_time = TimeFrom(j, "first_submit_time");
  l.first_publish_time = TimeFrom(j, "first_publish_time");
  auto last = j.find("last_transition");
  if (last != j.end() && last->is_object()) {
    l.last_transition = Transition{Str(*last, "method"),
                                   Str(*last, "actor"),
                                   sql::FromMicros(Int(*last, "time")),
                                   Str(*last, "comment"),
                                   static_cast<ReportState>(Int(*last, "from")),
                                   static_cast<ReportState>(Int(*last, "to"))};
  }
  return l;
}

Json RemediesJson(const std::vector<FindingRemedy>& remedies) {
  Json out = Json::array();
  for (const FindingRemedy& r : remedies) {
    out.push_back({{"finding", r.finding},
                   {"cause", r.cause},
                   {"rectification", r.rectification},
                   {"owner", r.owner},
                   {"due", {r.due_year, r.due_month, r.due_day}}});
  }
  return out;
}

std::vector<FindingRemedy> RemediesFrom(const Json& json) {
  std::vector<FindingRemedy> out;
  if (!json.is_array()) return out;
  for (const auto& r : json) {
    FindingRemedy remedy{Str(r, "finding"), Str(r, "cause"), Str(r, "rectification"),
                         Str(r, "owner")};
    const auto due = r.find("due");
    if (due != r.end() && due->is_array() && due->size() == 3 && (*due)[1].is_number_integer()) {
      remedy.due_year = (*due)[0].get<int>();
      remedy.due_month = (*due)[1].get<int>();
      remedy.due_day = (*due)[2].get<int>();
    }
    out.push_back(std::move(remedy));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Tables.

struct OrganizationCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "organizations",
        "organization",
        {"full_name", "region", "supervisors", "credit_code", "contacts", "two_person_approval",
         "finding_remedies", "addressee"}};
    return *spec;
  }
  static std::vector<Value> Values(const Organization& o) {
    Json contacts = Json::array();
    for (const Contact& c : o.contacts) {
      contacts.push_back({{"name", c.name}, {"phone", c.phone}, {"email", c.email}});
    }
    return {Value(o.full_name),
            Value(o.region),
            Value(Dump(Json(o.supervisors))),
            o.credit_code.empty() ? sql::Null() : Value(o.credit_code),
            Value(Dump(contacts)),
            Value(int64_t{o.two_person_approval ? 1 : 0}),
            Value(Dump(RemediesJson(o.finding_remedies))),
            Value(o.addressee)};
  }
  static Organization FromRow(const Row& row, size_t c) {
    Organization o;
    o.full_name = row.Text(c);
    o.region = row.Text(c + 1);
    const Json supervisors = Parse(row.Text(c + 2));
    if (supervisors.is_array()) {
      for (const auto& s : supervisors) {
        if (s.is_string()) o.supervisors.push_back(s.get<std::string>());
      }
    }
    o.credit_code = row.Text(c + 3);
    const Json contacts = Parse(row.Text(c + 4));
    if (contacts.is_array()) {
      for (const auto& contact : contacts) {
        o.contacts.push_back({Str(contact, "name"), Str(contact, "phone"), Str(contact, "email")});
      }
    }
    o.two_person_approval = row.Bool(c + 5);
    o.finding_remedies = RemediesFrom(Parse(row.Text(c + 6)));
    o.addressee = row.Text(c + 7);
    return o;
  }
};

struct ReportCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "reports",
        "report",
        {"year", "state", "report_revision", "published_revision", "title", "content",
         "submit_before", "publish_before", "correction_reason", "lifecycle"}};
    return *spec;
  }
  static std::vector<Value> Values(const Report& r) {
    return {Value(int64_t{r.year}),
            Value(int64_t{static_cast<int>(r.state)}),
            Value(int64_t{r.revision}),
            Value(int64_t{r.published_revision}),
            Value(r.content.title),
            Value(Dump(ContentJson(r.content))),
            Value(FormatDate(r.content.submit_before)),
            Value(FormatDate(r.content.publish_before)),
            Value(r.correction_reason),
            Value(Dump(LifecycleJson(r.life)))};
  }
  static Report FromRow(const Row& row, size_t c) {
    Report r;
    r.year = static_cast<int32_t>(row.Int(c));
    r.state = static_cast<ReportState>(row.Int(c + 1));
    r.revision = static_cast<int32_t>(row.Int(c + 2));
    r.published_revision = static_cast<int32_t>(row.Int(c + 3));
    r.content.title = row.Text(c + 4);
    ContentFrom(Parse(row.Text(c + 5)), r.content);
    r.content.submit_before = DayFromText(row.Text(c + 6));
    r.content.publish_before = DayFromText(row.Text(c + 7));
    r.correction_reason = row.Text(c + 8);
    r.life = LifecycleFrom(Parse(row.Text(c + 9)));
    return r;
  }
};

using OrganizationTable = sql::RecordTable<Organization, OrganizationCodec>;
using ReportTable = sql::RecordTable<Report, ReportCodec>;

// A report frozen in a revision: every field, row metadata included.
std::string SnapshotJson(const Report& r) {
  return Dump({{"org", r.meta.org},
                {"id", r.meta.id},
                {"row_revision", r.meta.revision},
                {"create_time", sql::ToMicros(r.meta.create_time)},
                {"update_time", sql::ToMicros(r.meta.update_time)},
                {"year", r.year},
                {"state", static_cast<int>(r.state)},
                {"revision", r.revision},
                {"published_revision", r.published_revision},
                {"title", r.content.title},
                {"content", ContentJson(r.content)},
                {"submit_before", FormatDate(r.content.submit_before)},
                {"publish_before", FormatDate(r.content.publish_before)},
                {"correction_reason", r.correction_reason},
                {"lifecycle", LifecycleJson(r.life)}});
}

Report SnapshotFrom(const std::string& text) {
  const Json j = Parse(text);
  Report r;
  if (!j.is_object()) return r;
  r.meta.org = Str(j, "org");
  r.meta.id = Str(j, "id");
  r.meta.revision = Int(j, "row_revision");
  r.meta.create_time = sql::FromMicros(Int(j, "create_time"));
  r.meta.update_time = sql::FromMicros(Int(j, "update_time"));
  r.year = static_cast<int32_t>(Int(j, "year"));
  r.state = static_cast<ReportState>(Int(j, "state"));
  r.revision = static_cast<int32_t>(Int(j, "revision"));
  r.published_revision = static_cast<int32_t>(Int(j, "published_revision"));
  r.content.title = Str(j, "title");
  ContentFrom(j.value("content", Json::object()), r.content);
  r.content.submit_before = DayFromText(Str(j, "submit_before"));
  r.content.publish_before = DayFromText(Str(j, "publish_before"));
  r.correction_reason = Str(j, "correction_reason");
  r.life = LifecycleFrom(j.value("lifecycle", Json::object()));
  return r;
}

// ---------------------------------------------------------------------------
// Shared steps.

std::string ReportName(const std::string& org, int32_t year) {
  return absl::StrCat("orgs/", org, "/reports/", year);
}

std::string RevisionName(const std::string& org, int32_t year, int32_t number) {
  return absl::StrCat(ReportName(org, year), "/revisions/", number);
}

absl::Status AppendHistory(Transaction& tx, HistoryEntry entry, absl::Time now) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COALESCE(MAX(sequence), 0) FROM history WHERE org = $1",
                                       {Value(entry.org)}));
  entry.sequence = rows.at(0).Int(0) + 1;
  return tx
      .Execute("INSERT INTO history (org, sequence, time, actor, method, resource, comment, "
               "from_state, to_state, revision, request_id) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
               {Value(entry.org), Value(entry.sequence), Value(sql::ToMicros(now)),
                Value(entry.actor), Value(entry.method), Value(entry.resource),
                Value(entry.comment), Value(int64_t{static_cast<int>(entry.from_state)}),
                Value(int64_t{static_cast<int>(entry.to_state)}), Value(int64_t{entry.revision}),
                Value(entry.request_id)})
      .status();
}

absl::StatusOr<Organization> GetOrganizationIn(Transaction& tx, const std::string& id) {
  absl::StatusOr<Organization> org = OrganizationTable::Get(tx, id, id);
  if (absl::IsNotFound(org.status())) {
    return absl::NotFoundError(absl::StrCat("organization orgs/", id, " does not exist"));
  }
  return org;
}

absl::StatusOr<Report> GetReportIn(Transaction& tx, const std::string& org, int32_t year) {
  absl::StatusOr<Report> report = ReportTable::Get(tx, org, absl::StrCat(year));
  if (absl::IsNotFound(report.status())) {
    return absl::NotFoundError(absl::StrCat("report ", ReportName(org, year), " does not exist"));
  }
  return report;
}

absl::Status CheckExpected(const char* noun, int64_t current, std::optional<int64_t> expected) {
  if (expected && *expected != current) {
    return absl::AbortedError(absl::StrCat("etag ", MakeEtag(*expected), " is stale: the ", noun,
                                           " is now at ", MakeEtag(current),
                                           "; read it again and retry"));
  }
  return absl::OkStatus();
}

// ALREADY_EXISTS when another organization holds the credit code. Checked
// before writing: a failed insert would spoil the transaction.
absl::Status CheckCreditCodeFree(Transaction& tx, const Organization& org) {
  if (org.credit_code.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM organizations WHERE credit_code = $1 AND id <> $2",
                                       {Value(org.credit_code), Value(org.meta.id)}));
  if (rows.empty()) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat("credit code ", org.credit_code,
                                               " is already registered to orgs/", rows[0].Text(0)));
}

absl::Status WriteSupervisors(Transaction& tx, const Organization& org) {
  RETURN_IF_ERROR(tx.Execute("DELETE FROM organization_supervisors WHERE org = $1",
                             {Value(org.meta.id)})
                      .status());
  for (const std::string& supervisor : org.supervisors) {
    RETURN_IF_ERROR(tx.Execute("INSERT INTO organization_supervisors (org, supervisor) VALUES ($1, $2)",
                               {Value(org.meta.id), Value(supervisor)})
                        .status());
  }
  return absl::OkStatus();
}

// Loads the report and its organization, runs `change`, stores the result
// and its history entry.
absl::StatusOr<Report> ChangeIn(Transaction& tx, const std::string& org_id, int32_t year,
                                std::optional<int64_t> expected, const ReportChange& change,
                                HistoryEntry history, absl::Time now) {
  ASSIGN_OR_RETURN(Report report, GetReportIn(tx, org_id, year));
  RETURN_IF_ERROR(CheckExpected("report", report.meta.revision, expected));
  ASSIGN_OR_RETURN(Organization org, GetOrganizationIn(tx, org_id));
  const ReportState from = report.state;
  const int64_t revision = report.meta.revision;
  RETURN_IF_ERROR(change(org, report, now));
  ASSIGN_OR_RETURN(Report stored, ReportTable::Update(tx, report, revision, now));
  history.org = org_id;
  history.resource = ReportName(org_id, year);
  history.from_state = from;
  history.to_state = stored.state;
  history.revision = stored.revision;
  RETURN_IF_ERROR(AppendHistory(tx, std::move(history), now));
  return stored;
}

constexpr char kRevisionColumns[] =
    "org, year, revision, published_by, publish_time, comment, correction_reason, report, "
    "superseded_by, supersede_time";

absl::StatusOr<Revision> RevisionFromRow(Transaction& tx, const Row& row) {
  Revision r;
  r.org = row.Text(0);
  r.year = static_cast<int32_t>(row.Int(1));
  r.number = static_cast<int32_t>(row.Int(2));
  r.published_by = row.Text(3);
  r.publish_time = sql::FromMicros(row.Int(4));
  r.comment = row.Text(5);
  r.correction_reason = row.Text(6);
  r.report = SnapshotFrom(row.Text(7));
  r.superseded_by = static_cast<int32_t>(row.Int(8));
  if (!row.IsNull(9)) r.supersede_time = sql::FromMicros(row.Int(9));
  ASSIGN_OR_RETURN(auto docs, tx.Query("SELECT format, media_type, size_bytes, sha256 "
                                       "FROM report_documents "
                                       "WHERE org = $1 AND year = $2 AND revision = $3 "
                                       "ORDER BY format",
                                       {Value(r.org), Value(int64_t{r.year}),
                                        Value(int64_t{r.number})}));
  for (const Row& d : docs) {
    Document doc;
    doc.format = d.Text(0);
    doc.media_type = d.Text(1);
    doc.size_bytes = d.Int(2);
    doc.sha256 = d.Text(3);
    r.documents.push_back(std::move(doc));
  }
  return r;
}

template <typename Result, typename Body>
absl::StatusOr<Result> Read(sql::Database& db, Body body) {
  return sql::TransactValue<Result>(db, TxMode::kReadOnly, body);
}

// A body of one SELECT: no BEGIN and COMMIT around it.
template <typename Result, typename Body>
absl::StatusOr<Result> ReadOne(sql::Database& db, Body body) {
  return sql::TransactValue<Result>(db, TxMode::kSingleRead, body);
}

template <typename Result, typename Body>
absl::StatusOr<Result> Write(sql::Database& db, Body body) {
  return sql::TransactValue<Result>(db, TxMode::kReadWrite, body);
}

}  // namespace

SqlReportStore::SqlReportStore(sql::Database* db) : db_(db) {}

// ---------------------------------------------------------------------------
// Organizations.

absl::StatusOr<Organization> SqlReportStore::GetOrganization(const std::string& id) {
  return ReadOne<Organization>(*db_, [&](Transaction& tx) { return GetOrganizationIn(tx, id); });
}

absl::StatusOr<std::vector<Organization>> SqlReportStore::ListOrganizations(
    const std::string& supervisor, const std::string& after_id, int limit) {
  return Read<std::vector<Organization>>(*db_, [&](Transaction& tx) {
    // An organization's row has org = id (every write sets both), so the
    // range and the order are on org, where the primary key (org, id)
    // serves them; on id, or with "org = id" spelled out (which PostgreSQL
    // takes for a rare condition), every page read and sorted the whole
    // table.
    if (supervisor.empty()) {
      return OrganizationTable::Select(tx, "org > $1", {Value(after_id)}, "org", limit);
    }
    return OrganizationTable::Select(
        tx, "org > $1 AND org IN (SELECT org FROM organization_supervisors WHERE supervisor = $2)",
        {Value(after_id), Value(supervisor)}, "org", limit);
  });
}

absl::StatusOr<Organization> SqlReportStore::CreateOrganization(Organization org,
                                                                HistoryEntry history) {
  org.meta.org = org.meta.id;
  return Write<Organization>(*db_, [&](Transaction& tx) -> absl::StatusOr<Organization> {
    absl::StatusOr<Organization> existing = OrganizationTable::Get(tx, org.meta.id, org.meta.id);
    if (existing.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("organization orgs/", org.meta.id, " already exists"));
    }
    if (!absl::IsNotFound(existing.status())) return existing.status();
    RETURN_IF_ERROR(CheckCreditCodeFree(tx, org));
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(Organization stored, OrganizationTable::Insert(tx, org, now));
    RETURN_IF_ERROR(WriteSupervisors(tx, stored));
    HistoryEntry entry = history;
    entry.org = org.meta.id;
    entry.resource = OrgName(org.meta.id);
    RETURN_IF_ERROR(AppendHistory(tx, std::move(entry), now));
    return stored;
  });
}

absl::StatusOr<Organization> SqlReportStore::UpdateOrganization(Organization org,
                                                                int64_t expected_revision,
                                                                HistoryEntry history) {
  org.meta.org = org.meta.id;
  return Write<Organization>(*db_, [&](Transaction& tx) -> absl::StatusOr<Organization> {
    ASSIGN_OR_RETURN(Organization current, GetOrganizationIn(tx, org.meta.id));
    RETURN_IF_ERROR(CheckExpected("organization", current.meta.revision, expected_revision));
    RETURN_IF_ERROR(CheckCreditCodeFree(tx, org));
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(Organization stored, OrganizationTable::Update(tx, org, expected_revision, now));
    RETURN_IF_ERROR(WriteSupervisors(tx, stored));
    HistoryEntry entry = history;
    entry.org = org.meta.id;
    entry.resource = OrgName(org.meta.id);
    RETURN_IF_ERROR(AppendHistory(tx, std::move(entry), now));
    return stored;
  });
}

absl::Status SqlReportStore::DeleteOrganization(const std::string& id,
                                                std::optional<int64_t> expected_revision,
                                                HistoryEntry history) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Organization current, GetOrganizationIn(tx, id));
    RETURN_IF_ERROR(CheckExpected("organization", current.meta.revision, expected_revision));
    ASSIGN_OR_RETURN(auto reports,
                     tx.Query("SELECT COUNT(*) FROM reports WHERE org = $1", {Value(id)}));
    if (reports.at(0).Int(0) > 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "orgs/", id, " has ", reports[0].Int(0),
          " report(s); reports stay on record, so the organization cannot be deleted"));
    }
    RETURN_IF_ERROR(OrganizationTable::Delete(tx, id, id, current.meta.revision));
    RETURN_IF_ERROR(
        tx.Execute("DELETE FROM organization_supervisors WHERE org = $1", {Value(id)}).status());
    history.org = id;
    history.resource = OrgName(id);
    return AppendHistory(tx, std::move(history), absl::Now());
  });
}

// ---------------------------------------------------------------------------
// Reports.

absl::StatusOr<Report> SqlReportStore::GetReport(const std::string& org, int32_t year) {
  return ReadOne<Report>(*db_, [&](Transaction& tx) { return GetReportIn(tx, org, year); });
}

absl::StatusOr<std::vector<Report>> SqlReportStore::ListReports(const std::string& org,
                                                                int32_t after_year, int limit) {
  return ReadOne<std::vector<Report>>(db_->StaleReads(), [&](Transaction& tx) {
    return ReportTable::Select(tx, "org = $1 AND year > $2",
                               {Value(org), Value(int64_t{after_year})}, "year", limit);
  });
}

absl::StatusOr<Report> SqlReportStore::CreateReport(Report report, const ReportChange& prepare,
                                                    HistoryEntry history) {
  report.meta.id = absl::StrCat(report.year);
  return Write<Report>(*db_, [&](Transaction& tx) -> absl::StatusOr<Report> {
    Report record = report;  // a retry starts again from the caller's copy
    ASSIGN_OR_RETURN(Organization org, GetOrganizationIn(tx, record.meta.org));
    absl::StatusOr<Report> existing = ReportTable::Get(tx, record.meta.org, record.meta.id);
    if (existing.ok()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "report ", ReportName(record.meta.org, record.year), " already exists; update it"));
    }
    if (!absl::IsNotFound(existing.status())) return existing.status();
    const absl::Time now = absl::Now();
    RETURN_IF_ERROR(prepare(org, record, now));
    ASSIGN_OR_RETURN(Report stored, ReportTable::Insert(tx, record, now));
    HistoryEntry entry = history;
    entry.org = stored.meta.org;
    entry.resource = ReportName(stored.meta.org, stored.year);
    entry.to_state = stored.state;
    entry.revision = stored.revision;
    RETURN_IF_ERROR(AppendHistory(tx, std::move(entry), now));
    return stored;
  });
}

absl::StatusOr<Report> SqlReportStore::ChangeReport(const std::string& org, int32_t year,
                                                    std::optional<int64_t> expected_revision,
                                                    const ReportChange& change,
                                                    HistoryEntry history) {
  return Write<Report>(*db_, [&](Transaction& tx) {
    return ChangeIn(tx, org, year, expected_revision, change, history, absl::Now());
  });
}

absl::StatusOr<Report> SqlReportStore::PublishReport(const std::string& org, int32_t year,
                                                     std::optional<int64_t> expected_revision,
                                                     const ReportChange& change,
                                                     std::vector<Document> documents,
                                                     HistoryEntry history) {
  for (Document& doc : documents) {
    doc.sha256 = Sha256Hex(doc.content);
    doc.size_bytes = static_cast<int64_t>(doc.content.size());
  }
  return Write<Report>(*db_, [&](Transaction& tx) -> absl::StatusOr<Report> {
    const absl::Time now = absl::Now();
    ASSIGN_OR_RETURN(Report published,
                     ChangeIn(tx, org, year, expected_revision, change, history, now));
    if (published.state != ReportState::kPublished) {
      return absl::InternalError("the publish change did not publish the report");
    }
    const int64_t number = published.revision;
    RETURN_IF_ERROR(
        tx.Execute(absl::StrCat("INSERT INTO report_revisions (", kRevisionColumns,
                                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL)"),
                   {Value(org), Value(int64_t{year}), Value(number),
                    Value(published.life.published_by),
                    Value(sql::ToMicros(published.life.publish_time.value_or(now))),
                    Value(history.comment), Value(published.correction_reason),
                    Value(SnapshotJson(published))})
            .status());
    for (const Document& doc : documents) {
      RETURN_IF_ERROR(
          tx.Execute("INSERT INTO report_documents (org, year, revision, format, media_type, "
                     "size_bytes, sha256, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                     {Value(org), Value(int64_t{year}), Value(number), Value(doc.format),
                      Value(doc.media_type), Value(doc.size_bytes), Value(doc.sha256),
                      Value(absl::Base64Escape(doc.content))})
              .status());
    }
    // The revisions before this one are superseded now.
    RETURN_IF_ERROR(tx.Execute("UPDATE report_revisions SET superseded_by = $4, supersede_time = $5 "
                               "WHERE org = $1 AND year = $2 AND revision < $3 "
                               "AND superseded_by = 0",
                               {Value(org), Value(int64_t{year}), Value(number), Value(number),
                                Value(sql::ToMicros(now))})
                        .status());
    return published;
  });
}

absl::Status SqlReportStore::DeleteReport(const std::string& org, int32_t year,
                                          std::optional<int64_t> expected_revision,
                                          const ReportChange& check, HistoryEntry history) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(Report report, GetReportIn(tx, org, year));
    RETURN_IF_ERROR(CheckExpected("report", report.meta.revision, expected_revision));
    ASSIGN_OR_RETURN(Organization organization, GetOrganizationIn(tx, org));
    const absl::Time now = absl::Now();
    Report copy = report;
    RETURN_IF_ERROR(check(organization, copy, now));
    RETURN_IF_ERROR(ReportTable::Delete(tx, org, report.meta.id, report.meta.revision));
    HistoryEntry entry = history;
    entry.org = org;
    entry.resource = ReportName(org, year);
    entry.from_state = report.state;
    entry.revision = report.revision;
    return AppendHistory(tx, std::move(entry), now);
  });
}

// ---------------------------------------------------------------------------
// Revisions and documents.

absl::StatusOr<Revision> SqlReportStore::GetRevision(const std::string& org, int32_t year,
                                                     int32_t number) {
  return Read<Revision>(*db_, [&](Transaction& tx) -> absl::StatusOr<Revision> {
    ASSIGN_OR_RETURN(auto rows, tx.Query(absl::StrCat("SELECT ", kRevisionColumns,
                                                      " FROM report_revisions WHERE org = $1 "
                                                      "AND year = $2 AND revision = $3"),
                                         {Value(org), Value(int64_t{year}), Value(int64_t{number})}));
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat(
          "revision ", RevisionName(org, year, number),
          " does not exist (only published revisions are kept as revisions)"));
    }
    return RevisionFromRow(tx, rows[0]);
  });
}

absl::StatusOr<std::vector<Revision>> SqlReportStore::ListRevisions(const std::string& org,
                                                                    int32_t year,
                                                                    int32_t after_number,
                                                                    int limit) {
  return Read<std::vector<Revision>>(
      *db_, [&](Transaction& tx) -> absl::StatusOr<std::vector<Revision>> {
        std::string sql = absl::StrCat("SELECT ", kRevisionColumns,
                                       " FROM report_revisions WHERE org = $1 AND year = $2 "
                                       "AND revision > $3 ORDER BY revision");
        if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
        ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {Value(org), Value(int64_t{year}),
                                                   Value(int64_t{after_number})}));
        std::vector<Revision> revisions;
        for (const Row& row : rows) {
          ASSIGN_OR_RETURN(Revision r, RevisionFromRow(tx, row));
          revisions.push_back(std::move(r));
        }
        return revisions;
      });
}

absl::StatusOr<Document> SqlReportStore::GetDocument(const std::string& org, int32_t year,
                                                     int32_t number, const std::string& format) {
  return Read<Document>(*db_, [&](Transaction& tx) -> absl::StatusOr<Document> {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT media_type, size_bytes, sha256, content FROM report_documents "
                              "WHERE org = $1 AND year = $2 AND revision = $3 AND format = $4",
                              {Value(org), Value(int64_t{year}), Value(int64_t{number}),
                               Value(format)}));
    const std::string name =
        absl::StrCat(RevisionName(org, year, number), "/documents/", format);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("document ", name, " does not exist"));
    Document doc;
    doc.format = format;
    doc.media_type = rows[0].Text(0);
    doc.size_bytes = rows[0].Int(1);
    doc.sha256 = rows[0].Text(2);
    if (!absl::Base64Unescape(rows[0].Text(3), &doc.content) ||
        static_cast<int64_t>(doc.content.size()) != doc.size_bytes ||
        Sha256Hex(doc.content) != doc.sha256) {
      return absl::DataLossError(
          absl::StrCat("document ", name, " no longer matches its stored SHA-256"));
    }
    return doc;
  });
}

// ---------------------------------------------------------------------------
// Supervision and history.

absl::StatusOr<std::vector<SupervisedReport>> SqlReportStore::LoadSupervised(
    const std::string& supervisor, int32_t year) {
  return Read<std::vector<SupervisedReport>>(
      db_->StaleReads(), [&](Transaction& tx) -> absl::StatusOr<std::vector<SupervisedReport>> {
        constexpr char kSupervised[] =
            " IN (SELECT org FROM organization_supervisors WHERE supervisor = $1)";
        ASSIGN_OR_RETURN(auto orgs, OrganizationTable::Select(tx, absl::StrCat("org", kSupervised),
                                                              {Value(supervisor)}, "org", 0));
        ASSIGN_OR_RETURN(auto reports,
                         ReportTable::Select(tx, absl::StrCat("year = $2 AND org", kSupervised),
                                             {Value(supervisor), Value(int64_t{year})}, "org", 0));
        std::map<std::string, Report> by_org;
        for (Report& r : reports) by_org.emplace(r.meta.org, std::move(r));
        std::vector<SupervisedReport> out;
        for (Organization& o : orgs) {
          SupervisedReport entry;
          auto it = by_org.find(o.meta.id);
          if (it != by_org.end()) entry.report = std::move(it->second);
          entry.organization = std::move(o);
          out.push_back(std::move(entry));
        }
        return out;
      });
}

absl::StatusOr<std::vector<HistoryEntry>> SqlReportStore::ListHistory(const std::string& org,
                                                                      const std::string& resource,
                                                                      int64_t after_sequence,
                                                                      int limit) {
  return Read<std::vector<HistoryEntry>>(
      db_->StaleReads(), [&](Transaction& tx) -> absl::StatusOr<std::vector<HistoryEntry>> {
        std::string sql =
            "SELECT org, sequence, time, actor, method, resource, comment, from_state, to_state, "
            "revision, request_id FROM history WHERE org = $1 AND sequence > $2";
        std::vector<Value> params = {Value(org), Value(after_sequence)};
        if (!resource.empty()) {
          absl::StrAppend(&sql, " AND (resource = $3 OR resource LIKE $4)");
          params.push_back(Value(resource));
          params.push_back(Value(absl::StrCat(resource, "/%")));
        }
        absl::StrAppend(&sql, " ORDER BY sequence");
        if (limit > 0) absl::StrAppend(&sql, " LIMIT ", limit);
        ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
        std::vector<HistoryEntry> entries;
        for (const Row& row : rows) {
          HistoryEntry e;
          e.org = row.Text(0);
          e.sequence = row.Int(1);
          e.time = sql::FromMicros(row.Int(2));
          e.actor = row.Text(3);
          e.method = row.Text(4);
          e.resource = row.Text(5);
          e.comment = row.Text(6);
          e.from_state = static_cast<ReportState>(row.Int(7));
          e.to_state = static_cast<ReportState>(row.Int(8));
          e.revision = static_cast<int32_t>(row.Int(9));
          e.request_id = row.Text(10);
          entries.push_back(std::move(e));
        }
        return entries;
      });
}

}  // namespace fazhi::report
