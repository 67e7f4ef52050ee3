#include "services/study/study_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "services/common/answer_etag.h"
#include "services/common/auth/audit_records.h"
#include "services/common/field_mask.h"
#include "services/common/import.h"
#include "services/common/names.h"
#include "services/common/proto_dates.h"
#include "services/common/record_handlers.h"
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

// What the shared record handlers (services/common/record_handlers.h) need
// to know about sessions and publicity events.
struct SessionTraits : ProtoRecord<v1::Session, Session, ToProto, FromProto> {
  static constexpr absl::string_view kCollection = "sessions";
  static constexpr absl::string_view kField = "session";
  static constexpr absl::string_view kNoun = "session";
  static constexpr auto kGet = &StudyStore::GetSession;
  static constexpr auto kCreate = &StudyStore::CreateSession;
  static constexpr auto kUpdate = &StudyStore::UpdateSession;
  static constexpr auto kDelete = &StudyStore::DeleteSession;
  static constexpr auto kImport = &StudyStore::ImportSessions;
  static constexpr auto kList = &StudyStore::ListSessions;  // (org, filter, after, limit)
  static void Validate(const Proto& p, absl::string_view prefix, const std::string&,
                       FieldViolations& v) {
    ValidateSession(p, prefix, v);
  }
  static bool ValidKind(int kind) { return v1::StudyKind_IsValid(kind); }
};

struct EventTraits : ProtoRecord<v1::PublicityEvent, PublicityEvent, ToProto, FromProto> {
  static constexpr absl::string_view kCollection = "publicityEvents";
  static constexpr absl::string_view kField = "publicity_event";
  static constexpr absl::string_view kNoun = "publicity event";
  static constexpr auto kGet = &StudyStore::GetEvent;
  static constexpr auto kCreate = &StudyStore::CreateEvent;
  static constexpr auto kUpdate = &StudyStore::UpdateEvent;
  static constexpr auto kDelete = &StudyStore::DeleteEvent;
  static constexpr auto kImport = &StudyStore::ImportEvents;
  static constexpr auto kList = &StudyStore::ListEvents;
  static void Validate(const Proto& p, absl::string_view prefix, const std::string&,
                       FieldViolations& v) {
    ValidateEvent(p, prefix, v);
  }
  static bool ValidKind(int kind) { return v1::PublicityKind_IsValid(kind); }
};

// The dated lists: a year, a date range and a kind filter them.
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
    filter.start =
        std::max(filter.start.value_or(absl::CivilDay::min()), ToCivilDay(request.start_date()));
  }
  if (IsSet(request.end_date())) {
    filter.end =
        std::min(filter.end.value_or(absl::CivilDay::max()), ToCivilDay(request.end_date()));
  }
  const std::string query = absl::StrCat(*org, "|", request.year(), "|", request.kind(), "|",
                                         filter.start ? kernel::FormatDate(*filter.start) : "", "|",
                                         filter.end ? kernel::FormatDate(*filter.end) : "");
  absl::CivilDay day;
  std::vector<std::string> position = DecodePagePosition(
      request.page_token(), query, 2, v,
      [&day](const std::vector<std::string>& p) { return kernel::ParseDate(p[0], &day); });
  RETURN_IF_ERROR(v.ToStatus());
  std::optional<DatedPosition> after;
  if (!position.empty()) after = DatedPosition{day, position[1]};

  return AnswerPage(
      page_size, query,
      [&](int limit) { return std::invoke(T::kList, store, *org, filter, after, limit); },
      [](const auto& r) { return ToProto(r); },
      [](const auto& r) {
        return std::vector<std::string>{kernel::FormatDate(r.date), r.meta.id};
      },
      items, next_page_token);
}

}  // namespace

StudyServiceImpl::StudyServiceImpl(StudyStore* store, const CallHandler* calls, Clock today)
    : store_(store), calls_(calls), today_(kernel::ClockOrToday(std::move(today))) {}

grpc::ServerUnaryReactor* StudyServiceImpl::GetSession(grpc::CallbackServerContext* context,
                                                       const v1::GetSessionRequest* request,
                                                       v1::Session* response) {
  return calls_->Run(context, "GetSession", *request,
                     [&] { return GetRecord<SessionTraits>(*store_, request->name(), response); });
}

grpc::ServerUnaryReactor* StudyServiceImpl::ListSessions(grpc::CallbackServerContext* context,
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
        *store_, reader,
        [](const v1::ImportSessionsRequest& r) -> const auto& { return r.sessions(); }, response);
  });
}

grpc::ServerUnaryReactor* StudyServiceImpl::GetPublicityEvent(
    grpc::CallbackServerContext* context, const v1::GetPublicityEventRequest* request,
    v1::PublicityEvent* response) {
  return calls_->Run(context, "GetPublicityEvent", *request,
                     [&] { return GetRecord<EventTraits>(*store_, request->name(), response); });
}

grpc::ServerUnaryReactor* StudyServiceImpl::ListPublicityEvents(
    grpc::CallbackServerContext* context, const v1::ListPublicityEventsRequest* request,
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
        *store_, reader, [](const v1::ImportPublicityEventsRequest& r) -> const auto& {
          return r.publicity_events();
        },
        response);
  });
}

grpc::ServerUnaryReactor* StudyServiceImpl::GetStudyPlan(grpc::CallbackServerContext* context,
                                                         const v1::GetStudyPlanRequest* request,
                                                         v1::StudyPlan* response) {
  return calls_->Run(context, "GetStudyPlan", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto parsed = StudyPlanName::Parse(request->name(), "name", v);
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(StudyPlan plan, store_->GetPlan(parsed->org, parsed->year));
    *response = ToProto(plan);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StudyServiceImpl::ListStudyPlans(grpc::CallbackServerContext* context,
                                                           const v1::ListStudyPlansRequest* request,
                                                           v1::ListStudyPlansResponse* response) {
  return calls_->Run(context, "ListStudyPlans", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->parent(), "parent", v);
    const int page_size = ResolvePageSize(request->page_size(), "page_size", v);
    RETURN_IF_ERROR(v.ToStatus());
    const std::string query = *org;
    int32_t after_year = 0;
    DecodePagePosition(request->page_token(), query, 1, v, [&](const std::vector<std::string>& p) {
      return absl::SimpleAtoi(p[0], &after_year);
    });
    RETURN_IF_ERROR(v.ToStatus());
    ASSIGN_OR_RETURN(auto plans, store_->ListPlans(*org, after_year, page_size + 1));
    const bool more = static_cast<int>(plans.size()) > page_size;
    if (more) plans.resize(page_size);
    for (const StudyPlan& plan : plans) *response->add_study_plans() = ToProto(plan);
    if (more)
      response->set_next_page_token(EncodePageToken(query, {absl::StrCat(plans.back().year)}));
    return absl::OkStatus();
  });
}

grpc::Status StudyServiceImpl::UpdateStudyPlan(grpc::ServerContext* context,
                                               const v1::UpdateStudyPlanRequest* request,
                                               v1::StudyPlan* response) {
  return calls_->Run(context, "UpdateStudyPlan", *request, [&]() -> absl::Status {
    FieldViolations v;
    const v1::StudyPlan& proto = request->study_plan();
    auto parsed = StudyPlanName::Parse(proto.name(), "study_plan.name", v);
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
      RETURN_IF_ERROR(CheckExpectedRevision("study plan", expected, current->meta.revision));
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
    auto parsed = StudyPlanName::Parse(request->name(), "name", v);
    auto expected = ParseEtagField(request->etag(), "etag", v);
    RETURN_IF_ERROR(v.ToStatus());
    return store_->DeletePlan(parsed->org, parsed->year, expected);
  });
}

grpc::ServerUnaryReactor* StudyServiceImpl::GetStudySummary(
    grpc::CallbackServerContext* context, const v1::GetStudySummaryRequest* request,
    v1::StudySummary* response) {
  return calls_->Run(context, "GetStudySummary", *request, [&]() -> absl::Status {
    FieldViolations v;
    auto org = ParseOrgName(request->org(), "org", v);
    v.CheckYear("year", request->year(), /*required=*/true);
    v.CheckDate("as_of", request->as_of(), /*required=*/false);
    CheckIfNoneMatch(request->if_none_match(), v);
    RETURN_IF_ERROR(v.ToStatus());
    const absl::CivilDay today = today_();
    const absl::CivilDay as_of = IsSet(request->as_of()) ? ToCivilDay(request->as_of())
                                                         : DefaultAsOf(request->year(), today);
    // Taken before the records are read: a write in between only changes
    // the next etag.
    v1::GetStudySummaryRequest understood = *request;
    understood.clear_if_none_match();
    *understood.mutable_as_of() = ToDate(as_of);
    const std::string etag = AnswerEtag(understood, today, store_->DataVersion());
    if (AnswerNotModified(etag, request->if_none_match(), *response)) return absl::OkStatus();
    auto summarize = [&](int year, absl::CivilDay day,
                         bool records) -> absl::StatusOr<v1::StudySummary> {
      ASSIGN_OR_RETURN(YearRecords loaded, store_->LoadYear(*org, year));
      return ToProto(Summarize(*org, year, day, loaded.sessions, loaded.events,
                               loaded.plan ? &*loaded.plan : nullptr),
                     records);
    };
    ASSIGN_OR_RETURN(*response, summarize(request->year(), as_of, request->include_records()));
    if (request->include_previous_year()) {
      const int before = request->year() - 1;
      if (before >= kernel::kMinRecordYear) {
        ASSIGN_OR_RETURN(*response->mutable_previous_year(),
                         summarize(before, absl::CivilDay(before, 12, 31), false));
      }
      response->set_previous_year_answered(true);
    }
    response->set_answer_etag(etag);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* StudyServiceImpl::ListAuditRecords(
    grpc::CallbackServerContext* context, const fazhi::type::v1::ListAuditRecordsRequest* request,
    fazhi::type::v1::ListAuditRecordsResponse* response) {
  return calls_->Run(context, "ListAuditRecords", *request, [&]() -> absl::Status {
    return auth::ListAuditRecords(audit_, *request, response);
  });
}

}  // namespace fazhi::study
