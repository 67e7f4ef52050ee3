#include "services/duty/duty_service.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/common/answer_etag.h"
#include "services/common/auth/audit_records.h"
#include "services/common/field_mask.h"
#include "services/common/import.h"
#include "services/common/proto_dates.h"
#include "services/common/record_handlers.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/duty/allocate.h"
#include "services/duty/convert.h"
#include "services/duty/coverage.h"
#include "services/duty/validate.h"
#include "services/kernel/utf8.h"

namespace fazhi::duty {
namespace {

// What the shared record handlers (services/common/record_handlers.h) need
// to know about powers, posts and officers.
struct PowerTraits : ProtoRecord<v1::Power, Power, ToProto, FromProto> {
  static constexpr absl::string_view kCollection = "powers";
  static constexpr absl::string_view kField = "power";
  static constexpr absl::string_view kNoun = "power";
  static constexpr auto kGet = &DutyStore::GetPower;
  static constexpr auto kCreate = &DutyStore::CreatePower;
  static constexpr auto kUpdate = &DutyStore::UpdatePower;
  static constexpr auto kDelete = &DutyStore::DeletePower;
  static constexpr auto kImport = &DutyStore::ImportPowers;
  static void Validate(const Proto& p, absl::string_view prefix, const std::string& org,
                       FieldViolations& v) {
    ValidatePower(p, prefix, org, v);
  }
};

struct PostTraits : ProtoRecord<v1::Post, Post, ToProto, FromProto> {
  static constexpr absl::string_view kCollection = "posts";
  static constexpr absl::string_view kField = "post";
  static constexpr absl::string_view kNoun = "post";
  static constexpr auto kGet = &DutyStore::GetPost;
  static constexpr auto kCreate = &DutyStore::CreatePost;
  static constexpr auto kUpdate = &DutyStore::UpdatePost;
  static constexpr auto kDelete = &DutyStore::DeletePost;
  static void Validate(const Proto& p, absl::string_view prefix, const std::string&,
                       FieldViolations& v) {
    ValidatePost(p, prefix, v);
  }
};

struct OfficerTraits : ProtoRecord<v1::Officer, Officer, ToProto, FromProto> {
  static constexpr absl::string_view kCollection = "officers";
  static constexpr absl::string_view kField = "officer";
  static constexpr absl::string_view kNoun = "officer";
  static constexpr auto kGet = &DutyStore::GetOfficer;
  static constexpr auto kCreate = &DutyStore::CreateOfficer;
  static constexpr auto kUpdate = &DutyStore::UpdateOfficer;
  static constexpr auto kDelete = &DutyStore::DeleteOfficer;
  static constexpr auto kImport = &DutyStore::ImportOfficers;
  static void Validate(const Proto& p, absl::string_view prefix, const std::string& org,
                       FieldViolations& v) {
    ValidateOfficer(p, prefix, org, v);
  }
};

// The lists keyed by one string (code, id, person_id) or two.
template <typename Fetch, typename Position, typename Items>
absl::Status Page(int page_size, const std::string& query, const std::string& token, size_t parts,
                  Fetch fetch, Position position, Items* items, std::string* next_page_token) {
  FieldViolations v;
  std::vector<std::string> after = DecodePagePosition(token, query, parts, v);
  RETURN_IF_ERROR(v.ToStatus());
  return AnswerPage(
      page_size, query, [&](int limit) { return fetch(after, limit); },
      [](const auto& r) { return ToProto(r); }, position, items, next_page_token);
}

void CheckFilterText(absl::string_view field, const std::string& text, FieldViolations& v) {
  v.CheckText(field, text, kMaxDomainChars);
}

struct AssignmentParent {
  std::string org;
  std::string power_id;  // empty for "-"
};

// orgs/{org}/powers/{power} or orgs/{org}/powers/-
std::optional<AssignmentParent> ParseAssignmentParent(const std::string& parent, bool allow_all,
                                                      FieldViolations& v) {
  std::vector<std::string> parts = absl::StrSplit(parent, '/');
  if (allow_all && parts.size() == 4 && parts[0] == "orgs" && IsValidOrgId(parts[1]) &&
      parts[2] == "powers" && parts[3] == "-") {
    return AssignmentParent{parts[1], ""};
  }
  FieldViolations local;
  auto parsed = ParseChildName(parent, "powers", "parent", local);
  if (!parsed) {
    v.Add("parent", allow_all ? "must be orgs/{org}/powers/{power} or orgs/{org}/powers/-"
                              : "must be orgs/{org}/powers/{power}");
    return std::nullopt;
  }
  return AssignmentParent{parsed->org, parsed->id};
}

absl::CivilDay DayOr(const google::type::Date& date, absl::CivilDay fallback) {
  return IsSet(date) ? ToCivilDay(date) : fallback;
}

}  // namespace

DutyServiceImpl::DutyServiceImpl(DutyStore* store, const CallHandler* calls, Clock today)
    : store_(store), calls_(calls), today_(kernel::ClockOrToday(std::move(today))) {}

// Powers.

grpc::ServerUnaryReactor* DutyServiceImpl::GetPower(CallbackContext* c,
                                                    const v1::GetPowerRequest* r, v1::Power* out) {
  return calls_->Run(c, "GetPower", *r,
                     [&] { return GetRecord<PowerTraits>(*store_, r->name(), out); });
}

grpc::ServerUnaryReactor* DutyServiceImpl::ListPowers(CallbackContext* c,
                                                      const v1::ListPowersRequest* r,
                                                      v1::ListPowersResponse* out) {
  return calls_->Run(c, "ListPowers", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(r->parent(), "parent", v);
    const int page_size = ResolvePageSize(r->page_size(), "page_size", v);
    CheckFilterText("domain", r->domain(), v);
    if (!v1::PowerType_IsValid(r->type()))
      v.Add("type", absl::StrCat("unknown power type ", r->type()));
    auto post = ParseReference(r->post(), "posts", org.value_or(""), "post", v);
    RETURN_IF_ERROR(v.ToStatus());
    PowerFilter filter{r->domain(), r->type(), *post};
    const std::string query = absl::StrCat(*org, "|", r->domain(), "|", r->type(), "|", *post);
    return Page(
        page_size, query, r->page_token(), 1,
        [&](const std::vector<std::string>& pos, int limit) {
          return store_->ListPowers(*org, filter, pos.empty() ? "" : pos[0], limit);
        },
        [](const Power& p) { return std::vector<std::string>{p.code}; }, out->mutable_powers(),
        out->mutable_next_page_token());
  });
}

grpc::Status DutyServiceImpl::CreatePower(Context* c, const v1::CreatePowerRequest* r,
                                          v1::Power* out) {
  return calls_->Run(c, "CreatePower", *r, [&] {
    return CreateRecord<PowerTraits>(*store_, r->parent(), r->power(), r->power_id(),
                                     r->request_id(), *r, out);
  });
}

grpc::Status DutyServiceImpl::UpdatePower(Context* c, const v1::UpdatePowerRequest* r,
                                          v1::Power* out) {
  return calls_->Run(c, "UpdatePower", *r, [&] {
    return UpdateRecord<PowerTraits>(*store_, r->power(), r->update_mask(), out);
  });
}

grpc::Status DutyServiceImpl::DeletePower(Context* c, const v1::DeletePowerRequest* r, Empty*) {
  return calls_->Run(c, "DeletePower", *r,
                     [&] { return DeleteRecord<PowerTraits>(*store_, r->name(), r->etag()); });
}

grpc::Status DutyServiceImpl::ImportPowers(Context* c,
                                           grpc::ServerReader<v1::ImportPowersRequest>* reader,
                                           Report* out) {
  return calls_->RunStream(c, "ImportPowers", [&] {
    return ImportRecords<PowerTraits>(
        *store_, reader, [](const v1::ImportPowersRequest& r) -> const auto& { return r.powers(); },
        out);
  });
}

// Posts.

grpc::ServerUnaryReactor* DutyServiceImpl::GetPost(CallbackContext* c, const v1::GetPostRequest* r,
                                                   v1::Post* out) {
  return calls_->Run(c, "GetPost", *r,
                     [&] { return GetRecord<PostTraits>(*store_, r->name(), out); });
}

grpc::ServerUnaryReactor* DutyServiceImpl::ListPosts(CallbackContext* c,
                                                     const v1::ListPostsRequest* r,
                                                     v1::ListPostsResponse* out) {
  return calls_->Run(c, "ListPosts", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(r->parent(), "parent", v);
    const int page_size = ResolvePageSize(r->page_size(), "page_size", v);
    CheckFilterText("domain", r->domain(), v);
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = absl::StrCat(*org, "|", r->domain());
    return Page(
        page_size, query, r->page_token(), 1,
        [&](const std::vector<std::string>& pos, int limit) {
          return store_->ListPosts(*org, r->domain(), pos.empty() ? "" : pos[0], limit);
        },
        [](const Post& p) { return std::vector<std::string>{p.meta.id}; }, out->mutable_posts(),
        out->mutable_next_page_token());
  });
}

grpc::Status DutyServiceImpl::CreatePost(Context* c, const v1::CreatePostRequest* r,
                                         v1::Post* out) {
  return calls_->Run(c, "CreatePost", *r, [&] {
    return CreateRecord<PostTraits>(*store_, r->parent(), r->post(), r->post_id(), r->request_id(),
                                    *r, out);
  });
}

grpc::Status DutyServiceImpl::UpdatePost(Context* c, const v1::UpdatePostRequest* r,
                                         v1::Post* out) {
  return calls_->Run(c, "UpdatePost", *r, [&] {
    return UpdateRecord<PostTraits>(*store_, r->post(), r->update_mask(), out);
  });
}

grpc::Status DutyServiceImpl::DeletePost(Context* c, const v1::DeletePostRequest* r, Empty*) {
  return calls_->Run(c, "DeletePost", *r,
                     [&] { return DeleteRecord<PostTraits>(*store_, r->name(), r->etag()); });
}

// Officers.

grpc::ServerUnaryReactor* DutyServiceImpl::GetOfficer(CallbackContext* c,
                                                      const v1::GetOfficerRequest* r,
                                                      v1::Officer* out) {
  return calls_->Run(c, "GetOfficer", *r,
                     [&] { return GetRecord<OfficerTraits>(*store_, r->name(), out); });
}

grpc::ServerUnaryReactor* DutyServiceImpl::ListOfficers(CallbackContext* c,
                                                        const v1::ListOfficersRequest* r,
                                                        v1::ListOfficersResponse* out) {
  return calls_->Run(c, "ListOfficers", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(r->parent(), "parent", v);
    const int page_size = ResolvePageSize(r->page_size(), "page_size", v);
    CheckFilterText("domain", r->domain(), v);
    if (!v1::CertificateStatus_IsValid(r->certificate_status())) {
      v.Add("certificate_status",
            absl::StrCat("unknown certificate status ", r->certificate_status()));
    }
    auto post = ParseReference(r->post(), "posts", org.value_or(""), "post", v);
    RETURN_IF_ERROR(v.ToStatus());
    OfficerFilter filter{r->domain(), r->certificate_status(), *post};
    const std::string query =
        absl::StrCat(*org, "|", r->domain(), "|", r->certificate_status(), "|", *post);
    return Page(
        page_size, query, r->page_token(), 1,
        [&](const std::vector<std::string>& pos, int limit) {
          return store_->ListOfficers(*org, filter, pos.empty() ? "" : pos[0], limit);
        },
        [](const Officer& o) { return std::vector<std::string>{o.person_id}; },
        out->mutable_officers(), out->mutable_next_page_token());
  });
}

grpc::Status DutyServiceImpl::CreateOfficer(Context* c, const v1::CreateOfficerRequest* r,
                                            v1::Officer* out) {
  return calls_->Run(c, "CreateOfficer", *r, [&] {
    return CreateRecord<OfficerTraits>(*store_, r->parent(), r->officer(), r->officer_id(),
                                       r->request_id(), *r, out);
  });
}

grpc::Status DutyServiceImpl::UpdateOfficer(Context* c, const v1::UpdateOfficerRequest* r,
                                            v1::Officer* out) {
  return calls_->Run(c, "UpdateOfficer", *r, [&] {
    return UpdateRecord<OfficerTraits>(*store_, r->officer(), r->update_mask(), out);
  });
}

grpc::Status DutyServiceImpl::DeleteOfficer(Context* c, const v1::DeleteOfficerRequest* r, Empty*) {
  return calls_->Run(c, "DeleteOfficer", *r,
                     [&] { return DeleteRecord<OfficerTraits>(*store_, r->name(), r->etag()); });
}

grpc::Status DutyServiceImpl::ImportOfficers(Context* c,
                                             grpc::ServerReader<v1::ImportOfficersRequest>* reader,
                                             Report* out) {
  return calls_->RunStream(c, "ImportOfficers", [&] {
    return ImportRecords<OfficerTraits>(
        *store_, reader,
        [](const v1::ImportOfficersRequest& r) -> const auto& { return r.officers(); }, out);
  });
}

// Assignments.

grpc::ServerUnaryReactor* DutyServiceImpl::GetAssignment(CallbackContext* c,
                                                         const v1::GetAssignmentRequest* r,
                                                         v1::Assignment* out) {
  return calls_->Run(c, "GetAssignment", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ParseAssignmentName(r->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(Assignment a, store_->GetAssignment(
                                       name->org, AssignmentId(name->power_id, name->officer_id)));
    *out = ToProto(a);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DutyServiceImpl::ListAssignments(CallbackContext* c,
                                                           const v1::ListAssignmentsRequest* r,
                                                           v1::ListAssignmentsResponse* out) {
  return calls_->Run(c, "ListAssignments", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto parent = ParseAssignmentParent(r->parent(), /*allow_all=*/true, v);
    const int page_size = ResolvePageSize(r->page_size(), "page_size", v);
    auto officer =
        ParseReference(r->officer(), "officers", parent ? parent->org : "", "officer", v);
    if (!v1::AssignmentOrigin_IsValid(r->origin())) {
      v.Add("origin", absl::StrCat("unknown assignment origin ", r->origin()));
    }
    RETURN_IF_ERROR(v.ToStatus());
    AssignmentFilter filter{parent->power_id, *officer, r->origin()};
    const std::string query = absl::StrCat(r->parent(), "|", *officer, "|", r->origin());
    return Page(
        page_size, query, r->page_token(), 2,
        [&](const std::vector<std::string>& pos, int limit) {
          std::optional<AssignmentPosition> position;
          if (pos.size() == 2) position = AssignmentPosition{pos[0], pos[1]};
          return store_->ListAssignments(parent->org, filter, position, limit);
        },
        [](const Assignment& a) {
          return std::vector<std::string>{a.power_id, a.officer_id};
        },
        out->mutable_assignments(), out->mutable_next_page_token());
  });
}

grpc::Status DutyServiceImpl::CreateAssignment(Context* c, const v1::CreateAssignmentRequest* r,
                                               v1::Assignment* out) {
  return calls_->Run(c, "CreateAssignment", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto parent = ParseAssignmentParent(r->parent(), /*allow_all=*/false, v);
    const std::string officer_name =
        r->officer().empty() ? r->assignment().officer() : r->officer();
    std::optional<std::string> officer;
    if (officer_name.empty()) {
      v.Add("officer", "is required (orgs/{org}/officers/{officer})");
    } else {
      officer = ParseReference(officer_name, "officers", parent ? parent->org : "", "officer", v);
    }
    ValidateAssignment(r->assignment(), "assignment.", v);
    if (r->assignment().origin() == v1::ASSIGNMENT_ORIGIN_COMPUTED) {
      v.Add("assignment.origin",
            "only the allocator makes COMPUTED assignments; leave it unset or PINNED");
    }
    RETURN_IF_ERROR(v.ToStatus());
    Assignment a = FromProto(r->assignment());
    a.meta.org = parent->org;
    a.power_id = parent->power_id;
    a.officer_id = *officer;
    const absl::CivilDay today = today_();
    ASSIGN_OR_RETURN(Assignment stored,
                     store_->CreateAssignment(a, [&](const AssignmentContext& context) {
                       RETURN_IF_ERROR(CheckEligibleByHand(context, today));
                       return CheckSingleLead(context, a);
                     }));
    *out = ToProto(stored);
    return absl::OkStatus();
  });
}

grpc::Status DutyServiceImpl::UpdateAssignment(Context* c, const v1::UpdateAssignmentRequest* r,
                                               v1::Assignment* out) {
  return calls_->Run(c, "UpdateAssignment", *r, [&]() -> absl::Status {
    FieldViolations v;
    const v1::Assignment& proto = r->assignment();
    auto name = ParseAssignmentName(proto.name(), "assignment.name", v);
    auto expected = ParseEtagField(proto.etag(), "assignment.etag", v);
    for (int i = 0; i < r->update_mask().paths_size(); ++i) {
      const std::string& path = r->update_mask().paths(i);
      if (path == "officer" || path == "post") {
        v.Add(absl::StrCat("update_mask.paths[", i, "]"),
              absl::StrCat("\"", path, "\" is output only"));
      }
    }
    RETURN_IF_ERROR(v.ToStatus());
    const std::string id = AssignmentId(name->power_id, name->officer_id);
    ASSIGN_OR_RETURN(Assignment current, store_->GetAssignment(name->org, id));
    RETURN_IF_ERROR(CheckExpectedRevision("assignment", expected, current.meta.revision));
    v1::Assignment merged = ToProto(current);
    ApplyFieldMask(proto, r->update_mask(), "update_mask", merged, v);
    RETURN_IF_ERROR(v.ToStatus());
    ValidateAssignment(merged, "assignment.", v);
    RETURN_IF_ERROR(v.ToStatus());
    Assignment record = FromProto(merged);
    record.meta = current.meta;
    record.power_id = current.power_id;
    record.officer_id = current.officer_id;
    ASSIGN_OR_RETURN(Assignment stored,
                     store_->UpdateAssignment(record, current.meta.revision,
                                              [&](const AssignmentContext& context) {
                                                return CheckSingleLead(context, record);
                                              }));
    *out = ToProto(stored);
    return absl::OkStatus();
  });
}

grpc::Status DutyServiceImpl::DeleteAssignment(Context* c, const v1::DeleteAssignmentRequest* r,
                                               Empty*) {
  return calls_->Run(c, "DeleteAssignment", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto name = ParseAssignmentName(r->name(), "name", v);
    auto expected = ParseEtagField(r->etag(), "etag", v);
    RETURN_IF_ERROR(v.ToStatus());
    return store_->DeleteAssignment(name->org, AssignmentId(name->power_id, name->officer_id),
                                    expected);
  });
}

// Allocation, coverage, summary.

grpc::Status DutyServiceImpl::AllocateDuties(Context* c, const v1::AllocateDutiesRequest* r,
                                             v1::AllocateDutiesResponse* out) {
  return calls_->Run(c, "AllocateDuties", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(r->parent(), "parent", v);
    v.CheckDate("as_of", r->as_of(), /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay as_of = DayOr(r->as_of(), today_());
    DutySnapshot snapshot;
    AllocationPlan plan;
    if (r->dry_run()) {
      ASSIGN_OR_RETURN(snapshot, store_->LoadSnapshot(*org));
      plan = Allocate(snapshot, as_of);
    } else {
      // The plan is computed inside the write transaction from what it
      // reads there, so it is stored whole or not at all and never stale.
      RETURN_IF_ERROR(
          store_->ApplyPlan(*org, [&](const DutySnapshot& s) -> absl::StatusOr<AssignmentChanges> {
            snapshot = s;
            plan = Allocate(snapshot, as_of);
            return AssignmentChanges{plan.computed, plan.removed};
          }));
    }
    *out = ToProto(*org, as_of, snapshot, plan, /*committed=*/!r->dry_run());
    return absl::OkStatus();
  });
}

namespace {

void CheckCoverageOptions(int32_t expiring, int32_t hours, absl::string_view expiring_field,
                          absl::string_view hours_field, FieldViolations& v) {
  v.CheckRange(expiring_field, expiring, 0, kMaxExpiringWithinDays);
  v.CheckRange(hours_field, hours, 0, kMaxTrainingHours);
}

CoverageOptions Options(absl::CivilDay as_of, int32_t training_year, int32_t expiring,
                        int32_t hours) {
  CoverageOptions options;
  options.as_of = as_of;
  options.training_year = training_year;
  options.expiring_within_days = expiring != 0 ? expiring : kDefaultExpiringWithinDays;
  options.required_training_hours = hours != 0 ? hours : kDefaultRequiredTrainingHours;
  return options;
}

}  // namespace

grpc::ServerUnaryReactor* DutyServiceImpl::GetCoverage(CallbackContext* c,
                                                       const v1::GetCoverageRequest* r,
                                                       v1::Coverage* out) {
  return calls_->Run(c, "GetCoverage", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(r->org(), "org", v);
    v.CheckDate("as_of", r->as_of(), /*required=*/false);
    CheckCoverageOptions(r->expiring_within_days(), r->required_training_hours(),
                         "expiring_within_days", "required_training_hours", v);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay as_of = DayOr(r->as_of(), today_());
    ASSIGN_OR_RETURN(DutySnapshot snapshot, store_->LoadCoverageSnapshot(*org));
    CoverageReport report =
        Cover(snapshot, Options(as_of, 0, r->expiring_within_days(), r->required_training_hours()));
    ToProto(*org, snapshot, report, out);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DutyServiceImpl::GetDutySummary(CallbackContext* c,
                                                          const v1::GetDutySummaryRequest* r,
                                                          v1::DutySummary* out) {
  return calls_->Run(c, "GetDutySummary", *r, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(r->org(), "org", v);
    v.CheckYear("year", r->year(), /*required=*/true);
    v.CheckDate("as_of", r->as_of(), /*required=*/false);
    CheckCoverageOptions(r->expiring_within_days(), r->required_training_hours(),
                         "expiring_within_days", "required_training_hours", v);
    CheckIfNoneMatch(r->if_none_match(), v);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay today = today_();
    const absl::CivilDay as_of = DayOr(r->as_of(), DefaultAsOf(r->year(), today));
    // Taken before the records are read: a write in between only changes
    // the next etag.
    v1::GetDutySummaryRequest understood = *r;
    understood.clear_if_none_match();
    *understood.mutable_as_of() = ToDate(as_of);
    const std::string etag = AnswerEtag(understood, today, store_->DataVersion());
    if (AnswerNotModified(etag, r->if_none_match(), *out)) return absl::OkStatus();
    ASSIGN_OR_RETURN(DutySnapshot snapshot, store_->LoadCoverageSnapshot(*org));
    CoverageReport report = Cover(snapshot, Options(as_of, r->year(), r->expiring_within_days(),
                                                    r->required_training_hours()));
    ToProto(*org, r->year(), snapshot, report, r->include_records(), out);
    out->set_answer_etag(etag);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DutyServiceImpl::ListAuditRecords(
    grpc::CallbackServerContext* context, const fazhi::type::v1::ListAuditRecordsRequest* request,
    fazhi::type::v1::ListAuditRecordsResponse* response) {
  return calls_->Run(context, "ListAuditRecords", *request, [&]() -> absl::Status {
    return auth::ListAuditRecords(audit_, *request, response);
  });
}

}  // namespace fazhi::duty
