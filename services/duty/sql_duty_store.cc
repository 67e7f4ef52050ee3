#include "services/duty/sql_duty_store.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "services/common/record_errors.h"
#include "services/common/resource.h"
#include "services/common/sql/columns.h"
#include "services/common/sql/record_table.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/duty/validate.h"
#include "services/kernel/dates.h"

namespace fazhi::duty {
namespace {

using sql::Row;
using sql::Transaction;
using sql::TxMode;
using sql::Value;

using sql::Bool;
using sql::DayFromText;
using sql::ListFromJson;
using sql::ListToJson;
using sql::OptionalText;

Value Int(int64_t n) { return Value(n); }

// A LIKE pattern matching `item` as a whole element of a JSON string list.
std::string JsonListContains(const std::string& item) {
  std::string quoted;
  sql::AppendJsonString(item, &quoted);
  return absl::StrCat(
      "%", absl::StrReplaceAll(quoted, {{"\\", "\\\\"}, {"%", "\\%"}, {"_", "\\_"}}), "%");
}

// Appends "AND <condition>" with its parameter numbered after `params`.
void AddCondition(std::string& where, std::vector<Value>& params, const std::string& condition,
                  Value value) {
  params.push_back(std::move(value));
  absl::StrAppend(&where, " AND ",
                  absl::StrReplaceAll(condition, {{"?", absl::StrCat("$", params.size())}}));
}

struct PostCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "posts",
        "post",
        {"display_name", "unit", "domains", "standards", "procedures", "capacity", "notes"},
        "posts"};
    return *spec;
  }
  static std::vector<Value> Values(const Post& p) {
    return {Value(p.display_name), Value(p.unit),       Value(ListToJson(p.domains)),
            Value(p.standards),    Value(p.procedures), Int(p.capacity),
            Value(p.notes)};
  }
  static Post FromRow(const Row& row, size_t c) {
    Post p;
    p.display_name = row.Text(c);
    p.unit = row.Text(c + 1);
    p.domains = ListFromJson(row.Text(c + 2));
    p.standards = row.Text(c + 3);
    p.procedures = row.Text(c + 4);
    p.capacity = static_cast<int32_t>(row.Int(c + 5));
    p.notes = row.Text(c + 6);
    return p;
  }
};

struct PowerCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "powers",
        "power",
        {"code", "item_name", "sub_item_name", "type", "domain", "setting_basis",
         "implementing_basis", "implementing_unit", "stages", "accountability_cases",
         "required_officers", "needs_legal_review", "post_id", "external_id", "notes"},
        "powers"};
    return *spec;
  }
  static std::vector<Value> Values(const Power& p) {
    const std::string stages =
        sql::ObjectsToJson(p.stages, [](const ResponsibilityStage& s, sql::JsonObjectWriter& out) {
          out.Text("stage", s.stage).Text("duty", s.duty);
        });
    return {Value(p.code),
            Value(p.item_name),
            Value(p.sub_item_name),
            Int(static_cast<int>(p.type)),
            Value(p.domain),
            Value(ListToJson(p.setting_basis)),
            Value(ListToJson(p.implementing_basis)),
            Value(p.implementing_unit),
            Value(stages),
            Value(ListToJson(p.accountability_cases)),
            Int(p.required_officers),
            Bool(p.needs_legal_review),
            OptionalText(p.post_id),
            OptionalText(p.external_id),
            Value(p.notes)};
  }
  static Power FromRow(const Row& row, size_t c) {
    Power p;
    p.code = row.Text(c);
    p.item_name = row.Text(c + 1);
    p.sub_item_name = row.Text(c + 2);
    p.type = static_cast<PowerType>(row.Int(c + 3));
    p.domain = row.Text(c + 4);
    p.setting_basis = ListFromJson(row.Text(c + 5));
    p.implementing_basis = ListFromJson(row.Text(c + 6));
    p.implementing_unit = row.Text(c + 7);
    sql::ForEachJsonObject(row.Text(c + 8), [&](const sql::JsonObject& s) {
      p.stages.push_back(ResponsibilityStage{s.Text("stage"), s.Text("duty")});
    });
    p.accountability_cases = ListFromJson(row.Text(c + 9));
    p.required_officers = static_cast<int32_t>(row.Int(c + 10));
    p.needs_legal_review = row.Bool(c + 11);
    p.post_id = row.Text(c + 12);
    p.external_id = row.Text(c + 13);
    p.notes = row.Text(c + 14);
    return p;
  }
};

struct OfficerCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec = new sql::RecordTableSpec{
        "officers",
        "officer",
        {"person_id", "display_name", "post_id", "certificate_number", "certificate_issued",
         "certificate_expiry", "certificate_status", "domains", "legal_qualification", "training",
         "max_load", "established", "external_id", "notes"},
        "officers"};
    return *spec;
  }
  static std::vector<Value> Values(const Officer& o) {
    const std::string training =
        sql::ObjectsToJson(o.training, [](const TrainingHours& t, sql::JsonObjectWriter& out) {
          out.Int("year", t.year).Int("hours", t.hours);
        });
    const bool has = o.certificate.present();
    return {Value(o.person_id),
            Value(o.display_name),
            OptionalText(o.post_id),
            OptionalText(o.certificate.number),
            has ? Value(kernel::FormatDate(o.certificate.issued)) : sql::Null(),
            has ? Value(kernel::FormatDate(o.certificate.expiry)) : sql::Null(),
            Int(static_cast<int>(o.certificate.status)),
            Value(ListToJson(o.domains)),
            Bool(o.legal_qualification),
            Value(training),
            Int(o.max_load),
            Bool(o.established),
            OptionalText(o.external_id),
            Value(o.notes)};
  }
  static Officer FromRow(const Row& row, size_t c) {
    Officer o;
    o.person_id = row.Text(c);
    o.display_name = row.Text(c + 1);
    o.post_id = row.Text(c + 2);
    o.certificate.number = row.Text(c + 3);
    if (!row.IsNull(c + 4)) o.certificate.issued = DayFromText(row.Text(c + 4));
    if (!row.IsNull(c + 5)) o.certificate.expiry = DayFromText(row.Text(c + 5));
    o.certificate.status = static_cast<CertificateStatus>(row.Int(c + 6));
    o.domains = ListFromJson(row.Text(c + 7));
    o.legal_qualification = row.Bool(c + 8);
    sql::ForEachJsonObject(row.Text(c + 9), [&](const sql::JsonObject& t) {
      o.training.push_back(
          {static_cast<int32_t>(t.Int("year")), static_cast<int32_t>(t.Int("hours"))});
    });
    o.max_load = static_cast<int32_t>(row.Int(c + 10));
    o.established = row.Bool(c + 11);
    o.external_id = row.Text(c + 12);
    o.notes = row.Text(c + 13);
    return o;
  }
};

struct AssignmentCodec {
  static const sql::RecordTableSpec& Spec() {
    static const auto* spec =
        new sql::RecordTableSpec{"assignments",
                                 "assignment",
                                 {"power_id", "officer_id", "role", "origin", "post_id", "notes"}};
    return *spec;
  }
  static std::vector<Value> Values(const Assignment& a) {
    return {Value(a.power_id),
            Value(a.officer_id),
            Int(static_cast<int>(a.role)),
            Int(static_cast<int>(a.origin)),
            Value(a.post_id),
            Value(a.notes)};
  }
  static Assignment FromRow(const Row& row, size_t c) {
    Assignment a;
    a.power_id = row.Text(c);
    a.officer_id = row.Text(c + 1);
    a.role = static_cast<AssignmentRole>(row.Int(c + 2));
    a.origin = static_cast<AssignmentOrigin>(row.Int(c + 3));
    a.post_id = row.Text(c + 4);
    a.notes = row.Text(c + 5);
    return a;
  }
};

using PostTable = sql::RecordTable<Post, PostCodec>;
using PowerTable = sql::RecordTable<Power, PowerCodec>;
using OfficerTable = sql::RecordTable<Officer, OfficerCodec>;
using AssignmentTable = sql::RecordTable<Assignment, AssignmentCodec>;

using sql::Read;
using sql::ReadOne;
using sql::Write;

absl::Status MissingPost(const std::string& org, const std::string& post_id) {
  return absl::FailedPreconditionError(absl::StrCat(
      "post ", ChildResourceName(org, "posts", post_id), " does not exist; create it first"));
}

absl::Status PostExists(Transaction& tx, const std::string& org, const std::string& post_id) {
  if (post_id.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id FROM posts WHERE org = $1 AND id = $2",
                                       {Value(org), Value(post_id)}));
  if (rows.empty()) return MissingPost(org, post_id);
  return absl::OkStatus();
}

// Unique keys and references of a power: ALREADY_EXISTS or
// FAILED_PRECONDITION naming the conflict.
absl::Status CheckPowerKeys(Transaction& tx, const Power& p) {
  RETURN_IF_ERROR(PowerTable::CheckUnique(tx, p, "code", "code", p.code));
  RETURN_IF_ERROR(PowerTable::CheckUnique(tx, p, "external_id", "external_id", p.external_id));
  return PostExists(tx, p.meta.org, p.post_id);
}

absl::Status CheckOfficerKeys(Transaction& tx, const Officer& o) {
  RETURN_IF_ERROR(OfficerTable::CheckUnique(tx, o, "person_id", "person_id", o.person_id));
  RETURN_IF_ERROR(OfficerTable::CheckUnique(tx, o, "certificate_number", "certificate number",
                                            o.certificate.number));
  RETURN_IF_ERROR(OfficerTable::CheckUnique(tx, o, "external_id", "external_id", o.external_id));
  return PostExists(tx, o.meta.org, o.post_id);
}

// The checks above, for an import's bulk path (ImportKeyed).
const sql::ImportKeys<Power>& PowerImportKeys() {
  static const auto* const keys = new sql::ImportKeys<Power>{
      {{"code", "code", [](const Power& p) -> const std::string& { return p.code; }},
       {"external_id", "external_id",
        [](const Power& p) -> const std::string& { return p.external_id; }}},
      0,
      "posts",
      [](const Power& p) -> const std::string& { return p.post_id; },
      MissingPost};
  return *keys;
}

const sql::ImportKeys<Officer>& OfficerImportKeys() {
  static const auto* const keys = new sql::ImportKeys<Officer>{
      {{"person_id", "person_id",
        [](const Officer& o) -> const std::string& { return o.person_id; }},
       {"certificate_number", "certificate number",
        [](const Officer& o) -> const std::string& { return o.certificate.number; }},
       {"external_id", "external_id",
        [](const Officer& o) -> const std::string& { return o.external_id; }}},
      0,
      "posts",
      [](const Officer& o) -> const std::string& { return o.post_id; },
      MissingPost};
  return *keys;
}

// An import with checks: in bulk, unless the path is row by row or the
// batch moves a unique value between stored records (ImportKeyed).
template <typename Table, typename T, typename Match, typename Check>
absl::StatusOr<std::vector<ImportOutcome>> ImportChecked(sql::Database& db, ImportPath path,
                                                         const std::string& org,
                                                         std::vector<T> rows, ImportMode mode,
                                                         const sql::ImportKeys<T>& keys,
                                                         Match match, Check check) {
  if (path == ImportPath::kBulk) {
    ASSIGN_OR_RETURN(auto outcomes, Table::ImportKeyed(db, org, rows, mode, keys));
    if (outcomes.has_value()) return *std::move(outcomes);
  }
  return Table::Import(db, org, std::move(rows), mode, match, check);
}

// Updates a record after its key checks; a missing record is NOT_FOUND
// before its keys are checked.
template <typename Table, typename T, typename Check>
absl::StatusOr<T> UpdateChecked(sql::Database& db, T record, int64_t expected_revision,
                                Check check) {
  return Write<T>(db, [&](Transaction& tx) -> absl::StatusOr<T> {
    RETURN_IF_ERROR(Table::Get(tx, record.meta.org, record.meta.id).status());
    RETURN_IF_ERROR(check(tx, record));
    return Table::Update(tx, record, expected_revision, absl::Now());
  });
}

// FAILED_PRECONDITION when rows of `table` reference the record.
absl::Status RefuseIfReferenced(Transaction& tx, const std::string& org, const std::string& table,
                                const std::string& column, const std::string& id,
                                const std::string& what, const std::string& advice) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(absl::StrCat("SELECT COUNT(*) FROM ", table,
                                                    " WHERE org = $1 AND ", column, " = $2"),
                                       {Value(org), Value(id)}));
  const int64_t count = rows.empty() ? 0 : rows[0].Int(0);
  if (count > 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " is referenced by ", count, " ", table, "; ", advice));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Assignment>> SelectAssignments(
    Transaction& tx, const std::string& org, const AssignmentFilter& filter,
    const std::optional<AssignmentPosition>& after, int limit) {
  std::string where = "org = $1";
  std::vector<Value> params = {Value(org)};
  if (!filter.power_id.empty()) AddCondition(where, params, "power_id = ?", Value(filter.power_id));
  if (!filter.officer_id.empty())
    AddCondition(where, params, "officer_id = ?", Value(filter.officer_id));
  if (filter.origin != 0) AddCondition(where, params, "origin = ?", Int(filter.origin));
  if (after) {
    params.push_back(Value(after->power_id));
    params.push_back(Value(after->officer_id));
    // A row value seeks the (org, power_id, officer_id) index to the
    // position on both drivers (see the study store's lists).
    absl::StrAppend(&where, " AND (power_id, officer_id) > ($", params.size() - 1, ", $",
                    params.size(), ")");
  }
  return AssignmentTable::Select(tx, where, params, "power_id, officer_id", limit);
}

// What coverage reads of an organization's assignments, ordered as
// SelectAssignments orders them. The assignments_coverage index holds all
// of it, so no table row is read: at province scale an organization's
// assignments lie a few to a page among other organizations' rows, and
// fetching their pages was what made the summary slower there.
absl::StatusOr<std::vector<Assignment>> SelectCoverageAssignments(Transaction& tx,
                                                                  const std::string& org) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT power_id, officer_id, role FROM assignments "
                                       "WHERE org = $1 ORDER BY power_id, officer_id",
                                       {Value(org)}));
  std::vector<Assignment> assignments(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Assignment& a = assignments[i];
    a.meta.org = org;
    a.power_id = rows[i].Text(0);
    a.officer_id = rows[i].Text(1);
    a.meta.id = AssignmentId(a.power_id, a.officer_id);
    a.role = static_cast<AssignmentRole>(rows[i].Int(2));
  }
  return assignments;
}

// `coverage_only`: the assignments as SelectCoverageAssignments reads them.
absl::StatusOr<DutySnapshot> SelectSnapshot(Transaction& tx, const std::string& org,
                                            bool coverage_only = false) {
  DutySnapshot s;
  ASSIGN_OR_RETURN(s.powers, PowerTable::Select(tx, "org = $1", {Value(org)}, "code", 0));
  ASSIGN_OR_RETURN(s.posts, PostTable::Select(tx, "org = $1", {Value(org)}, "id", 0));
  ASSIGN_OR_RETURN(s.officers, OfficerTable::Select(tx, "org = $1", {Value(org)}, "person_id", 0));
  if (coverage_only) {
    ASSIGN_OR_RETURN(s.assignments, SelectCoverageAssignments(tx, org));
  } else {
    ASSIGN_OR_RETURN(s.assignments, SelectAssignments(tx, org, {}, std::nullopt, 0));
  }
  return s;
}

// Reads what a hand-made assignment is checked against.
absl::StatusOr<AssignmentContext> ReadContext(Transaction& tx, const Assignment& a) {
  AssignmentContext context;
  ASSIGN_OR_RETURN(context.power, PowerTable::Get(tx, a.meta.org, a.power_id));
  ASSIGN_OR_RETURN(context.officer, OfficerTable::Get(tx, a.meta.org, a.officer_id));
  AssignmentFilter by_officer;
  by_officer.officer_id = a.officer_id;
  ASSIGN_OR_RETURN(context.officer_assignments,
                   SelectAssignments(tx, a.meta.org, by_officer, std::nullopt, 0));
  AssignmentFilter by_power;
  by_power.power_id = a.power_id;
  ASSIGN_OR_RETURN(context.power_assignments,
                   SelectAssignments(tx, a.meta.org, by_power, std::nullopt, 0));
  return context;
}

}  // namespace

SqlDutyStore::SqlDutyStore(sql::Database* db, ImportPath import_path)
    : db_(db), import_path_(import_path) {}

// Powers.

absl::StatusOr<Power> SqlDutyStore::GetPower(const std::string& org, const std::string& id) {
  return PowerTable::Get(*db_, org, id);
}

absl::StatusOr<std::vector<Power>> SqlDutyStore::ListPowers(const std::string& org,
                                                            const PowerFilter& filter,
                                                            const std::string& after_code,
                                                            int limit) {
  return ReadOne<std::vector<Power>>(db_->StaleReads(), [&](Transaction& tx) {
    std::string where = "org = $1";
    std::vector<Value> params = {Value(org)};
    if (!filter.domain.empty()) AddCondition(where, params, "domain = ?", Value(filter.domain));
    if (filter.type != 0) AddCondition(where, params, "type = ?", Int(filter.type));
    if (!filter.post_id.empty()) AddCondition(where, params, "post_id = ?", Value(filter.post_id));
    if (!after_code.empty()) AddCondition(where, params, "code > ?", Value(after_code));
    return PowerTable::Select(tx, where, params, "code", limit);
  });
}

absl::StatusOr<Power> SqlDutyStore::CreatePower(Power power, const IdempotencyKey& key) {
  return PowerTable::CreateIdempotent(*db_, std::move(power), key, CheckPowerKeys);
}

absl::StatusOr<Power> SqlDutyStore::UpdatePower(Power power, int64_t expected_revision) {
  return UpdateChecked<PowerTable>(*db_, std::move(power), expected_revision, CheckPowerKeys);
}

absl::Status SqlDutyStore::DeletePower(const std::string& org, const std::string& id,
                                       std::optional<int64_t> expected_revision) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(RefuseIfReferenced(
        tx, org, "assignments", "power_id", id,
        absl::StrCat("power ", ChildResourceName(org, "powers", id)),
        "delete its assignments first, so no officer is left holding a power that is gone"));
    return PowerTable::Delete(tx, org, id, expected_revision);
  });
}

absl::StatusOr<std::vector<ImportOutcome>> SqlDutyStore::ImportPowers(const std::string& org,
                                                                      std::vector<Power> rows,
                                                                      ImportMode mode) {
  // A row without an external id stands for the power with its code.
  return ImportChecked<PowerTable>(
      *db_, import_path_, org, std::move(rows), mode, PowerImportKeys(),
      [](const Power& row) {
        return row.external_id.empty() ? sql::ImportMatch{"code", row.code}
                                       : sql::ImportMatch{"external_id", row.external_id};
      },
      CheckPowerKeys);
}

// Posts.

absl::StatusOr<Post> SqlDutyStore::GetPost(const std::string& org, const std::string& id) {
  return PostTable::Get(*db_, org, id);
}

absl::StatusOr<std::vector<Post>> SqlDutyStore::ListPosts(const std::string& org,
                                                          const std::string& domain,
                                                          const std::string& after_id, int limit) {
  return ReadOne<std::vector<Post>>(db_->StaleReads(), [&](Transaction& tx) {
    std::string where = "org = $1";
    std::vector<Value> params = {Value(org)};
    if (!domain.empty()) {
      AddCondition(where, params, "domains LIKE ? ESCAPE '\\'", Value(JsonListContains(domain)));
    }
    if (!after_id.empty()) AddCondition(where, params, "id > ?", Value(after_id));
    return PostTable::Select(tx, where, params, "id", limit);
  });
}

absl::StatusOr<Post> SqlDutyStore::CreatePost(Post post, const IdempotencyKey& key) {
  return PostTable::CreateIdempotent(*db_, std::move(post), key);
}

absl::StatusOr<Post> SqlDutyStore::UpdatePost(Post post, int64_t expected_revision) {
  return PostTable::Update(*db_, std::move(post), expected_revision);
}

absl::Status SqlDutyStore::DeletePost(const std::string& org, const std::string& id,
                                      std::optional<int64_t> expected_revision) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    const std::string what = absl::StrCat("post ", ChildResourceName(org, "posts", id));
    RETURN_IF_ERROR(RefuseIfReferenced(tx, org, "officers", "post_id", id, what,
                                       "move those officers to another post first"));
    RETURN_IF_ERROR(RefuseIfReferenced(tx, org, "powers", "post_id", id, what,
                                       "clear or change those powers' post first"));
    return PostTable::Delete(tx, org, id, expected_revision);
  });
}

// Officers.

absl::StatusOr<Officer> SqlDutyStore::GetOfficer(const std::string& org, const std::string& id) {
  return OfficerTable::Get(*db_, org, id);
}

absl::StatusOr<std::vector<Officer>> SqlDutyStore::ListOfficers(const std::string& org,
                                                                const OfficerFilter& filter,
                                                                const std::string& after_person_id,
                                                                int limit) {
  return ReadOne<std::vector<Officer>>(db_->StaleReads(), [&](Transaction& tx) {
    std::string where = "org = $1";
    std::vector<Value> params = {Value(org)};
    if (!filter.domain.empty()) {
      AddCondition(where, params, "domains LIKE ? ESCAPE '\\'",
                   Value(JsonListContains(filter.domain)));
    }
    if (filter.certificate_status != 0) {
      AddCondition(where, params, "certificate_status = ?", Int(filter.certificate_status));
    }
    if (!filter.post_id.empty()) AddCondition(where, params, "post_id = ?", Value(filter.post_id));
    if (!after_person_id.empty())
      AddCondition(where, params, "person_id > ?", Value(after_person_id));
    return OfficerTable::Select(tx, where, params, "person_id", limit);
  });
}

absl::StatusOr<Officer> SqlDutyStore::CreateOfficer(Officer officer, const IdempotencyKey& key) {
  return OfficerTable::CreateIdempotent(*db_, std::move(officer), key, CheckOfficerKeys);
}

absl::StatusOr<Officer> SqlDutyStore::UpdateOfficer(Officer officer, int64_t expected_revision) {
  return UpdateChecked<OfficerTable>(*db_, std::move(officer), expected_revision, CheckOfficerKeys);
}

absl::Status SqlDutyStore::DeleteOfficer(const std::string& org, const std::string& id,
                                         std::optional<int64_t> expected_revision) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    RETURN_IF_ERROR(
        RefuseIfReferenced(tx, org, "assignments", "officer_id", id,
                           absl::StrCat("officer ", ChildResourceName(org, "officers", id)),
                           "delete their assignments or re-run allocation without them first"));
    return OfficerTable::Delete(tx, org, id, expected_revision);
  });
}

absl::StatusOr<std::vector<ImportOutcome>> SqlDutyStore::ImportOfficers(const std::string& org,
                                                                        std::vector<Officer> rows,
                                                                        ImportMode mode) {
  // A row without an external id stands for the officer with its person id.
  return ImportChecked<OfficerTable>(
      *db_, import_path_, org, std::move(rows), mode, OfficerImportKeys(),
      [](const Officer& row) {
        return row.external_id.empty() ? sql::ImportMatch{"person_id", row.person_id}
                                       : sql::ImportMatch{"external_id", row.external_id};
      },
      CheckOfficerKeys);
}

// Assignments.

absl::StatusOr<Assignment> SqlDutyStore::GetAssignment(const std::string& org,
                                                       const std::string& id) {
  return AssignmentTable::Get(*db_, org, id);
}

absl::StatusOr<std::vector<Assignment>> SqlDutyStore::ListAssignments(
    const std::string& org, const AssignmentFilter& filter,
    const std::optional<AssignmentPosition>& after, int limit) {
  return Read<std::vector<Assignment>>(db_->StaleReads(), [&](Transaction& tx) {
    return SelectAssignments(tx, org, filter, after, limit);
  });
}

absl::StatusOr<Assignment> SqlDutyStore::CreateAssignment(Assignment assignment,
                                                          const AssignmentCheck& check) {
  return Write<Assignment>(*db_, [&](Transaction& tx) -> absl::StatusOr<Assignment> {
    Assignment record = assignment;
    record.meta.id = AssignmentId(record.power_id, record.officer_id);
    ASSIGN_OR_RETURN(AssignmentContext context, ReadContext(tx, record));
    for (const Assignment& a : context.power_assignments) {
      if (a.officer_id == record.officer_id) {
        return AlreadyExistsError(
            "assignment",
            FormatAssignmentName(record.meta.org, record.power_id, record.officer_id));
      }
    }
    RETURN_IF_ERROR(check(context));
    record.post_id = context.officer.post_id;
    return AssignmentTable::Insert(tx, record, absl::Now());
  });
}

absl::StatusOr<Assignment> SqlDutyStore::UpdateAssignment(Assignment assignment,
                                                          int64_t expected_revision,
                                                          const AssignmentCheck& check) {
  return Write<Assignment>(*db_, [&](Transaction& tx) -> absl::StatusOr<Assignment> {
    ASSIGN_OR_RETURN(Assignment current,
                     AssignmentTable::Get(tx, assignment.meta.org, assignment.meta.id));
    Assignment record = assignment;
    record.power_id = current.power_id;
    record.officer_id = current.officer_id;
    record.post_id = current.post_id;
    ASSIGN_OR_RETURN(AssignmentContext context, ReadContext(tx, record));
    RETURN_IF_ERROR(check(context));
    return AssignmentTable::Update(tx, record, expected_revision, absl::Now());
  });
}

absl::Status SqlDutyStore::DeleteAssignment(const std::string& org, const std::string& id,
                                            std::optional<int64_t> expected_revision) {
  return AssignmentTable::Delete(*db_, org, id, expected_revision);
}

// Snapshot and allocation.

absl::StatusOr<DutySnapshot> SqlDutyStore::LoadSnapshot(const std::string& org) {
  return Read<DutySnapshot>(*db_, [&](Transaction& tx) { return SelectSnapshot(tx, org); });
}

absl::StatusOr<DutySnapshot> SqlDutyStore::LoadCoverageSnapshot(const std::string& org) {
  return Read<DutySnapshot>(
      *db_, [&](Transaction& tx) { return SelectSnapshot(tx, org, /*coverage_only=*/true); });
}

absl::Status SqlDutyStore::ApplyPlan(const std::string& org, const PlanFunction& plan) {
  return db_->Transact(TxMode::kReadWrite, [&](Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(DutySnapshot snapshot, SelectSnapshot(tx, org));
    ASSIGN_OR_RETURN(AssignmentChanges changes, plan(snapshot));
    std::map<std::string, const Assignment*> stored;
    for (const Assignment& a : snapshot.assignments) stored[a.meta.id] = &a;
    const absl::Time now = absl::Now();
    // The new and changed assignments in two bulk statements: one a row
    // was most of an allocation's time on PostgreSQL.
    std::vector<Assignment> inserts, updates;
    for (const std::string& id : changes.removed) {
      auto it = stored.find(id);
      if (it == stored.end() || it->second->origin != AssignmentOrigin::kComputed) {
        return absl::InternalError(
            absl::StrCat("plan removes ", id, ", which is not a computed assignment"));
      }
      RETURN_IF_ERROR(AssignmentTable::Delete(tx, org, id, it->second->meta.revision));
    }
    for (Assignment a : changes.computed) {
      a.meta.org = org;
      a.origin = AssignmentOrigin::kComputed;
      auto it = stored.find(a.meta.id);
      if (it == stored.end()) {
        inserts.push_back(std::move(a));
        continue;
      }
      const Assignment& current = *it->second;
      if (current.origin != AssignmentOrigin::kComputed) {
        return absl::InternalError(
            absl::StrCat("plan overwrites the pinned assignment ", a.meta.id));
      }
      if (current.role == a.role && current.post_id == a.post_id) continue;
      a.meta = current.meta;
      a.notes = current.notes;
      updates.push_back(std::move(a));
    }
    RETURN_IF_ERROR(AssignmentTable::UpdateAll(tx, updates, now));
    return AssignmentTable::InsertAll(tx, inserts, now);
  });
}

}  // namespace fazhi::duty
