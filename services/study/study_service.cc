#include "absl/strings/string_view.h"
#include "services/study/study_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/field_mask.h"
#include "services/common/import.h"
#include "services/common/proto_dates.h"
#include "services/common/resource.h"
#include "services/common/status_macros.h"
#include "services/common/validation.h"
#include "services/kernel/dates.h"
#include "services/kernel/utf8.h"
#include "services/study/convert.h"
#include "services/study/summary.h"
#include "services/study/validate.h"

namespace fazhi::study {

using kernel::kMaxRecordYear;
using kernel::kMinRecordYear;

namespace {

// What the generic handlers below need to know about sessions and
// publicity events, which share their shape.
struct SessionTraits {
  using Proto = v1::Session;
  using Record = Session;
  static constexpr absl::string_view kCollection = "sessions";
  static constexpr absl::string_view kField = "session";
  static void Validate(const Proto& p, absl::string_view prefix, FieldViolations& v) {
    ValidateSession(p, prefix, v);
  }
  static absl::StatusOr<Record> Get(StudyStore& s, const std::string& org, const std::string& id) {
    return s.GetSession(org, id);
  }
  static auto List(StudyStore& s, const std::string& org, const DatedFilter& f,
                   const std::optional<DatedPosition>& after, int limit) {
    return s.ListSessions(org, f, after, limit);
  }
  static auto Create(StudyStore& s, Record r, const IdempotencyKey& k) {
    return s.CreateSession(std::move(r), k);
  }
  static auto Update(StudyStore& s, Record r, int64_t revision) {
    return s.UpdateSession(std::move(r), revision);
  }
  static auto Delete(StudyStore& s, const std::string& org, const std::string& id,
                     std::optional<int64_t> revision) {
    return s.DeleteSession(org, id, revision);
  }
  static auto Import(StudyStore& s, const std::string& org, std::vector<Record> rows,
                     ImportMode mode) {
    return s.ImportSessions(org, std::move(rows), mode);
  }
  static bool ValidKind(int kind) { return v1::StudyKind_IsValid(kind); }
};

struct EventTraits {
  using Proto = v1::PublicityEvent;
  using Record = PublicityEvent;
  static constexpr absl::string_view kCollection = "publicityEvents";
  static constexpr absl::string_view kField = "publicity_event";
  static void Validate(const Proto& p, absl::string_view prefix, FieldViolations& v) {
    ValidateEvent(p, prefix, v);
  }
  static absl::StatusOr<Record> Get(StudyStore& s, const std::string& org, const std::string& id) {
    return s.GetEvent(org, id);
  }
  static auto List(StudyStore& s, const std::string& org, const DatedFilter& f,
                   const std::optional<DatedPosition>& after, int limit) {
    return s.ListEvents(org, f, after, limit);
  }
  static auto Create(StudyStore& s, Record r, const IdempotencyKey& k) {
    return s.CreateEvent(std::move(r), k);
  }
  static auto Update(StudyStore& s, Record r, int64_t revision) {
    return s.UpdateEvent(std::move(r), revision);
  }
  static auto Delete(StudyStore& s, const std::string& org, const std::string& id,
                     std::optional<int64_t> revision) {
    return s.DeleteEvent(org, id, revision);
  }
  static auto Import(StudyStore& s, const std::string& org, std::vector<Record> rows,
                     ImportMode mode) {
    return s.ImportEvents(org, std::move(rows), mode);
  }
  static bool ValidKind(int kind) { return v1::PublicityKind_IsValid(kind); }
};

// An etag the caller sent, as the revision it names. Empty etag: none.
std::optional<int64_t> ParseEtagField(const std::string& etag, absl::string_view field,
                                      FieldViolations& v) {
  if (etag.empty()) return std::nullopt;
  std::optional<int64_t> revision = ParseEtag(etag);
  if (!revision) v.Add(std::string(field), "is not an etag this service issued");
  return revision;
}

template <typename T>
absl::Status GetRecord(StudyStore& store, const std::string& name, typename T::Proto* out) {
  FieldViolations v;
  auto parsed = ParseChildName(name, T::kCollection, "name", v);
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(auto record, T::Get(store, parsed->org, parsed->id));
  *out = ToProto(record);
  return absl::OkStatus();
}

template <typename T, typename Request, typename Items>
absl::Status ListRecords(StudyStore& store, const Request& request, Items* items,
                         std::string* next_page_token) {
  FieldViolations v;
  auto org = ParseOrgName(request.parent(), "parent", v);
  const int page_size = ResolvePageSize(request.page_size(), "page_size", v);
  v.CheckYear("year", request.year(), /*required=*/false);
  v.CheckDate("start_date", request.start_date(), /*required=*/false);
  v.CheckDate("end_date", request.end_date(), /*required=*/false);
  if (!T::ValidKind(request.kind())) v.Add("kind", absl::StrCat("unknown kind ", request.kind()));
  RETURN_IF_ERROR(v.ToStatus());

  DatedFilter filter;
  filter.kind = request.kind();
  if (request.year() != 0) {
    filter.start = absl::CivilDay(request.year(), 1, 1);
    filter.end = absl::CivilDay(request.year(), 12, 31);
  }
  if (IsSet(request.start_date())) {
    filter.start = std::max(filter.start.value_or(absl::CivilDay::min()), ToCivilDay(request.start_date()));
  }
  if (IsSet(request.end_date())) {
    filter.end = std::min(filter.end.value_or(absl::CivilDay::max()), ToCivilDay(request.end_date()));
  }
  const std::string query = absl::StrCat(*org, "|", request.year(), "|", request.kind(), "|",
                                         filter.start ? kernel::FormatDate(*filter.start) : "", "|",
                                         filter.end ? kernel::FormatDate(*filter.end) : "");
  std::vector<std::string> position = DecodePageToken(request.page_token(), query, "page_token", v);
  std::optional<DatedPosition> after;
  if (position.size() == 2) {
    absl::CivilDay day;
    if (kernel::ParseDate(position[0], &day)) after = DatedPosition{day, position[1]};
  }
  if (!request.page_token().empty() && v.empty() && !after) {
    v.Add("page_token", "is not a page token issued by this service");
  }
  RETURN_IF_ERROR(v.ToStatus());

  // One row more than asked tells whether another page exists.
  ASSIGN_OR_RETURN(auto records, T::List(store, *org, filter, after, page_size + 1));
  bool more = false;
  const size_t taken =
      FillPage(records, page_size, items, [](const auto& r) { return ToProto(r); }, &more);
  if (more) {
    const auto& last = records[taken - 1];
    *next_page_token = EncodePageToken(query, {kernel::FormatDate(last.date), last.meta.id});
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status CreateRecord(StudyStore& store, const std::string& parent,
                          const typename T::Proto& proto, const std::string& id,
                          const std::string& request_id, const google::protobuf::Message& request,
                          typename T::Proto* out) {
  FieldViolations v;
  auto org = ParseOrgName(parent, "parent", v);
  T::Validate(proto, absl::StrCat(T::kField, "."), v);
  if (!id.empty() && !IsValidResourceId(id)) {
    v.Add(absl::StrCat(T::kField, "_id"), "must be 1-63 of a-z, 0-9 and '-', not ending in '-'");
  }
  if (request_id.size() > 128 || kernel::Utf8Length(request_id) < 0) {
    v.Add("request_id", "must be at most 128 characters of valid UTF-8");
  }
  RETURN_IF_ERROR(v.ToStatus());

  typename T::Record record = FromProto(proto);
  record.meta.org = *org;
  record.meta.id = id.empty() ? NewResourceId() : id;
  IdempotencyKey key;
  if (!request_id.empty()) {
    // The fingerprint leaves out the request id so a retry matches.
    std::unique_ptr<google::protobuf::Message> copy(request.New());
    copy->CopyFrom(request);
    copy->GetReflection()->ClearField(copy.get(), copy->GetDescriptor()->FindFieldByName("request_id"));
    key = IdempotencyKey{request_id, Fingerprint(copy->SerializeAsString())};
  }
  ASSIGN_OR_RETURN(auto stored, T::Create(store, std::move(record), key));
  *out = ToProto(stored);
  return absl::OkStatus();
}

template <typename T>
absl::Status UpdateRecord(StudyStore& store, const typename T::Proto& proto,
                          const google::protobuf::FieldMask& mask, typename T::Proto* out) {
  FieldViolations v;
  const std::string name_field = absl::StrCat(T::kField, ".name");
  auto parsed = ParseChildName(proto.name(), T::kCollection, name_field, v);
  auto expected = ParseEtagField(proto.etag(), absl::StrCat(T::kField, ".etag"), v);
  RETURN_IF_ERROR(v.ToStatus());

  ASSIGN_OR_RETURN(auto current, T::Get(store, parsed->org, parsed->id));
  if (expected && *expected != current.meta.revision) {
    return absl::AbortedError(absl::StrCat("etag ", proto.etag(), " is stale: the ",
                                           T::kField, " is now at ", MakeEtag(current.meta.revision)));
  }
  typename T::Proto merged = ToProto(current);
  ApplyFieldMask(proto, mask, "update_mask", merged, v);
  RETURN_IF_ERROR(v.ToStatus());
  T::Validate(merged, absl::StrCat(T::kField, "."), v);
  RETURN_IF_ERROR(v.ToStatus());

  typename T::Record record = FromProto(merged);
  record.meta = current.meta;
  ASSIGN_OR_RETURN(auto stored, T::Update(store, std::move(record), current.meta.revision));
  *out = ToProto(stored);
  return absl::OkStatus();
}

template <typename T>
absl::Status DeleteRecord(StudyStore& store, const std::string& name, const std::string& etag) {
  FieldViolations v;
  auto parsed = ParseChildName(name, T::kCollection, "name", v);
  auto expected = ParseEtagField(etag, "etag", v);
  RETURN_IF_ERROR(v.ToStatus());
  return T::Delete(store, parsed->org, parsed->id, expected);
}

template <typename T, typename Request, typename RowsOf>
absl::Status ImportRecords(StudyStore& store, grpc::ServerReader<Request>* reader, RowsOf rows_of,
                           fazhi::type::v1::ImportReport* report) {
  return RunImport(
      reader, T::kCollection, rows_of,
      [](const typename T::Proto& row, FieldViolations& v) { T::Validate(row, "", v); },
      [](const typename T::Proto& row) { return FromProto(row); },
      [&store](const std::string& org, std::vector<typename T::Record> rows, ImportMode mode) {
        return T::Import(store, org, std::move(rows), mode);
      },
      report);
}

// orgs/{org}/studyPlans/{year}
std::optional<std::pair<std::string, int32_t>> ParsePlanName(const std::string& name,
                                                             absl::string_view field,
                                                             FieldViolations& v) {
  auto parsed = ParseChildName(name, "studyPlans", field, v);
  if (!parsed) return std::nullopt;
  int32_t year = 0;
  if (!absl::SimpleAtoi(parsed->id, &year) || year < kMinRecordYear || year > kMaxRecordYear) {
    v.Add(std::string(field), absl::StrCat("the plan id must be a year between ", kMinRecordYear,
                                           " and ", kMaxRecordYear));
    return std::nullopt;
  }
  return std::make_pair(parsed->org, year);
}

}  // namespace

StudyServiceImpl::StudyServiceImpl(StudyStore* store, const CallHandler* calls, Clock today)
    : store_(store), calls_(calls), today_(kernel::ClockOrToday(std::move(today))) {}

grpc::Status StudyServiceImpl::GetSession(grpc::ServerContext* context,
                                          const v1::GetSessionRequest* request,
                                          v1::Session* response) {
  return calls_->Run(context, "GetSession", *request, [&] {
    return GetRecord<SessionTraits>(*store_, request->name(), response);
  });
}

grpc::Status StudyServiceImpl::ListSessions(grpc::ServerContext* context,
                                            const v1::ListSessionsRequest* request,
                                            v1::ListSessionsResponse* response) {
  return calls_->Run(context, "ListSessions", *request, [&] {
    return ListRecords<SessionTraits>(*store_, *request, response->mutable_sessions(),
                                      response->mutable_next_page_token());
  });
}

grpc::Status StudyServiceImpl::CreateSession(grpc::ServerContext* context,
                                             const v1::CreateSessionRequest* request,
                                             v1::Session* response) {
  return calls_->Run(context, "CreateSession", *request, [&] {
    return CreateRecord<SessionTraits>(*store_, request->parent(), request->session(),
                                       request->session_id(), request->request_id(), *request,
                                       response);
  });
}

grpc::Status StudyServiceImpl::UpdateSession(grpc::ServerContext* context,
                                             const v1::UpdateSessionRequest* request,
                                             v1::Session* response) {
  return calls_->Run(context, "UpdateSession", *request, [&] {
    return UpdateRecord<SessionTraits>(*store_, request->session(), request->update_mask(),
                                       response);
  });
}

grpc::Status StudyServiceImpl::DeleteSession(grpc::ServerContext* context,
                                             const v1::DeleteSessionRequest* request,
                                             google::protobuf::Empty*) {
  return calls_->Run(context, "DeleteSession", *request, [&] {
    return DeleteRecord<SessionTraits>(*store_, request->name(), request->etag());
  });
}

grpc::Status StudyServiceImpl::ImportSessions(grpc::ServerContext* context,
                                              grpc::ServerReader<v1::ImportSessionsRequest>* reader,
                                              fazhi::type::v1::ImportReport* response) {
  return calls_->RunStream(context, "ImportSessions", [&] {
    return ImportRecords<SessionTraits>(
        *store_, reader, [](const v1::ImportSessionsRequest& r) -> const auto& { return r.sessions(); },
        response);
  });
}

grpc::Status StudyServiceImpl::GetPublicityEvent(grpc::ServerContext* context,
                                                 const v1::GetPublicityEventRequest* request,
                                                 v1::PublicityEvent* response) {
  return calls_->Run(context, "GetPublicityEvent", *request, [&] {
    return GetRecord<EventTraits>(*store_, request->name(), response);
  });
}

grpc::Status StudyServiceImpl::ListPublicityEvents(grpc::ServerContext* context,
                                                   const v1::ListPublicityEventsRequest* request,
                                                   v1::ListPublicityEventsResponse* response) {
  return calls_->Run(context, "ListPublicityEvents", *request, [&] {
    return ListRecords<EventTraits>(*store_, *request, response->mutable_publicity_events(),
                                    response->mutable_next_page_token());
  });
}

grpc::Status StudyServiceImpl::CreatePublicityEvent(grpc::ServerContext* context,
                                                    const v1::CreatePublicityEventRequest* request,
                                                    v1::PublicityEvent* response) {
  return calls_->Run(context, "CreatePublicityEvent", *request, [&] {
    return CreateRecord<EventTraits>(*store_, request->parent(), request->publicity_event(),
                                     request->publicity_event_id(), request->request_id(), *request,
                                     response);
  });
}

grpc::Status StudyServiceImpl::UpdatePublicityEvent(grpc::ServerContext* context,
                                                    const v1::UpdatePublicityEventRequest* request,
                                                    v1::PublicityEvent* response) {
  return calls_->Run(context, "UpdatePublicityEvent", *request, [&] {
    return UpdateRecord<EventTraits>(*store_, request->publicity_event(), request->update_mask(),
                                     response);
  });
}

grpc::Status StudyServiceImpl::DeletePublicityEvent(grpc::ServerContext* context,
                                                    const v1::DeletePublicityEventRequest* request,
                                                    google::protobuf::Empty*) {
  return calls_->Run(context, "DeletePublicityEvent", *request, [&] {
    return DeleteRecord<EventTraits>(*store_, request->name(), request->etag());
  });
}

grpc::Status StudyServiceImpl::ImportPublicityEvents(
    grpc::ServerContext* context, grpc::ServerReader<v1::ImportPublicityEventsRequest>* reader,
    fazhi::type::v1::ImportReport* response) {
  return calls_->RunStream(context, "ImportPublicityEvents", [&] {
    return ImportRecords<EventTraits>(
        *store_, reader,
        [](const v1::ImportPublicityEventsRequest& r) -> const auto& { return r.publicity_events(); },
        response);
  });
}

grpc::Status StudyServiceImpl::GetStudyPlan(grpc::ServerContext* context,
                                            const v1::GetStudyPlanRequest* request,
                                            v1::StudyPlan* response) {
  return calls_->Run(context, "GetStudyPlan", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto parsed = ParsePlanName(request->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(StudyPlan plan, store_->GetPlan(parsed->first, parsed->second));
    *response = ToProto(plan);
    return absl::OkStatus();
  });
}

grpc::Status StudyServiceImpl::ListStudyPlans(grpc::ServerContext* context,
                                              const v1::ListStudyPlansRequest* request,
                                              v1::ListStudyPlansResponse* response) {
  return calls_->Run(context, "ListStudyPlans", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->parent(), "parent", v);
    const int page_size = ResolvePageSize(request->page_size(), "page_size", v);
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = *org;
    std::vector<std::string> position = DecodePageToken(request->page_token(), query, "page_token", v);
    int32_t after_year = 0;
    if (!request->page_token().empty() && v.empty() &&
        (position.size() != 1 || !absl::SimpleAtoi(position[0], &after_year))) {
      v.Add("page_token", "is not a page token issued by this service");
    }
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(auto plans, store_->ListPlans(*org, after_year, page_size + 1));
    const bool more = static_cast<int>(plans.size()) > page_size;
    if (more) plans.resize(page_size);
    for (const StudyPlan& plan : plans) *response->add_study_plans() = ToProto(plan);
    if (more) response->set_next_page_token(EncodePageToken(query, {absl::StrCat(plans.back().year)}));
    return absl::OkStatus();
  });
}

grpc::Status StudyServiceImpl::UpdateStudyPlan(grpc::ServerContext* context,
                                               const v1::UpdateStudyPlanRequest* request,
                                               v1::StudyPlan* response) {
  return calls_->Run(context, "UpdateStudyPlan", *request, [&]() -> absl::Status {
    FieldViolations v;
    const v1::StudyPlan& proto = request->study_plan();
    auto parsed = ParsePlanName(proto.name(), "study_plan.name", v);
    auto expected = ParseEtagField(proto.etag(), "study_plan.etag", v);
    RETURN_IF_ERROR(v.ToStatus());
    const auto& [org, year] = *parsed;

    absl::StatusOr<StudyPlan> current = store_->GetPlan(org, year);
    if (!current.ok() && !(absl::IsNotFound(current.status()) && request->allow_missing())) {
      return current.status();
    }
    v1::StudyPlan merged;
    std::optional<int64_t> revision;
    if (current.ok()) {
      if (expected && *expected != current->meta.revision) {
        return absl::AbortedError(absl::StrCat("etag ", proto.etag(), " is stale: the plan is now at ",
                                               MakeEtag(current->meta.revision)));
      }
      merged = ToProto(*current);
      revision = current->meta.revision;
    }
    ApplyFieldMask(proto, request->update_mask(), "update_mask", merged, v);
    RETURN_IF_ERROR(v.ToStatus());
    ValidatePlan(merged, "study_plan.", v);
    RETURN_IF_ERROR(v.ToStatus());
    StudyPlan plan = FromProto(merged);
    plan.meta.org = org;
    plan.year = year;
    ASSIGN_OR_RETURN(StudyPlan stored, store_->PutPlan(std::move(plan), revision));
    *response = ToProto(stored);
    return absl::OkStatus();
  });
}

grpc::Status StudyServiceImpl::DeleteStudyPlan(grpc::ServerContext* context,
                                               const v1::DeleteStudyPlanRequest* request,
                                               google::protobuf::Empty*) {
  return calls_->Run(context, "DeleteStudyPlan", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto parsed = ParsePlanName(request->name(), "name", v);
    auto expected = ParseEtagField(request->etag(), "etag", v);
    RETURN_IF_ERROR(v.ToStatus());
    return store_->DeletePlan(parsed->first, parsed->second, expected);
  });
}

grpc::Status StudyServiceImpl::GetStudySummary(grpc::ServerContext* context,
                                               const v1::GetStudySummaryRequest* request,
                                               v1::StudySummary* response) {
  return calls_->Run(context, "GetStudySummary", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->org(), "org", v);
    v.CheckYear("year", request->year(), /*required=*/true);
    v.CheckDate("as_of", request->as_of(), /*required=*/false);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay as_of = IsSet(request->as_of())
                                     ? ToCivilDay(request->as_of())
                                     : DefaultAsOf(request->year(), today_());
    ASSIGN_OR_RETURN(YearRecords records, store_->LoadYear(*org, request->year()));
    YearSummary summary = Summarize(*org, request->year(), as_of, records.sessions, records.events,
                                    records.plan ? &*records.plan : nullptr);
    *response = ToProto(summary, request->include_records());
    return absl::OkStatus();
  });
}

grpc::Status StudyServiceImpl::ListAuditRecords(grpc::ServerContext* context,
                                         const fazhi::type::v1::ListAuditRecordsRequest* request,
                                         fazhi::type::v1::ListAuditRecordsResponse* response) {
  return calls_->Run(context, "ListAuditRecords", *request, [&]() -> absl::Status {
    if (audit_ == nullptr) return absl::UnimplementedError("this server keeps no audit log");
    return auth::ListAuditRecords(*audit_, *request, response);
  });
}

}  // namespace fazhi::study
