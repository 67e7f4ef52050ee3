#include "services/study/sql_study_store.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "services/common/resource.h"
#include "services/common/sql/columns.h"
#include "services/common/sql/record_table.h"
#include "services/common/status_macros.h"
#include "services/kernel/dates.h"

namespace fazhi::study {

using kernel::FormatDate;

namespace {

using sql::Row;
using sql::Transaction;
using sql::TxMode;
using sql::Value;

using sql::DayFromText;
using sql::ListFromJson;
using sql::ListToJson;
using sql::OptionalText;

struct SessionCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "sessions",
        "session",
        {"date", "kind", "title", "laws", "duration_minutes", "location", "attendees",
         "attendee_count", "head_attended", "external_id", "evidence", "notes"},
        "sessions"};
    return *spec;
  }
  static std::string AttendeesToJson(const std::vector<Attendee>& attendees) {
    std::string json = "[";
    for (const Attendee& a : attendees) {
      if (json.size() > 1) json.push_back(',');
      json.append("{\"person_id\":");
      sql::AppendJsonString(a.person_id, &json);
      json.append(",\"name\":");
      sql::AppendJsonString(a.display_name, &json);
      json.append(a.is_head ? ",\"head\":true}" : ",\"head\":false}");
    }
    json.push_back(']');
    return json;
  }
  static std::vector<Value> Values(const Session& s) {
    return {Value(FormatDate(s.date)),
            Value(int64_t{static_cast<int>(s.kind)}),
            Value(s.title),
            Value(ListToJson(s.laws)),
            Value(int64_t{s.duration_minutes}),
            Value(s.location),
            Value(AttendeesToJson(s.attendees)),
            Value(int64_t{s.attendee_count}),
            Value(int64_t{s.head_attended ? 1 : 0}),
            OptionalText(s.external_id),
            Value(ListToJson(s.evidence)),
            Value(s.notes)};
  }
  static Session FromRow(const Row& row, size_t c) {
    Session s;
    s.date = DayFromText(row.Text(c));
    s.kind = static_cast<StudyKind>(row.Int(c + 1));
    s.title = row.Text(c + 2);
    s.laws = ListFromJson(row.Text(c + 3));
    s.duration_minutes = static_cast<int32_t>(row.Int(c + 4));
    s.location = row.Text(c + 5);
    sql::ForEachJsonObject(row.Text(c + 6), [&s](const sql::JsonObject& a) {
      s.attendees.push_back(Attendee{a.Text("person_id"), a.Text("name"), a.Bool("head")});
    });
    s.attendee_count = static_cast<int32_t>(row.Int(c + 7));
    s.head_attended = row.Bool(c + 8);
    s.external_id = row.Text(c + 9);
    s.evidence = ListFromJson(row.Text(c + 10));
    s.notes = row.Text(c + 11);
    return s;
  }
};

struct EventCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "publicity_events",
        "publicity event",
        {"date", "kind", "title", "place", "laws", "display_boards", "leaflets", "people_reached",
         "consultations", "external_id", "evidence", "notes"},
        "publicityEvents"};
    return *spec;
  }
  static std::vector<Value> Values(const PublicityEvent& e) {
    return {Value(FormatDate(e.date)),
            Value(int64_t{static_cast<int>(e.kind)}),
            Value(e.title),
            Value(e.place),
            Value(ListToJson(e.laws)),
            Value(int64_t{e.display_boards}),
            Value(int64_t{e.leaflets}),
            Value(int64_t{e.people_reached}),
            Value(int64_t{e.consultations}),
            OptionalText(e.external_id),
            Value(ListToJson(e.evidence)),
            Value(e.notes)};
  }
  static PublicityEvent FromRow(const Row& row, size_t c) {
    PublicityEvent e;
    e.date = DayFromText(row.Text(c));
    e.kind = static_cast<PublicityKind>(row.Int(c + 1));
    e.title = row.Text(c + 2);
    e.place = row.Text(c + 3);
    e.laws = ListFromJson(row.Text(c + 4));
    e.display_boards = static_cast<int32_t>(row.Int(c + 5));
    e.leaflets = static_cast<int32_t>(row.Int(c + 6));
    e.people_reached = static_cast<int32_t>(row.Int(c + 7));
    e.consultations = static_cast<int32_t>(row.Int(c + 8));
    e.external_id = row.Text(c + 9);
    e.evidence = ListFromJson(row.Text(c + 10));
    e.notes = row.Text(c + 11);
    return e;
  }
};

struct PlanCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "study_plans",
        "study plan",
        {"year", "adopted_date", "title", "rules", "eligible_staff", "planned_laws", "notes"},
        "studyPlans"};
    return *spec;
  }
  static std::vector<Value> Values(const StudyPlan& p) {
    const std::string rules =
        sql::ObjectsToJson(p.rules, [](const StudyRule& r, sql::JsonObjectWriter& out) {
          out.Int("kind", static_cast<int>(r.kind))
              .Int("period", static_cast<int>(r.period))
              .Int("min_sessions", r.min_sessions)
              .Int("min_minutes", r.min_minutes);
        });
    return {Value(int64_t{p.year}),
            p.has_adopted_date ? Value(FormatDate(p.adopted_date)) : sql::Null(),
            Value(p.title),
            Value(rules),
            Value(int64_t{p.eligible_staff}),
            Value(ListToJson(p.planned_laws)),
            Value(p.notes)};
  }
  static StudyPlan FromRow(const Row& row, size_t c) {
    StudyPlan p;
    p.year = static_cast<int32_t>(row.Int(c));
    p.has_adopted_date = !row.IsNull(c + 1);
    if (p.has_adopted_date) p.adopted_date = DayFromText(row.Text(c + 1));
    p.title = row.Text(c + 2);
    sql::ForEachJsonObject(row.Text(c + 3), [&](const sql::JsonObject& r) {
      p.rules.push_back(StudyRule{
          static_cast<StudyKind>(r.Int("kind")), static_cast<RulePeriod>(r.Int("period")),
          static_cast<int32_t>(r.Int("min_sessions")), static_cast<int32_t>(r.Int("min_minutes"))});
    });
    p.eligible_staff = static_cast<int32_t>(row.Int(c + 4));
    p.planned_laws = ListFromJson(row.Text(c + 5));
    p.notes = row.Text(c + 6);
    return p;
  }
};

// The dated records: sessions and publicity events, listed by date.
template <typename T, typename Codec>
struct DatedRecords {
  using Table = sql::RecordTable<T, Codec>;

  static absl::StatusOr<std::vector<T>> List(Transaction& tx, const std::string& org,
                                             const DatedFilter& filter,
                                             const std::optional<DatedPosition>& after, int limit) {
    std::string where = "org = $1";
    std::vector<Value> params = {Value(org)};
    auto add = [&](const std::string& condition, Value value) {
      params.push_back(std::move(value));
      absl::StrAppend(&where, " AND ",
                      absl::StrReplaceAll(condition, {{"?", absl::StrCat("$", params.size())}}));
    };
    if (after && (!filter.start || after->date >= *filter.start)) {
      // Keyset pagination: (date, id) > (last date, last id). Written as a
      // row value, both SQLite and PostgreSQL seek the (org, date, id) index
      // to the position; spelled out with OR, PostgreSQL read the list from
      // its start up to the position for every page. The position is the
      // tighter lower bound than the start date, which it replaces.
      params.push_back(Value(FormatDate(after->date)));
      params.push_back(Value(after->id));
      absl::StrAppend(&where, " AND (date, id) > ($", params.size() - 1, ", $", params.size(), ")");
    } else if (filter.start) {
      add("date >= ?", Value(FormatDate(*filter.start)));
    }
    if (filter.end) add("date <= ?", Value(FormatDate(*filter.end)));
    if (filter.kind != 0) add("kind = ?", Value(int64_t{filter.kind}));
    return Table::Select(tx, where, params, "date, id", limit);
  }
};

using SessionRecords = DatedRecords<Session, SessionCodec>;
using EventRecords = DatedRecords<PublicityEvent, EventCodec>;
using PlanTable = sql::RecordTable<StudyPlan, PlanCodec>;

using sql::Read;
using sql::ReadOne;
using sql::Write;

}  // namespace

SqlStudyStore::SqlStudyStore(sql::Database* db) : db_(db) {}

absl::StatusOr<Session> SqlStudyStore::GetSession(const std::string& org, const std::string& id) {
  return SessionRecords::Table::Get(*db_, org, id);
}

absl::StatusOr<std::vector<Session>> SqlStudyStore::ListSessions(
    const std::string& org, const DatedFilter& filter, const std::optional<DatedPosition>& after,
    int limit) {
  return ReadOne<std::vector<Session>>(db_->StaleReads(), [&](Transaction& tx) {
    return SessionRecords::List(tx, org, filter, after, limit);
  });
}

absl::StatusOr<Session> SqlStudyStore::CreateSession(Session session, const IdempotencyKey& key) {
  return SessionRecords::Table::CreateIdempotent(*db_, std::move(session), key);
}

absl::StatusOr<Session> SqlStudyStore::UpdateSession(Session session, int64_t expected_revision) {
  return SessionRecords::Table::Update(*db_, std::move(session), expected_revision);
}

absl::Status SqlStudyStore::DeleteSession(const std::string& org, const std::string& id,
                                          std::optional<int64_t> expected_revision) {
  return SessionRecords::Table::Delete(*db_, org, id, expected_revision);
}

absl::StatusOr<std::vector<ImportOutcome>> SqlStudyStore::ImportSessions(const std::string& org,
                                                                         std::vector<Session> rows,
                                                                         ImportMode mode) {
  return SessionRecords::Table::Import(*db_, org, std::move(rows), mode);
}

absl::StatusOr<PublicityEvent> SqlStudyStore::GetEvent(const std::string& org,
                                                       const std::string& id) {
  return EventRecords::Table::Get(*db_, org, id);
}

absl::StatusOr<std::vector<PublicityEvent>> SqlStudyStore::ListEvents(
    const std::string& org, const DatedFilter& filter, const std::optional<DatedPosition>& after,
    int limit) {
  return ReadOne<std::vector<PublicityEvent>>(db_->StaleReads(), [&](Transaction& tx) {
    return EventRecords::List(tx, org, filter, after, limit);
  });
}

absl::StatusOr<PublicityEvent> SqlStudyStore::CreateEvent(PublicityEvent event,
                                                          const IdempotencyKey& key) {
  return EventRecords::Table::CreateIdempotent(*db_, std::move(event), key);
}

absl::StatusOr<PublicityEvent> SqlStudyStore::UpdateEvent(PublicityEvent event,
                                                          int64_t expected_revision) {
  return EventRecords::Table::Update(*db_, std::move(event), expected_revision);
}

absl::Status SqlStudyStore::DeleteEvent(const std::string& org, const std::string& id,
                                        std::optional<int64_t> expected_revision) {
  return EventRecords::Table::Delete(*db_, org, id, expected_revision);
}

absl::StatusOr<std::vector<ImportOutcome>> SqlStudyStore::ImportEvents(
    const std::string& org, std::vector<PublicityEvent> rows, ImportMode mode) {
  return EventRecords::Table::Import(*db_, org, std::move(rows), mode);
}

absl::StatusOr<StudyPlan> SqlStudyStore::GetPlan(const std::string& org, int32_t year) {
  return PlanTable::Get(*db_, org, absl::StrCat(year));
}

absl::StatusOr<std::vector<StudyPlan>> SqlStudyStore::ListPlans(const std::string& org,
                                                                int32_t after_year, int limit) {
  return ReadOne<std::vector<StudyPlan>>(*db_, [&](Transaction& tx) {
    return PlanTable::Select(tx, "org = $1 AND year > $2", {Value(org), Value(int64_t{after_year})},
                             "year", limit);
  });
}

absl::StatusOr<StudyPlan> SqlStudyStore::PutPlan(StudyPlan plan,
                                                 std::optional<int64_t> expected_revision) {
  plan.meta.id = absl::StrCat(plan.year);
  return Write<StudyPlan>(*db_, [&](Transaction& tx) -> absl::StatusOr<StudyPlan> {
    if (!expected_revision.has_value()) return PlanTable::Insert(tx, plan, absl::Now());
    return PlanTable::Update(tx, plan, *expected_revision, absl::Now());
  });
}

absl::Status SqlStudyStore::DeletePlan(const std::string& org, int32_t year,
                                       std::optional<int64_t> expected_revision) {
  return PlanTable::Delete(*db_, org, absl::StrCat(year), expected_revision);
}

absl::StatusOr<YearRecords> SqlStudyStore::LoadYear(const std::string& org, int32_t year) {
  return Read<YearRecords>(db_->StaleReads(), [&](Transaction& tx) -> absl::StatusOr<YearRecords> {
    YearRecords records;
    DatedFilter filter{absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31), 0};
    ASSIGN_OR_RETURN(records.sessions, SessionRecords::List(tx, org, filter, std::nullopt, 0));
    ASSIGN_OR_RETURN(records.events, EventRecords::List(tx, org, filter, std::nullopt, 0));
    absl::StatusOr<StudyPlan> plan = PlanTable::Get(tx, org, absl::StrCat(year));
    if (plan.ok()) {
      records.plan = *std::move(plan);
    } else if (!absl::IsNotFound(plan.status())) {
      return plan.status();
    }
    return records;
  });
}

}  // namespace fazhi::study
